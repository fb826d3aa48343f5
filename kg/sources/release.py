"""Assemble a :class:`~kg.model.Release` from the parts every page layout yields.

The readers (text, HTML, JSON Lines) find a title, a content type, header values and body
paragraphs; this module cleans the body, reads the dateline and picks the publication date.
"""
from __future__ import annotations

import re

from kg.errors import ParseError
from kg.model import Release
from kg.sources.dates import derived_date, parse_date, split_dateline, title_place
from kg.sources.text import check_language

#: Content types as osce.org prints them, lower-cased -> published spelling.
CONTENT_TYPES = {t.lower(): t for t in (
    "Press release", "News", "News Item", "Press statement", "Statement", "Daily report",
    "Weekly report", "Spot report", "Feature", "Story", "Op-ed", "Interview")}

_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$|^\[!\[")
_CAPTION = re.compile(r"Photo details\s*$")
_FOOTER = re.compile(r"^(?:Contacts?|Contact details|Media contacts?|For (?:more|further) information)\s*:?\s*$", re.I)
_NOISE = re.compile(r"^(?:Summary|Skip (?:Links|to main content)|Print|Share|Download)\s*:?$", re.I)


def clean_body(lines: list[str]) -> tuple[str, ...]:
    """Drop images, photo captions, summary labels, the contacts block and repeated paragraphs.

    >>> clean_body(["![x](a.jpg)", "One.", "Caption. Photo details", "Two.", "One.", "Two.", "Contacts", "Ann"])
    ('One.', 'Two.')
    """
    out: list[str] = []
    seen: set[str] = set()
    for line in lines:
        line = line.strip()
        if _FOOTER.match(line):
            break
        if not line or _IMAGE.match(line) or _CAPTION.search(line) or _NOISE.match(line):
            continue
        key = re.sub(r"\s+", " ", line)
        if key in seen:
            continue
        seen.add(key)
        out.append(line)
    return tuple(out)


def _date(value: str, what: str, source: str):
    try:
        return parse_date(value)
    except ValueError as e:
        raise ParseError(source, "invalid-date", f"invalid date in the {what}: {value!r} ({e})") from None


def build_release(*, source: str, sha256: str, title: str | None, content_type: str | None,
                  header: dict[str, str], body: list[str], url: str | None = None,
                  machine_date: str | None = None) -> Release:
    """Make a Release from a page's parts.

    ``header`` maps lower-case labels (``date``, ``place``, ``source``, ``issued on``,
    ``issued by``, ``fields of work``, ``content type``, ``publishing date``) to values.
    ``machine_date`` is an ISO date from markup (``<time datetime>``, JSON-LD), used when the
    header has none. Date precedence: header or markup date, then the dateline, then a date in
    the first paragraph (``date_derived``).

    :raises ParseError: ``no-title``, ``no-body``, ``invalid-date`` or ``language``.
    """
    if not title or not title.strip():
        raise ParseError(source, "no-title", "no title found")
    title = re.sub(r"\s+", " ", title).strip()
    paragraphs = clean_body(body)
    if not paragraphs:
        raise ParseError(source, "no-body", "no body text found")
    language = check_language(" ".join((title, *paragraphs)), source)

    dateline = split_dateline(paragraphs[0])
    if dateline and not dateline.rest.strip() and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]  # newsroom layout: the dateline is a line of its own
    date_value = header.get("date") or header.get("issued on") or header.get("publishing date")
    date, derived = None, False
    if dateline and dateline.has_year:
        date = _date(dateline.date_text, "dateline", source)
    if date_value:
        date = _date(date_value, "Date line", source)
    elif machine_date:
        date = _date(machine_date, "page markup", source)
    if date is None:
        date = derived_date(paragraphs[0])
        derived = date is not None

    place_value = header.get("place")
    fields = tuple(f.strip() for f in re.split(r"[,;|]", header.get("fields of work", "")) if f.strip())
    ctype = content_type or header.get("content type") or "Press release"
    return Release(
        title=title, content_type=CONTENT_TYPES.get(ctype.strip().lower(), ctype.strip()), body=paragraphs,
        sha256=sha256, date=date, date_derived=derived, dateline=dateline.text if dateline else None,
        places=dateline.places if dateline else (), place_value=title_place(place_value) if place_value else None,
        source=header.get("source") or header.get("issued by") or None, url=url, language=language,
        file=source, fields_of_work_declared=fields)
