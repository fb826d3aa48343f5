"""A real headless Chromium (Debian's, driven by Playwright) clicks through the site:
home -> a State -> a release -> a person, uses a facet and the search. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest

from conftest import live_server
from ld_fixtures import build_store, make_app

ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_url():
    """A live server whose base IRI is its own address, so every URI in the data dereferences."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    app = make_app(build_store(base), base, Path(tempfile.mkdtemp()))
    with live_server(app, port) as url:
        yield url


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", headless=True,
                                                       args=FLAGS, viewport={"width": 1280, "height": 900})
        yield browser.new_page()
        browser.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_click_through(live_url, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_url + "/")
    assert page.locator("h1").inner_text() == "OSCE knowledge graph"
    shot(page, "01-home")
    page.get_by_role("link", name="All States and partners").click()
    page.get_by_role("link", name="Ukraine", exact=True).click()
    assert page.locator("h1").inner_text() == "Ukraine"
    assert page.url.endswith("/page/state/ukraine")
    assert page.locator("svg.timeline").count() == 1
    shot(page, "02-state")
    page.get_by_role("link", name="Chairperson-in-Office visits Ukraine", exact=False).first.click()
    assert "/page/release/" in page.url
    shot(page, "03-release")
    page.locator("section.body a", has_text="Sebastian Kurz").first.click()
    assert page.locator("h1").inner_text() == "Sebastian Kurz"
    shot(page, "04-person")
    page.goto(live_url + "/page/release/node-485000")
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()  # shown as text, never run
    shot(page, "05-escaped-release")
    assert dialogs == []


def test_facet_and_search(live_url, page):
    page.goto(live_url + "/releases")
    page.locator('a.facet[data-facet="year"]', has_text="2019").click()
    assert "year=2019" in page.url
    assert page.locator("main ol li").count() == 2
    shot(page, "06-facet")
    page.fill("#site-q", "ceasefire")
    page.press("#site-q", "Enter")
    assert "/search?q=ceasefire" in page.url
    assert page.locator("ol.results mark").count() >= 1
    shot(page, "07-search")
