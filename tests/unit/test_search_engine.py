"""The browser-side search engine (overrides/assets/javascripts/search.js), run in Node.js.

Pure functions only: folding, tone-mark placement, Thai segmentation against the index vocabulary,
and the ranking rules on a small hand-made index. The browser suite (tests/e2e/test_search.py)
covers the same code on the real site.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SEARCH_JS = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "javascripts" / "search.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is needed to run the search script")


def js(expression: str, data=None):
    """The value of ``expression``, with ``s`` the search module and ``data`` the given JSON."""
    script = (
        f"const s = require({json.dumps(str(SEARCH_JS))});"
        f"const data = {json.dumps(data)};"
        f"process.stdout.write(JSON.stringify({expression}));"
    )
    completed = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def page(url, title, *sections):
    return {"u": url, "t": title, "s": [list(section) for section in sections]}


def urls(index, query):
    return js(f"s.createEngine(data).search({json.dumps(query)}).results.map(r => r.page.url)", index)


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
        "(() => { const e = s.createEngine(data); const r = e.search('reactiver');"
        " return e.highlight('Pour réactiver le compte', r.marks); })()",
        index,
    )
    assert html == "Pour <mark>réactiver</mark> le compte"
