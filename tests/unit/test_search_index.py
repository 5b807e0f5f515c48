"""Build-time helpers of the search index (hooks/search_index.py)."""

from __future__ import annotations

import json

from hooks import search_index
from hooks.search_index import ZWSP, build_pieces, shard_file, page_record, sections_from_html, segment_thai


def test_thai_run_is_cut_into_words_joined_by_zero_width_space():
    text = segment_thai("ชำระใบแจ้งหนี้ที่เกินกำหนด")
    assert text.split(ZWSP) == ["ชำระ", "ใบแจ้งหนี้", "ที่", "เกินกำหนด"]


def test_segmentation_keeps_latin_text_spaces_and_digits():
    text = segment_thai("ติดต่อ Skylark ภายใน 24 ชั่วโมง")
    assert text.replace(ZWSP, "") == "ติดต่อ Skylark ภายใน 24 ชั่วโมง"
    assert "Skylark" in text.split(" ")


def test_text_without_thai_is_unchanged():
    assert segment_thai("Hóa đơn quá hạn, réactiver") == "Hóa đơn quá hạn, réactiver"


def test_sections_are_cut_at_headings_and_keep_their_anchor():
    html = (
        '<h1 id="pay">Pay an overdue invoice</h1><p>Intro <strong>text</strong>.</p>'
        '<h2 id="who-can-do-this">Who can do this<a class="headerlink" href="#who-can-do-this">¶</a></h2>'
        "<ul><li>Owner</li><li>Admin</li></ul>"
        '<h3 id="find">Find the number</h3><table><tr><td>A</td><td>B</td></tr></table>'
    )
    assert sections_from_html(html) == [
        ("pay", "Pay an overdue invoice", "Intro text."),
        ("who-can-do-this", "Who can do this", "Owner Admin"),
        ("find", "Find the number", "A B"),
    ]


def test_text_before_the_first_heading_is_a_section_without_anchor():
    assert sections_from_html("<p>Only text</p>") == [("", "", "Only text")]


def test_page_record_drops_the_h1_that_repeats_the_title_and_segments_thai():
    record = page_record(
        "th/billing/invoices/",
        "ใบแจ้งหนี้",
        '<h1 id="x">ใบแจ้งหนี้</h1><p>ดาวน์โหลดใบแจ้งหนี้</p><h2 id="find-invoices">ค้นหาใบแจ้งหนี้</h2><p>ข้อความ</p>',
        thai=True,
    )
    assert record["u"] == "th/billing/invoices/"
    assert record["s"][0] == ["x", "", f"ดาวน์โหลด{ZWSP}ใบแจ้งหนี้"]
    assert record["s"][1][0] == "find-invoices"
    assert ZWSP in record["s"][1][1]


def test_pieces_hold_pages_in_url_order_and_words_by_their_first_letters():
    pages = [
        page_record("vi/b/", "Hóa đơn", "<p>Hóa đơn quá hạn</p>", thai=False),
        page_record("vi/a/", "Thẻ", "<h2 id='x'>Hóa</h2><p>Thẻ bị từ chối</p>", thai=False),
    ]
    files = build_pieces("vi", pages)
    entry = files["index.json"]
    assert entry["lang"] == "vi" and entry["pages"] == 2 and entry["sections"] == 2
    assert [page["u"] for page in files["p/0.json"]] == ["vi/a/", "vi/b/"]  # a small site: one file
    assert "ho" in entry["keys"] and "t/ho.json" in files
    # "hóa": in 2 sections; on page 0 in a heading (2), on page 1 in the title (4) and the text (1).
    assert files["t/ho.json"] == [["hóa", 2, [0, 2, 1, 5]]]
    assert "words.json" not in files and entry["thai_words"] is False


def test_french_words_carry_their_snowball_stem_and_thai_words_are_listed():
    french = build_pieces("fr", [page_record("fr/a/", "Remboursements", "<p>Rembourser</p>", thai=False)])
    assert {row[0]: row[3] for row in french["t/re.json"]} == {"remboursements": "rembours", "rembourser": "rembours"}
    thai = build_pieces("th", [page_record("th/", "หน้าแรก", "<p>ชำระใบแจ้งหนี้</p>", thai=True)])
    assert thai["index.json"]["thai_words"] is True
    assert {"ชำระ", "ใบแจ้งหนี้"} <= set(thai["words.json"])
    assert all(len(row) == 3 for key in thai["index.json"]["keys"] for row in thai[f"t/{shard_file(key)}"])


def test_post_build_writes_an_entry_and_a_content_named_folder_per_language(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "_collected", {
        "en": {"": page_record("", "Home", "<p>Hello</p>", thai=False)},
        "th": {"th/": page_record("th/", "หน้าแรก", "<p>สวัสดีครับ</p>", thai=True)},
    })
    (tmp_path / "search" / "en-stale").mkdir(parents=True)
    (tmp_path / "search" / "search_index.json").write_text("{}")
    search_index.on_post_build({"site_dir": str(tmp_path)})
    entry = json.loads((tmp_path / "search" / "th.json").read_text(encoding="utf-8"))
    assert entry["base"].startswith("th-")
    assert json.loads((tmp_path / "search" / entry["base"] / "p" / "0.json").read_text(encoding="utf-8"))[0]["u"] == "th/"
    names = sorted(path.name for path in (tmp_path / "search").iterdir())
    assert names == sorted(["en.json", "th.json", entry["base"].rstrip("/"),
                            json.loads((tmp_path / "search" / "en.json").read_text())["base"].rstrip("/")])
    assert search_index._collected == {}


def test_a_larger_site_writes_one_file_per_page():
    pages = [page_record(f"p{n}/", f"Page {n}", "<p>Text</p>", thai=False) for n in range(25)]
    files = build_pieces("en", pages)
    assert files["index.json"]["pages_per_file"] == 1
    assert len(files["p/24.json"]) == 1 and "p/25.json" not in files


def test_the_rust_word_cutter_cuts_every_thai_run_of_the_docs_as_pythainlps_newmm():
    from pathlib import Path

    from pythainlp.tokenize import word_tokenize

    docs = Path(search_index.__file__).resolve().parents[1] / "docs" / "th"
    runs = {run for file in docs.rglob("*.md") for run in search_index.THAI_RUN.findall(file.read_text("utf-8"))}
    assert len(runs) > 1000
    differ = [run for run in sorted(runs)
              if word_tokenize(run, engine=search_index.THAI_ENGINE, keep_whitespace=False)
              != word_tokenize(run, engine="newmm", keep_whitespace=False)]
    assert not differ, differ[:5]


def test_pages_are_left_out_of_materials_unused_search_index():
    class Page:
        url, title, meta = "billing/refunds/", "Refunds", {"search": {"boost": 2}}

    config = {"theme": {"language": "zz-test"}}
    search_index.on_page_content("<h1>Refunds</h1><p>Money back.</p>", Page, config, None)
    search_index._collected.pop("zz-test")
    assert Page.meta["search"] == {"boost": 2, "exclude": True}
