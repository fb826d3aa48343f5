"""Listings: releases filtered by State, structure, field of work, year and content type with facet
counts and keyset paging (``_next``, as Datasette does), as HTML, JSON and CSV; and lists of things."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from server.errors import ApiError
from server.extension import get_state
from server.linkeddata import cached, etag_for, get_index, local

bp = Blueprint("listings", __name__)

# filter parameter -> IRI kinds its slug may name
FILTER_KINDS = {"state": ("state", "partner", "country"),
                "structure": ("organization", "institution", "body", "secretariat-unit", "field-operation"),
                "field": ("field-of-work",), "type": ("content-type",)}
GROUPS = {"states": ("States and partners", ("state", "partner")),
          "structures": ("Institutions, bodies and Secretariat units",
                         ("organization", "institution", "body", "secretariat-unit")),
          "field-operations": ("Field operations", ("field-operation",)),
          "people": ("People", ("person",)), "places": ("Places", ("place",)),
          "fields-of-work": ("Fields of work", ("field-of-work",))}
PAGE = 50


def read_filters() -> dict[str, str]:
    """The facet filters of the request as ``facet -> IRI`` (years stay years).

    :raises ApiError: 400 for a malformed year.
    """
    idx, m = get_index(), get_state().minter
    out = {}
    for facet, kinds in FILTER_KINDS.items():
        value = request.args.get(facet)
        if not value:
            continue
        if value.startswith(("http://", "https://")):
            out[facet] = value
            continue
        candidates = [m.thing(k, value) for k in kinds]
        out[facet] = next((c for c in candidates if idx.has(c)), candidates[0])
    year = request.args.get("year")
    if year:
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise ApiError(400, f"year must have four digits, not {year!r}")
        out["year"] = year
    return out


def _after() -> tuple[str, str] | None:
    token = request.args.get("_next")
    if not token:
        return None
    if "," not in token:
        raise ApiError(400, "_next is 'date,slug' as given by the previous page")
    date, slug = token.split(",", 1)
    return date, slug


def _size(default: int = PAGE) -> int:
    raw = request.args.get("_size", str(default))
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 1000:
        raise ApiError(400, "_size is an integer from 1 to 1000")
    return int(raw)


@bp.route("/releases")
@bp.route("/releases.<ext>")
def releases(ext: str | None = None) -> Response | str:
    """Releases, newest first, filtered by ``state``, ``structure``, ``field``, ``year``, ``type``."""
    ext = ext or request.args.get("_format", "html")
    if ext not in ("html", "json", "csv"):
        raise ApiError(404, f"releases are listed as html, json or csv, not {ext!r}")
    body, mimetype, next_url = cached(etag_for("releases", ext), lambda: _releases(ext))
    resp = Response(body, mimetype=mimetype)
    if next_url and ext != "html":
        resp.headers["Link"] = f'<{next_url}>; rel="next"'
    return resp


def _releases(ext: str) -> tuple[bytes, str, str | None]:
    """The listing of the request as (body, media type, next page URL)."""
    idx, m = get_index(), get_state().minter
    filters = read_filters()
    rows, nxt = idx.releases(filters, after=_after(), limit=_size())
    args = {k: v for k, v in request.args.items() if k not in ("_next", "_format")}
    next_url = url_for("listings.releases", ext=None if ext == "html" else ext, _next=",".join(nxt), **args) \
        if nxt else None
    items = [{"slug": r.slug, "iri": m.thing("release", r.slug), "title": r.title, "date": r.date,
              "content_type": r.content_type, "publisher": r.publisher} for r in rows]
    if ext == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=["slug", "iri", "title", "date", "content_type", "publisher"])
        w.writeheader()
        w.writerows(items)
        return buf.getvalue().encode(), "text/csv", next_url
    facets = idx.facet_counts(filters)
    total = idx.count_releases(filters)
    if ext == "json":
        resp = jsonify(rows=items, count=total, filters=filters, next=",".join(nxt) if nxt else None,
                       next_url=next_url, facets={f: [{"value": v, "label": lab, "count": n} for v, lab, n in vals]
                                                  for f, vals in facets.items()})
        return resp.get_data(), "application/json", next_url
    html = render_template("releases.html", title="Releases", rows=items, facets=facets, total=total,
                           filters=filters, next_url=next_url, local=local, facet_url=_facet_url, label=idx.label)
    return html.encode(), "text/html", next_url


def _facet_url(facet: str, value: str, on: bool) -> str:
    """The listing URL with ``facet=value`` added (``on``) or removed."""
    args = {k: v for k, v in request.args.items() if k not in ("_next", facet)}
    if on:
        args[facet] = value.rstrip("/").rsplit("/", 1)[-1] if value.startswith("http") else value
    return url_for("listings.releases", **args)


@bp.route("/things/<group>")
def things(group: str) -> str:
    """Things of one group (States, structures, field operations, people...), by label."""
    if group not in GROUPS:
        raise ApiError(404, f"no list called {group!r}; try " + ", ".join(GROUPS))
    title, kinds = GROUPS[group]
    rows, nxt = get_index().entities(kinds, after=request.args.get("_next"), limit=_size(200))
    next_url = url_for("listings.things", group=group, _next=nxt) if nxt else None
    return render_template("things.html", title=title, rows=rows, next_url=next_url, local=local, groups=GROUPS)
