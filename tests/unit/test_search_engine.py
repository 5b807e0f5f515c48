"""The browser-side search engine (overrides/assets/javascripts/search.js), run in Node.js.

Pure functions only: folding, tone-mark placement, Thai segmentation against the index vocabulary,
and the ranking rules on a small hand-made index. The browser suite (tests/e2e/test_search.py)
covers the same code on the real site.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hooks.search_index import build_pieces
from tests.support.tools import require

SEARCH_JS = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "javascripts" / "search.js"
NODE = require("node")


def js(expression: str, data=None):
    """The value of ``expression`` (awaited if a promise), with ``s`` the search module and ``data`` the
    given JSON."""
    script = (
        f"const s = require({json.dumps(str(SEARCH_JS))});"
        f"const data = {json.dumps(data)};"
        f"Promise.resolve({expression}).then(v => process.stdout.write(JSON.stringify(v)));"
    )
    completed = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def page(url, title, *sections):
    return {"u": url, "t": title, "s": [list(section) for section in sections]}


def pieces(index):
    """The files the build writes for ``index`` ({"lang", "pages"}), as the engine's loader sees them."""
    files = build_pieces(index["lang"], index["pages"])
    entry = {**files.pop("index.json"), "base": ""}
    return {"entry": entry, "files": files}


ENGINE = "s.createEngine(data.entry, path => data.files[path])"


def urls(index, query):
    return js(f"{ENGINE}.search({json.dumps(query)}).then(f => f.results.map(r => r.page.url))", pieces(index))


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Hóa", "hoa"), ("đơn", "don"), ("Đăng", "dang"), ("réactiver", "reactiver"), ("priorità", "priorita"),
     ("hoá", "hoa"), ("cœur", "coeur"), ("ใบแจ้งหนี้", "ใบแจ้งหนี้")],
)
def test_fold_removes_accents_tone_marks_and_stroke(word, folded):
    assert js(f"s.fold({json.dumps(word)})") == folded


def test_thai_vowel_and_tone_marks_are_not_folded_away():
    # Thai vowels and tone marks are combining characters too; removing them would merge words.
    assert js("s.fold('ที่') !== s.fold('ท')")


def test_accent_key_ignores_vietnamese_tone_mark_placement_only():
    assert js("s.accentKey('hoá') === s.accentKey('hóa')")
    assert js("s.accentKey('thuỷ') === s.accentKey('thủy')")
    assert js("s.accentKey('thẻ') !== s.accentKey('thể')")


def test_thai_run_is_segmented_against_the_vocabulary():
    words = ["ใบแจ้งหนี้", "ที่", "เกินกำหนด", "ชำระ", "เกิน"]
    pieces = js(f"s.segmentThai('ชำระใบแจ้งหนี้ที่เกินกำหนด', new Set({json.dumps(words)}), new Set())")
    assert pieces == ["ชำระ", "ใบแจ้งหนี้", "ที่", "เกินกำหนด"]


def test_unknown_thai_letters_stay_one_word():
    pieces = js("s.segmentThai('ชำระกขค', new Set(['ชำระ']), new Set())")
    assert pieces == ["ชำระ", "กขค"]


def test_trailing_thai_prefix_is_kept_while_typing():
    pieces = js("s.segmentThai('ชำระใบแจ้ง', new Set(['ชำระ', 'ใบแจ้งหนี้']), new Set(['ใบแจ้ง']))")
    assert pieces == ["ชำระ", "ใบแจ้ง"]


VI_INDEX = {
    "lang": "vi",
    "pages": [
        page("vi/activate/", "Kích hoạt tài khoản", ["", "", "Hoạt động của tài khoản và kích hoạt lại."]),
        page("vi/invoices/", "Tài liệu", ["list", "Danh sách", "Tải hóa đơn của bạn."]),
        page("vi/cards/", "Thẻ thanh toán", ["", "", "Cập nhật thẻ của bạn."]),
        page("vi/other/", "Khác", ["", "", "Có thể bạn cần biết."]),
    ],
}


def test_accent_free_query_ranks_the_exact_word_above_a_prefix_match():
    # "hoa" folds to "hóa" exactly and is only a prefix of "hoạt", even though "hoạt" is in a title.
    assert urls(VI_INDEX, "hoa")[0] == "vi/invoices/"


