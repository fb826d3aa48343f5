"""The query editor at /sparql: HTTP behaviour (HTML only for clients that prefer it), the
example queries on the corpus store, and a real headless Chromium (Debian's, driven by
Playwright) that picks an example, runs it, completes an osce: term, follows the share link and
downloads CSV — with no request leaving 127.0.0.1. Screenshots go to tests/artifacts/sparql-*.png."""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import BASE, live_server, make_sparql_app
from server import create_app
from server.canned import QUERY_DIR, load
from server.query_ui import STANDARD_PREFIXES

ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HTML = {"Accept": BROWSER_ACCEPT}
EXAMPLES = load(BASE)
OSCE = BASE + "ontology#"
#: a value for each example parameter that has matches in the corpus
SAMPLE_PARAMS = {"state": BASE + "id/state/ukraine", "type": OSCE + "Visit", "person": BASE + "id/person/zbigniew-rau"}
SELECT = EXAMPLES["releases-per-state-per-year"]["query"]


def bind(name: str) -> str:
    text = EXAMPLES[name]["query"]
    for p in EXAMPLES[name]["params"]:
        text = text.replace("$" + p, f"<{SAMPLE_PARAMS[p]}>")
    return text


# --- example queries -------------------------------------------------------------------------

def test_at_least_ten_examples_with_titles():
    assert len(list(QUERY_DIR.glob("*.rq"))) >= 10
    assert all(q["title"] != q["name"] for q in EXAMPLES.values())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_returns_rows_on_the_corpus(read_store, name):
    """As loaded into the editor (parameters open) and with a sample value bound."""
    for text in {EXAMPLES[name]["query"], bind(name)}:
        rows = list(read_store.query(text))
        assert rows, f"{name} returns no rows:\n{text}"


# --- HTTP ------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json", "text/csv",
                                    "text/html;q=0.5, application/sparql-results+json",
                                    "application/xml;q=0.9,*/*;q=0.8"])
def test_no_html_unless_preferred(client, accept):
    headers = {"Accept": accept} if accept else {}
    assert client.get("/sparql", query_string={"query": SELECT}, headers=headers).mimetype != "text/html"
    assert client.get("/sparql", headers=headers).mimetype != "text/html"


def test_without_accept_the_service_description_and_results(client):
    assert client.get("/sparql").mimetype == "text/turtle"
    r = client.get("/sparql", query_string={"query": SELECT})
    assert r.mimetype == "application/sparql-results+json" and json.loads(r.data)["results"]["bindings"]


def test_browsers_get_the_editor_and_a_results_table(client):
    r = client.get("/sparql", headers=HTML)
    assert r.status_code == 200 and r.mimetype == "text/html" and "Accept" in r.vary
    page = r.get_data(as_text=True)
    assert '<textarea id="query" name="query"' in page and 'id="results"' not in page
    r = client.get("/sparql", query_string={"query": SELECT}, headers=HTML)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and page.count("<tr>") > 10
    assert re.search(r"<th scope=\"col\">state</th>", page)
    assert client.get("/sparql", query_string={"query": SELECT, "format": "csv"}, headers=HTML).mimetype == "text/csv"


def test_download_links_cover_every_format(client):
    kinds = {SELECT: ["JSON", "XML", "CSV", "TSV"],
             "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5": ["Turtle", "N-Triples", "RDF/XML", "JSON-LD"]}
    types = {"JSON": "application/sparql-results+json", "XML": "application/sparql-results+xml", "CSV": "text/csv",
             "TSV": "text/tab-separated-values", "Turtle": "text/turtle", "N-Triples": "application/n-triples",
             "RDF/XML": "application/rdf+xml", "JSON-LD": "application/ld+json"}
    for query, labels in kinds.items():
        page = client.get("/sparql", query_string={"query": query}, headers=HTML).get_data(as_text=True)
        links = dict((label, href) for href, label in re.findall(r'<a href="([^"]+)" download="[^"]+" type="[^"]+" '
                                                                  r'data-format="([^"]+)"', page))
        assert sorted(links) == sorted(labels)
        for label, href in links.items():
            r = client.get(href.replace("&amp;", "&"), headers=HTML)  # a browser following the link
            assert r.status_code == 200 and r.mimetype == types[label], (label, r.mimetype)


def test_share_link_reopens_and_runs(client):
    page = client.get("/sparql", query_string={"query": SELECT}, headers=HTML).get_data(as_text=True)
    share = re.search(r'<a id="share" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    again = client.get(urlsplit(share).path + "?" + urlsplit(share).query, headers=HTML).get_data(as_text=True)
    assert again.count("<tr>") == page.count("<tr>")


def test_data_and_queries_are_escaped(client):
    q = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) } # </textarea><b>'
    page = client.get("/sparql", query_string={"query": q}, headers=HTML).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "</textarea><b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_errors_keep_the_query(client):
    r = client.get("/sparql", query_string={"query": "SELECT * {"}, headers=HTML)
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert 'role="alert"' in r.get_data(as_text=True) and "SELECT * {</textarea>" in r.get_data(as_text=True)
    assert client.get("/sparql", query_string={"example": "nope"}, headers=HTML).status_code == 404


def test_example_loads_without_running(client):
    page = client.get("/sparql", query_string={"example": "cio-visits"}, headers=HTML).get_data(as_text=True)
    assert "osce:Tenure" in page and 'id="results"' not in page


