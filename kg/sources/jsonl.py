"""Read JSON records ``{url, title, date, place, source, content_type, body}``, one per line."""
from __future__ import annotations

import json

from kg.errors import ParseError
from kg.model import Release
from kg.sources.release import build_release
from kg.sources.text import text_sha256


def parse_record(line: str, source: str) -> Release:
    """Parse one JSON record. ``body`` is a string (paragraphs separated by newlines) or a list.

    :raises ParseError: ``json`` for malformed JSON or a record that is not an object, plus the
        reasons of :func:`kg.sources.release.build_release`.
    """
    try:
        rec = json.loads(line)
    except ValueError as e:
        raise ParseError(source, "json", f"malformed JSON: {e}") from None
    if not isinstance(rec, dict):
        raise ParseError(source, "json", "a JSON Lines record must be an object")
    body = rec.get("body") or ""
    paragraphs = body.split("\n") if isinstance(body, str) else [str(p) for p in body]
    header = {k.replace("_", " "): str(rec[k]) for k in ("date", "place", "source") if rec.get(k)}
    return build_release(source=source, sha256=text_sha256(line.strip()), title=rec.get("title"),
                         content_type=rec.get("content_type"), header=header, body=paragraphs, url=rec.get("url"))
