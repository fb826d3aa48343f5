"""Read an HTML page (semantic markup, ``<meta>`` tags, JSON-LD) with the standard library parser.

Navigation, header, footer, script and style elements are skipped. The title comes from
``<h1>`` (else ``og:title`` or JSON-LD ``headline``, else ``<title>`` without the site suffix);
the Date/Place/Source block from ``<dt>``/``<dd>`` pairs or ``Label: value`` lines; the body from
the paragraphs after the title.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from kg.model import Release
from kg.sources.release import CONTENT_TYPES, build_release
from kg.sources.text import text_sha256

_SKIP = {"nav", "script", "style", "footer", "noscript", "template", "svg", "form", "aside"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "dd", "div", "blockquote", "figcaption", "td", "th", "section",
           "article", "main", "header", "span", "time"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}
_LABEL = re.compile(r"^(Date|Place|Source|Issued on|Issued by|Fields of work|Publishing date|Content type)\s*:?\s*(.*)$", re.I)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, str]] = []  # (tag, class, text)
        self.meta: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.times: list[str] = []
        self.lang = None
        self._stack: list[tuple[str, str]] = []
        self._skip = 0
        self._buf: list[str] = []
        self._in_title = self._in_jsonld = False
        self.doc_title = ""

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self._buf)).strip()
        self._buf = []
        if text and self._stack:
            tag, cls = next(((t, c) for t, c in reversed(self._stack) if t in _BLOCKS - {"span", "time"}), self._stack[-1])
            self.blocks.append((tag, cls, text))

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key and "content" in a:
                self.meta.setdefault(key.lower(), a["content"])
        elif tag == "link" and a.get("rel") == "canonical":
            self.meta.setdefault("canonical", a.get("href", ""))
        elif tag == "title":
            self._in_title = True
        elif tag == "script" and "ld+json" in a.get("type", ""):
            self._in_jsonld = True
        elif tag == "time" and a.get("datetime") and not self._skip:
            self.times.append(a["datetime"])
        if tag in _VOID:
            if tag == "br":
                self._buf.append(" ")
            return
        if tag in _SKIP:
            self._skip += 1
        if tag in _BLOCKS - {"span", "time"}:
            self._flush()
        self._stack.append((tag, a.get("class", "")))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "script":
            self._in_jsonld = False
        if tag in _VOID or not any(t == tag for t, _ in self._stack):
            return
        if tag in _BLOCKS - {"span", "time"}:
            self._flush()
        while self._stack:
            t, _ = self._stack.pop()
            if t in _SKIP:
                self._skip -= 1
            if t == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.doc_title += data
        elif self._in_jsonld:
            self.jsonld.append(data)
        elif not self._skip:
            self._buf.append(data)


def _jsonld(chunks: list[str]) -> dict:
    out: dict = {}
    for chunk in chunks:
        try:
            data = json.loads(chunk)
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and any(k in item for k in ("headline", "datePublished")):
                for k, v in item.items():
                    out.setdefault(k, v)
    return out


def parse_html(text: str, source: str) -> Release:
    """Parse an HTML page into a Release.

    :raises ParseError: ``no-title``, ``no-body``, ``invalid-date`` or ``language``.
    """
    c = _Collector()
    c.feed(text)
    c.close()
    c._flush()
    ld = _jsonld(c.jsonld)
    blocks = c.blocks
    h1 = next((i for i, (tag, _, _) in enumerate(blocks) if tag == "h1"), None)
    title = blocks[h1][2] if h1 is not None else (
        c.meta.get("og:title") or ld.get("headline") or re.split(r"\s+[|–-]\s+OSCE\b", c.doc_title)[0].strip())
    content_type = next((t for tag, cls, t in (blocks[:h1] if h1 is not None else blocks)
                         if "content-type" in cls or t.lower() in CONTENT_TYPES), None)
    header: dict[str, str] = {}
    body: list[str] = []
    label = None
    for tag, _, t in blocks[(h1 + 1) if h1 is not None else 0:]:
        m = _LABEL.match(t)
        if tag == "dt" or (m and len(t) < 120 and not body):
            label, value = (m.group(1).lower(), m.group(2).strip()) if m else (t.rstrip(":").lower(), "")
            if value:
                header[label], label = value, None
            continue
        if tag == "dd" and label:
            header[label], label = t, None
            continue
        if tag in ("p", "blockquote", "li", "div", "h2", "h3", "td") and not (h1 is None and t == title):
            body.append(t)
    machine_date = (c.times[0] if c.times else None) or ld.get("datePublished") or \
        c.meta.get("article:published_time") or c.meta.get("dc.date")
    url = c.meta.get("og:url") or c.meta.get("canonical") or ld.get("url") or None
    return build_release(source=source, sha256=text_sha256(text), title=title, content_type=content_type,
                         header=header, body=body, url=url, machine_date=machine_date)
