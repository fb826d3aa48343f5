"""Full-text search (``/search?q=…``) over release titles and bodies and the labels of things,
ranked by BM25 with highlighted matches, as HTML and JSON."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from kg.search_index import HL_END, HL_START
from server.errors import ApiError
from server.linkeddata import get_index, local

bp = Blueprint("search", __name__)
PAGE = 20


def highlight(text: str) -> Markup:
    """Escape a snippet, then turn the index's match marks into ``<mark>`` elements.

    >>> str(highlight("a \\x02<b>\\x03 c"))
    'a <mark>&lt;b&gt;</mark> c'
    """
    return Markup(str(escape(text)).replace(HL_START, "<mark>").replace(HL_END, "</mark>"))


def plain(text: str) -> str:
    """A snippet without the match marks."""
    return text.replace(HL_START, "").replace(HL_END, "")


@bp.route("/search")
@bp.route("/search.<ext>")
def search(ext: str = "html") -> Response | str:
    """Search; ``offset`` pages through the hits."""
    if ext not in ("html", "json"):
        raise ApiError(404, f"search answers html or json, not {ext!r}")
    q = request.args.get("q", "").strip()
    raw = request.args.get("offset", "0")
    if not (raw.isascii() and raw.isdigit()):
        raise ApiError(400, "offset is a non-negative integer")
    offset = int(raw)
    hits, total = get_index().search(q, limit=PAGE, offset=offset) if q else ([], 0)
    more = url_for("search.search", ext=None if ext == "html" else ext, q=q, offset=offset + PAGE) \
        if offset + PAGE < total else None
    if ext == "json":
        return jsonify(q=q, total=total, offset=offset, next_url=more,
                       hits=[{"iri": h.iri, "kind": h.kind, "title": plain(h.title), "snippet": plain(h.snippet),
                              "title_html": str(highlight(h.title)), "snippet_html": str(highlight(h.snippet)),
                              "score": -h.rank} for h in hits])
    return render_template("search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits, total=total,
                           next_url=more, highlight=highlight, local=local)
