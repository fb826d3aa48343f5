"""Page readers: the corpus layout, other layouts (tests/data/pages), bad inputs, streams."""
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from kg import sources
from kg.errors import ParseError
from kg.model import Release
from kg.sources.dates import split_dateline

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
BAD = CORPUS / "bad"
PAGES = DATA / "pages"


def read_one(path) -> Release | ParseError:
    items = list(sources.read_path(path))
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("name,reason", [
    ("01-empty.txt", "empty"),
    ("02-random-bytes.txt", "encoding"),
    ("03-utf16-of-21.txt", "encoding"),
    ("04-no-title.txt", "no-title"),
    ("05-truncated-in-menu.txt", "truncated"),
    ("06-impossible-date-31-february.txt", "invalid-date"),
    ("07-oversized-2mb.txt", "too-large"),
    ("08-russian-language-page.txt", "language"),
])
def test_bad_inputs_are_reported_not_raised(name, reason):
    item = read_one(BAD / name)
    assert isinstance(item, ParseError)
    assert item.reason == reason
    assert item.source.endswith(name)


def test_oversized_file_is_refused_without_reading(monkeypatch):
    def no_open(*a, **k):
        raise AssertionError("oversized file was opened")
    monkeypatch.setattr("builtins.open", no_open)
    assert read_one(BAD / "07-oversized-2mb.txt").reason == "too-large"


def test_read_bytes_raises_parse_error():
    with pytest.raises(ParseError) as e:
        sources.read_bytes(b"", "x.txt")
    assert e.value.reason == "empty"


def test_html_version_has_the_same_release_identity_as_text():
    text, html = read_one(CORPUS / "02-chairpersonship-2017-kurz-eastern-ukraine.txt"), read_one(BAD / "09-html-version-of-02.html")
    assert isinstance(html, Release)
    for field in ("title", "date", "places", "source", "content_type", "body", "dateline"):
        assert getattr(html, field) == getattr(text, field), field


def test_crlf_copy_has_the_same_hash():
    a = read_one(CORPUS / "06-secretary-general-2017-mediterranean-conference-palermo.txt")
    b = read_one(BAD / "10-duplicate-of-06-crlf.txt")
    assert b"\r\n" in (BAD / "10-duplicate-of-06-crlf.txt").read_bytes()
    assert a.sha256 == b.sha256 and a.title == b.title


def test_directory_is_read_recursively_and_sorted():
    items = [i for i in sources.read_path(CORPUS) if isinstance(i, Release)]
    names = [os.path.basename(i.file) for i in items if "/bad/" not in i.file]
    assert names == sorted(names) and len(names) == 37


def test_seed_page_header_and_dateline():
    r = read_one(CORPUS / "00-seed-cio-visit-central-asia.txt")
    assert (r.content_type, r.date, r.date_derived, r.place, r.source) == (
        "Press release", dt.date(2022, 6, 8), False, "Warsaw", "OSCE Chairpersonship")
    assert r.body[0].startswith("WARSAW, 8 June 2022") and not any(line.startswith("- ") for line in r.body)


def test_same_line_header_values_and_no_dateline():
    r = read_one(CORPUS / "05-chairpersonship-2024-borg-holy-see.txt")
    assert (r.date, r.place, r.dateline) == (dt.date(2024, 5, 14), "Vatican City", None)


def test_newsroom_layout_keeps_one_copy_and_drops_caption():
    r = read_one(PAGES / "newsroom-2004-double-body.txt")
    assert r.title.startswith("OSCE Chairman-in-Office Passy")
    assert (r.date, r.places) == (dt.date(2004, 3, 15), ("Tbilisi",))
    assert len(r.body) == 2 and not any("Photo details" in p for p in r.body)


def test_subsite_layout_value_on_next_line_and_contacts_cut():
    r = read_one(PAGES / "subsite-skiplinks-contacts.txt")
    assert r.source == "OSCE Office in Tajikistan"
    assert (r.date, r.places) == (dt.date(2012, 4, 9), ("Khujand",))
    assert not any("example.org" in p for p in r.body)


def test_news_item_layout():
    r = read_one(PAGES / "news-item-issued-by.txt")
    assert (r.content_type, r.date, r.source) == ("News Item", dt.date(2025, 6, 12), "OSCE Programme Office in Bishkek")
    assert r.places == ("Sarajevo",) and r.fields_of_work_declared == ("Media freedom and development",)


def test_date_only_in_first_sentence_is_derived():
    r = read_one(PAGES / "skip-to-main-summary.txt")
    assert r.title == "Centre in Bishkek supports community policing in Osh"
    assert (r.date, r.date_derived) == (dt.date(2007, 9, 27), True)


def test_markdown_image_and_multi_place_dateline():
    r = read_one(PAGES / "mirrored-image-multiplace.txt")
    assert r.places == ("Tirana", "Brussels", "Geneva") and r.date == dt.date(2020, 10, 6)
    assert not r.body[0].startswith("![")


def test_jsonl_yields_each_record_and_reports_bad_lines():
    items = list(sources.read_path(PAGES / "releases.jsonl"))
    assert [type(i).__name__ for i in items] == ["Release", "ParseError", "Release"]
    assert items[1].source.endswith("releases.jsonl:2")
    assert items[0].url == "https://www.osce.org/node/1" and items[2].content_type == "Daily report"


def test_html_with_json_ld_and_meta():
    r = read_one(PAGES / "jsonld-page.html")
    assert r.title == "ODIHR opens observation mission for Armenia"
    assert r.url == "https://www.osce.org/odihr/elections/armenia/1234" and r.date == dt.date(2021, 5, 27)
    assert all("Türkiye" not in p for p in r.body)


def test_stream_of_json_lines_and_single_page():
    data = (PAGES / "releases.jsonl").read_bytes()
    assert len(list(sources.read_stream(io.BytesIO(data)))) == 3
    page = (CORPUS / "07-secretary-general-2015-sousse-attack-short.txt").read_bytes()
    (r,) = list(sources.read_stream(io.BytesIO(page)))
    assert r.file == "<stdin>" and r.date == dt.date(2015, 6, 26)


@pytest.mark.parametrize("text,places,date", [
    ("VIENNA, 3 March 2015 – Text", ("Vienna",), "3 March 2015"),
    ("VIENNA, 3 March 2015 — Text", ("Vienna",), "3 March 2015"),
    ("VIENNA, 3 March 2015 -- Text", ("Vienna",), "3 March 2015"),
    ("VIENNA, 3 March 2015–– Text", ("Vienna",), "3 March 2015"),
    ("VIENNA, 9 Apr 2012- Text", ("Vienna",), "9 Apr 2012"),
    ("VIENNA, 3 March 2015 (OSCE) - Text", ("Vienna",), "3 March 2015"),
    ("SKOPJE/WARSAW/COPENHAGEN, 1 May 2016 – Text", ("Skopje", "Warsaw", "Copenhagen"), "1 May 2016"),
    ("MARY, region of Turkmenistan, 2 June 2021 – Text", ("Mary",), "2 June 2021"),
    ("12 June 2025, Sarajevo – Text", ("Sarajevo",), "12 June 2025"),
    ("25 June 1996 - Text", (), "25 June 1996"),
])
def test_dateline_forms(text, places, date):
    d = split_dateline(text)
    assert (d.places, d.date_text) == (places, date)
    assert d.rest == "Text"
