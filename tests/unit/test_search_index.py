"""Build-time helpers of the search index (hooks/search_index.py)."""

from __future__ import annotations

import json

from hooks import search_index
from hooks.search_index import ZWSP, build_index, page_record, sections_from_html, segment_thai


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


def test_index_is_sorted_by_url_and_tagged_with_its_language():
    pages = [page_record(url, url, "<p>text</p>", thai=False) for url in ("vi/b/", "vi/a/")]
    index = build_index("vi", pages)
    assert index["lang"] == "vi"
    assert [page["u"] for page in index["pages"]] == ["vi/a/", "vi/b/"]


def test_post_build_writes_one_file_per_language_and_drops_materials_index(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "_collected", {
        "en": {"": page_record("", "Home", "<p>Hello</p>", thai=False)},
        "th": {"th/": page_record("th/", "หน้าแรก", "<p>สวัสดีครับ</p>", thai=True)},
    })
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text("{}")
    search_index.on_post_build({"site_dir": str(tmp_path)})
    assert sorted(path.name for path in (tmp_path / "search").iterdir()) == ["en.json", "th.json"]
    thai = json.loads((tmp_path / "search" / "th.json").read_text(encoding="utf-8"))
    assert thai["pages"][0]["u"] == "th/"
    assert search_index._collected == {}
