"""HTML pages: escaping of release text, what entity and release pages show, accessibility basics."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from ld_fixtures import BASE, client, ld_app, ld_store  # noqa: F401  (fixtures)

XSS_RELEASE = "/page/release/node-485000"
PAGES = ["/", "/page/state/ukraine", XSS_RELEASE, "/page/person/sebastian-kurz", "/page/institution/odihr",
         "/releases", "/releases?state=ukraine", "/things/states", "/search?q=ukraine", "/search?q=script",
         "/dataset", "/dumps/", "/ontology", "/page/release/node-290001"]


class Checker(HTMLParser):
    """Collects what the checks need and fails on unbalanced elements."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "base", "col", "embed", "track"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.ids, self.tags, self.scripts, self.inputs, self.labels = [], [], [], [], [], [], set()
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script":
            self._in_script = a.get("type")
        if tag == "input" and a.get("type") != "hidden":
            self.inputs.append(a.get("id"))
        if tag == "label" and "for" in a:
            self.labels.add(a["for"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_well_formed_and_accessible(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    html = r.data.decode()
    assert html.lower().startswith("<!doctype html>") and '<html lang="en">' in html
    assert 'name="viewport"' in html
    c = Checker()
    c.feed(html)
    assert not c.errors and not c.stack, c.errors
    assert c.tags.count("h1") == 1
    assert len(c.ids) == len(set(c.ids)), "duplicate ids"
    assert all(i in c.labels for i in c.inputs), "every input has a label"
    # only JSON-LD scripts, no JavaScript
    assert all(t == "application/ld+json" for t, _ in c.scripts)
    for _, data in c.scripts:
        json.loads(data)


@pytest.mark.parametrize("path", PAGES)
def test_markup_from_releases_is_escaped(client, path):
    body = client.get(path).data.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "<b>Vienna</b>" not in body


def test_release_page(client):
    html = client.get(XSS_RELEASE).data.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # recognised entities are linked in place in the body
    assert '<a href="/id/person/helga-maria-schmid">Helga Maria Schmid</a>' in html
    assert '<a href="/id/state/austria">Austria</a>' in html
    assert 'href="https://www.osce.org/secretary-general/485000"' in html  # the original page
    assert "2021-05-03" in html and "Secretary General" in html  # date, role fact
    assert 'id="h-event"' in html and 'id="h-facts"' in html


def test_entity_page(client):
    html = client.get("/page/state/ukraine").data.decode()
    assert "<h1>Ukraine</h1>" in html
    assert 'href="http://www.wikidata.org/entity/Q212"' in html
    assert '<svg class="timeline"' in html
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)  # releases newest first
    assert re.search(r"<h3>mentions \(5\)</h3>", html)  # incoming links grouped, with counts
    assert "stated in" in html  # facts link the release stating them
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "Country" and ld["@id"] == BASE + "id/state/ukraine"


def test_incoming_links_page_per_property(client):
    html = client.get("/page/state/ukraine?in=" + BASE + "ontology%23mentions&inpage=1").data.decode()
    assert html.count("stated in") >= 5


def test_home_links_entry_points(client):
    html = client.get("/").data.decode()
    for href in ("/releases", "/things/states", "/things/structures", "/things/field-operations", "/things/people",
                 "/sparql", "/dumps/", "/ontology", 'action="/search"'):
        assert href in html
    assert 'method="get"' in html


def test_json_and_csv_carry_titles_verbatim_and_html_fields_escaped(client):
    hits = client.get("/search.json?q=script").get_json()["hits"]
    hit = next(h for h in hits if h["kind"] == "release")
    assert hit["title"].startswith("Secretary General <script>alert(1)</script>")
    assert "<script>" not in hit["title_html"] and "&lt;<mark>script</mark>&gt;" in hit["title_html"]
    assert "<script>alert(1)</script>" in client.get("/releases.csv").data.decode()
