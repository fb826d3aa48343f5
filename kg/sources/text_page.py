"""Read the text of an osce.org page: navigation menu, content type, title, header, body.

Layouts handled (see tests/data/pages for examples):

* the current layout: menu, ``Press release``, title, ``- Date:`` / ``- Place:`` / ``- Source:``
  with values on the same line, on the next line as ``- VALUE``, or missing;
* subsites: ``Skip Links`` / ``Press release`` / title / ``Date:`` ... and a contacts block;
  ``News Item`` with ``Issued on:`` / ``Issued by:`` / ``Fields of work:``; listing-style
  ``Publishing date:`` / ``Content type:`` lines;
* the older newsroom layout: ``Newsroom``, title, ``PLACE D Month YYYY``, an optional photo
  caption ending in ``Photo details`` and the body printed twice;
* ``Skip to main content`` / title / ``Summary`` / body;
* a bare page: title line, then body.
"""
from __future__ import annotations

import re

from kg.errors import ParseError
from kg.model import Release
from kg.sources.dates import split_dateline
from kg.sources.release import CONTENT_TYPES, build_release
from kg.sources.text import check_language, text_sha256

_LABEL = re.compile(r"^-?\s*(Date|Place|Source|Issued on|Issued by|Fields of work|Publishing date|Content type|"
                    r"Where we are|What we do)\s*:\s*(.*)$", re.I)
_MARKERS = ("newsroom", "skip to main content", "skip links", "skip link")


def _is_menu(line: str) -> bool:
    return line == "-" or line.startswith("- ")


def _header(lines: list[str], i: int) -> tuple[dict[str, str], int]:
    """Read header labels from ``lines[i]``; return the values and the index of the body."""
    header: dict[str, str] = {}
    while i < len(lines):
        m = _LABEL.match(lines[i])
        if not m:
            break
        label, value = m.group(1).lower(), m.group(2).strip()
        i += 1
        if not value and i < len(lines) and not _LABEL.match(lines[i]):
            if lines[i].startswith("- "):
                value = lines[i][2:].strip()
                i += 1
            elif not lines[i - 1].startswith("-") and len(lines[i]) < 100 and not split_dateline(lines[i]):
                value = lines[i]  # subsite style: ``Source:`` then the value on its own line
                i += 1
        if value:
            header[label] = value
    return header, i


def parse_text(text: str, source: str) -> Release:
    """Parse normalised page text into a Release.

    :raises ParseError: ``truncated`` (only menu lines), ``no-title``, ``no-body``,
        ``invalid-date`` or ``language``.
    """
    check_language(text, source)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    header_at = next((i for i, ln in enumerate(lines) if _LABEL.match(ln) and i > 0), None)
    start = None  # index of the content-type or marker line
    limit = header_at if header_at is not None else len(lines)
    for i in range(limit - 1, -1, -1):
        low = lines[i].lower()
        if low in CONTENT_TYPES or low in _MARKERS:
            start = i
            break
    if header_at is None and start is None:
        if sum(map(_is_menu, lines)) > len(lines) / 2:
            raise ParseError(source, "truncated", "page is cut short: only navigation menu, no content type or title")
        start = -1  # bare page: first line is the title
    content_type = None
    if start is not None and start >= 0 and lines[start].lower() in CONTENT_TYPES:
        content_type = lines[start]
    if header_at is not None:
        title_at = header_at - 1
        title = lines[title_at] if title_at > (start if start is not None else -1) else None
        if title is None or title.lower() in CONTENT_TYPES or _is_menu(title):
            raise ParseError(source, "no-title", "no title line before the Date/Place/Source header")
        header, body_at = _header(lines, header_at)
    else:
        title_at = start + 1
        while title_at < len(lines) and lines[title_at].lower() in _MARKERS:
            title_at += 1
        if title_at >= len(lines) or _is_menu(lines[title_at]):
            raise ParseError(source, "no-title", "no title line found")
        title = lines[title_at]
        header, body_at = _header(lines, title_at + 1)
        # a content type printed after the title (``Skip to main content`` layout)
        if content_type is None and body_at < len(lines) and lines[body_at].lower() in CONTENT_TYPES:
            content_type = lines[body_at]
            body_at += 1
    return build_release(source=source, sha256=text_sha256(text), title=title, content_type=content_type,
                         header=header, body=lines[body_at:])