def test_terms_are_ours(read_store, tmp_path):
    app = create_app({"TESTING": True, "STORE_OBJECT": read_store, "BASE_IRI": BASE, "RATE_LIMIT": 0,
                      "QUERY_WORKERS": 0, "INDEX_PATH": str(tmp_path / "index.sqlite")})
    terms = json.loads(app.test_client().get("/sparql/terms.json").data)
    assert terms["prefixes"]["osce"] == OSCE
    assert set(STANDARD_PREFIXES) | {"osce"} == set(terms["prefixes"])
    assert OSCE + "Release" in terms["classes"] and OSCE + "datePublished" in terms["properties"]
    assert "http://www.w3.org/ns/org#member" in terms["properties"]  # used in the data
    assert not any("dbpedia" in t or "lov" in t for t in terms["classes"] + terms["properties"])


def test_canned_page_links_into_the_editor(client):
    page = client.get("/api/queries", headers=HTML).get_data(as_text=True)
    assert page.count('class="open-editor"') == len(EXAMPLES) == page.count('class="run-editor"')
    assert 'href="/sparql?example=people-met"' in page


def test_page_loads_nothing_from_elsewhere(client):
    page = client.get("/sparql", headers=HTML).get_data(as_text=True)
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page):
        assert url.startswith("/"), url
    vendored = Path(__file__).parent.parent / "server" / "static" / "yasgui"
    assert {"LICENSE", "yasqe.min.js", "yasqe.min.css"} <= {p.name for p in vendored.iterdir()}
    for asset in ("/static/yasgui/yasqe.min.js", "/static/yasgui/yasqe.min.css", "/static/sparql-ui.js"):
        r = client.get(asset)
        assert r.status_code == 200
        r.close()


# --- a real browser --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live_ui(built_store_path):
    """A live server over the corpus store, on a free loopback port."""
    with live_server(make_sparql_app(built_store_path)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def ui(browser):
    """A page that records every request and refuses any that would leave 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    outside, errors = [], []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    yield page
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == []


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sparql-{name}.png"), full_page=True)


def editor_value(page) -> str:
    return page.evaluate("window.osceQueryEditor.getValue()")


@pytest.mark.browser
def test_pick_run_share_download(live_ui, ui):
    page = ui
    page.goto(live_ui + "/sparql")
    page.wait_for_selector(".CodeMirror")
    assert page.locator(".CodeMirror .cm-keyword").count() > 0  # SPARQL highlighting
    assert page.locator("#query").is_hidden()
    shot(page, "01-editor")

    page.select_option("#example", "releases-per-state-per-year")
    assert "osce:ParticipatingState" in editor_value(page)
    page.click("#run")
    page.wait_for_selector("#results")
    assert "query=" in page.url
    rows = page.locator("#results tbody tr").count()
    assert rows > 10
    assert page.locator("#results th").first.inner_text() == "state"
    shot(page, "02-results")

    share = page.get_attribute("#share", "href")
    query = editor_value(page)
    with page.expect_download() as info:
        page.click('a[data-format="CSV"]')
    body = Path(info.value.path()).read_bytes().decode("utf-8")
    assert body.startswith("state,label,year,releases\r\n") and len(body.splitlines()) == rows + 1
    assert "http://127.0.0.1:8080/id/state/ukraine,Ukraine," in body

    page.goto("about:blank")
    page.goto(share)
    page.wait_for_selector(".CodeMirror")
    assert editor_value(page) == query
    assert page.locator("#results tbody tr").count() == rows
    shot(page, "03-shared")


@pytest.mark.browser
def test_autocompletion_offers_our_terms(live_ui, ui):
    page = ui
    page.goto(live_ui + "/sparql")
    page.wait_for_selector(".CodeMirror")
    page.evaluate(f"""() => {{
        const y = window.osceQueryEditor;
        y.setValue("PREFIX osce: <{OSCE}>\\nSELECT * WHERE {{\\n  ?x a \\n}}");
        y.focus(); y.getDoc().setCursor({{line: 2, ch: 7}});
    }}""")
    page.keyboard.type("osce:Rel", delay=40)
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for(timeout=5000)
    offered = hints.all_inner_texts()
    assert "osce:Release" in offered and all(h.startswith("osce:Rel") for h in offered), offered
    shot(page, "04-autocomplete")
    page.keyboard.press("Enter")
    assert "?x a osce:Release" in editor_value(page)

    # a prefix the query has not declared: completed from our list, and declared on insertion
    page.keyboard.type(" ;\n    org:memb", delay=40)
    hints.first.wait_for(timeout=5000)
    assert "org:member" in hints.all_inner_texts()
    page.keyboard.press("Enter")
    assert "PREFIX org: <http://www.w3.org/ns/org#>" in editor_value(page)
    assert "org:member" in editor_value(page).split("WHERE")[1]


@pytest.mark.browser
def test_escaped_results_and_no_javascript(live_ui, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_ui + "/sparql")
    assert page.locator("#query").is_visible()
    page.select_option("#example", "cio-visits")
    page.click("#load-example")
    assert "osce:Visit" in page.locator("#query").input_value()
    page.click("#run")
    assert page.locator("#results tbody tr").count() >= 1
    shot(page, "05-no-javascript")
    page.fill("#query", 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }')
    page.click("#run")
    assert page.locator("#results td").first.inner_text() == "<script>alert(1)</script>"
    context.close()