def test_queries_with_and_without_accents_and_tone_placement_agree():
    expected = urls(VI_INDEX, "hóa đơn")
    assert expected[0] == "vi/invoices/"
    assert urls(VI_INDEX, "hoa don") == expected
    assert urls(VI_INDEX, "hoá đơn") == expected


def test_typed_accents_prefer_the_word_with_those_accents():
    assert urls(VI_INDEX, "thẻ")[0] == "vi/cards/"
    assert urls(VI_INDEX, "thể")[0] == "vi/other/"


def test_pages_with_every_query_word_come_first():
    index = {"lang": "en", "pages": [
        page("many/", "Invoices", ["", "", " ".join(["invoice"] * 30)]),
        page("both/", "Overdue", ["", "", "Pay an overdue invoice."]),
    ]}
    assert urls(index, "overdue invoice")[0] == "both/"


def test_thai_query_typed_as_one_run_finds_the_words_in_the_middle_of_sentences():
    zwsp = "\u200b"
    index = {"lang": "th", "pages": [
        page("th/a/", "หน้า", ["", "", zwsp.join(["คุณ", "ต้อง", "ชำระ", "ใบแจ้งหนี้", "ที่", "เกินกำหนด", "ก่อน"])]),
        page("th/b/", "อื่น", ["", "", zwsp.join(["บัตร", "ของ", "คุณ"])]),
    ]}
    assert urls(index, "ใบแจ้งหนี้ที่เกินกำหนด") == ["th/a/"]
    assert urls(index, "เกินกำหนด") == ["th/a/"]


def test_highlight_marks_the_matched_words_only():
    text = "Pour réactiver le compte, payez."
    index = {"lang": "fr", "pages": [page("fr/a/", "Réactiver", ["", "", text])]}
    html = js(
        f"(() => {{ const e = {ENGINE};"
        " return e.search('reactiver').then(r => e.highlight('Pour réactiver le compte', r.marks)); })()",
        pieces(index),
    )
    assert html == "Pour <mark>réactiver</mark> le compte"


FR_INDEX = {"lang": "fr", "pages": [
    page("fr/refunds/", "Délais", ["", "", "Les remboursements arrivent dans les 14 jours."]),
    page("fr/ask/", "Demander", ["", "", "Pour rembourser une facture, écrivez-nous."]),
    page("fr/lines/", "Lignes", ["", "", "Les lignes téléphoniques."]),
    page("fr/liner/", "Autre", ["", "", "Un liner."]),
    page("fr/cards/", "Carte", ["", "", "La carte bancaire."]),
]}


def test_another_form_of_the_word_finds_the_page_through_its_snowball_stem():
    # "remboursement" is in no page; "remboursements" (plural) and "rembourser" (same stem) are.
    assert sorted(urls(FR_INDEX, "remboursement")) == ["fr/ask/", "fr/refunds/"]
    assert urls(FR_INDEX, "rembourser")[0] == "fr/ask/"  # the word itself ranks above its family


def test_one_typo_is_forgiven_in_longer_words_only():
    assert urls(FR_INDEX, "remboursemnts")[0] == "fr/refunds/"  # then its family: "rembourser"
    assert urls(FR_INDEX, "telephonqiues") == ["fr/lines/"]  # two letters swapped: one edit
    assert urls(FR_INDEX, "catre") == ["fr/cards/"]
    assert urls(FR_INDEX, "carre") == ["fr/cards/"]
    assert urls(FR_INDEX, "crate") == []  # the first two letters choose the piece: they must be right
    assert urls(FR_INDEX, "carr") == []  # 4 letters: no typo forgiven


def test_a_word_the_index_holds_does_not_also_match_its_one_edit_neighbours():
    assert urls(FR_INDEX, "lignes") == ["fr/lines/"]
    assert urls(FR_INDEX, "liner") == ["fr/liner/"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("remboursment", "remboursement", True), ("telephonqiue", "telephonique", True),
     ("carte", "carta", True), ("carte", "carte", False), ("carte", "cartes", True),
     ("carte", "cratea", False), ("abcd", "badc", False)],
)
def test_one_edit_apart(a, b, expected):
    assert js(f"s.oneEditApart({json.dumps(a)}, {json.dumps(b)})") is expected
    assert js(f"s.oneEditApart({json.dumps(b)}, {json.dumps(a)})") is expected


