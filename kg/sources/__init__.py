"""Page readers: files, bytes or a stream in, :class:`~kg.model.Release` records out.

Three input kinds are recognised by name and by content: the text of an osce.org page
(:mod:`kg.sources.text_page`), its HTML (:mod:`kg.sources.html_page`) and JSON Lines
records (:mod:`kg.sources.jsonl`). Bad inputs become :class:`~kg.errors.ParseError` values in
:func:`read_path` and :func:`read_stream`, so one bad file never stops a batch.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.errors import ParseError
from kg.model import Release
from kg.sources.html_page import parse_html
from kg.sources.jsonl import parse_record
from kg.sources.text import decode, text_sha256
from kg.sources.text_page import parse_text

__all__ = ["MAX_BYTES", "page_files", "read_path", "read_bytes", "read_stream", "text_sha256"]

#: Largest page accepted, in bytes; bigger inputs are refused before being read whole.
MAX_BYTES = 1 << 20

_PAGE_SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json", ""}


def _too_large(source: str, size: int) -> ParseError:
    return ParseError(source, "too-large", f"input of {size} bytes is over the {MAX_BYTES}-byte limit")


def read_bytes(data: bytes, source: str) -> Release:
    """Read one page (text, HTML or a single JSON record) from bytes.

    :raises ParseError: with ``reason`` ``too-large``, ``empty``, ``encoding``, ``language``,
        ``truncated``, ``no-title``, ``no-body``, ``invalid-date`` or ``json``.
    """
    if len(data) > MAX_BYTES:
        raise _too_large(source, len(data))
    text = decode(data, source)
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or source.lower().endswith((".html", ".htm")):
        return parse_html(text, source)
    if head.startswith("{"):
        return parse_record(text, source)
    return parse_text(text, source)


def _lines(f: BinaryIO, prefix: bytes = b"") -> Iterator[bytes]:
    line = prefix + f.readline(MAX_BYTES + 1)
    while line:
        yield line
        line = f.readline(MAX_BYTES + 1)


def _read_lines(f: BinaryIO, source: str, prefix: bytes = b"") -> Iterator[Release | ParseError]:
    for n, raw in enumerate(_lines(f, prefix), start=1):
        where = f"{source}:{n}"
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            yield _too_large(where, len(raw))
            while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                raw = f.readline(MAX_BYTES + 1)
            continue
        if not raw.strip():
            continue
        try:
            yield parse_record(decode(raw, where), where)
        except ParseError as e:
            yield e


def page_files(directory: str | os.PathLike) -> list[Path]:
    """The page files under ``directory`` (recursive, sorted): text, HTML and JSON Lines files,
    not hidden files or READMEs."""
    return sorted(q for q in Path(directory).rglob("*") if q.is_file() and q.suffix.lower() in _PAGE_SUFFIXES
                  and not q.name.startswith(".") and q.name.lower() != "readme.md")


def read_path(path: str | os.PathLike) -> Iterator[Release | ParseError]:
    """Yield the releases of a file, or of every page file under a directory (recursive, sorted).

    ``.jsonl`` files yield one item per line. Files over :data:`MAX_BYTES` are refused by their
    size without being read; a bad input yields a ParseError and reading carries on.
    """
    path = Path(path)
    if path.is_dir():
        for p in page_files(path):
            yield from read_path(p)
        return
    source = str(path)
    if path.suffix.lower() == ".jsonl":
        with open(path, "rb") as f:
            yield from _read_lines(f, source)
        return
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise _too_large(source, size)
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
        yield read_bytes(data, source)
    except ParseError as e:
        yield e
    except OSError as e:
        yield ParseError(source, "unreadable", f"cannot read: {e.strerror or e}")


def read_stream(fileobj: BinaryIO, source: str = "<stdin>") -> Iterator[Release | ParseError]:
    """Yield the releases of a binary stream: JSON Lines (one record per line) or one page.

    At most :data:`MAX_BYTES` + 1 bytes are read for a single page; longer pages are refused.
    """
    fileobj = getattr(fileobj, "buffer", fileobj)  # sys.stdin in text mode
    first = fileobj.read(1)
    while first in (b" ", b"\n", b"\r", b"\t"):
        first = fileobj.read(1)
    if first == b"{":
        yield from _read_lines(fileobj, source, prefix=first)
        return
    data = first + fileobj.read(MAX_BYTES)
    try:
        yield read_bytes(data, source)
    except ParseError as e:
        yield e