def test_pieces_are_named_and_words_cut_as_the_build_does():
    from hooks.search_index import fold, shard_file, shard_key, words

    samples = ["Hóa", "đơn", "réactiver", "ใบแจ้งหนี้", "x", "24h", "Œuvre"]
    for word in samples:
        assert js(f"s.shardFile(s.shardKey(s.fold({json.dumps(word)})))") == shard_file(shard_key(fold(word))), word
    text = "Pour réactiver l'œuvre 24/7: hóa đơn, ใบแจ้งหนี้\u200bที่เกินกำหนด — e-mail_x"
    assert js(f"s.tokenize({json.dumps(text)}).map(t => t.w)") == words(text)


def test_a_query_fetches_the_entry_its_terms_pieces_and_a_bounded_number_of_pages():
    index = {"lang": "en", "pages": [page(f"p{n}/", f"Invoice {n}", ["", "", "Invoice text."]) for n in range(30)]
             + [page("other/", "Cards", ["", "", "Card text."])]}
    fetched = js(
        "(() => { const seen = []; const e = s.createEngine(data.entry, p => { seen.push(p); return data.files[p]; });"
        " return e.search('invoice').then(() => seen); })()",
        pieces(index),
    )
    assert [path for path in fetched if path.startswith("t/")] == ["t/in.json"]
    assert 0 < len([path for path in fetched if path.startswith("p/")]) <= 10


def test_thai_run_ending_in_the_start_of_a_word_is_searched_while_typing():
    zwsp = "\u200b"
    index = {"lang": "th", "pages": [
        page("th/a/", "หน้า", ["", "", zwsp.join(["ชำระ", "ใบแจ้งหนี้", "ก่อน"])]),
        page("th/b/", "อื่น", ["", "", zwsp.join(["ชำระ", "บัตร"])]),
    ]}
    assert urls(index, "ชำระใบแจ้ง") == ["th/a/", "th/b/"]  # "ใบแจ้ง" starts "ใบแจ้งหนี้"


def test_a_piece_that_failed_to_load_is_asked_again_by_the_next_query():
    index = {"lang": "en", "pages": [page("a/", "Invoices", ["", "", "Invoice text."])]}
    found = js(
        "(() => { let fail = true; const e = s.createEngine(data.entry, p => {"
        " if (fail && p.startsWith('t/')) { fail = false; return Promise.reject(new Error('lost')); }"
        " return data.files[p]; });"
        " return e.search('invoice').then(() => 'no error', () => e.search('invoice'))"
        ".then(r => r.results.map(x => x.page.url)); })()",
        pieces(index),
    )
    assert found == ["a/"]


def test_a_search_waits_for_the_burst_of_keys_to_end_before_fetching_pages_it_lacks():
    index = {"lang": "en", "pages": [page("a/", "Invoices", ["", "", "Invoice text."]),
                                     page("b/", "Cards", ["", "", "Card text."])]}
    steps = js(
        "(() => { const seen = []; let end; const burst = new Promise(r => { end = r; });"
        " const e = s.createEngine(data.entry, p => { seen.push(p); return data.files[p]; });"
        " const first = e.search('invoice', () => true, () => burst);"
        " return new Promise(r => setTimeout(r, 20)).then(() => {"
        "   const before = seen.filter(p => p.startsWith('p/')).length; end();"
        "   return first.then(f => [before, seen.filter(p => p.startsWith('p/')).length,"
        "     f.results.map(x => x.page.url)]); })"
        " .then(([before, after, urls]) => e.search('invoice', () => true, () => new Promise(() => {}))"
        "   .then(again => [before, after, urls, again.results.map(x => x.page.url)])); })()",
        pieces(index),
    )
    before, after, first, again = steps
    assert before == 0 and after > 0 and first == ["a/"]
    assert again == ["a/"]  # its pages are held: no wait for a burst that never ends


def test_a_search_the_reader_has_typed_past_fetches_and_ranks_nothing():
    index = {"lang": "en", "pages": [page("a/", "Invoices", ["", "", "Invoice text."])]}
    found = js(
        "(() => { const seen = []; let current = true;"
        " const e = s.createEngine(data.entry, p => { seen.push(p); return data.files[p]; });"
        " const search = e.search('invoice', () => current, () => { current = false; return null; });"
        " return search.then(f => [f, seen.filter(p => p.startsWith('p/')).length]); })()",
        pieces(index),
    )
    assert found == [None, 0]
