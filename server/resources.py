"""Dereferencing things (Cool URIs for the Semantic Web, 303 style).

* ``/id/<kind>/<slug>`` answers 303 See Other to ``/page/<kind>/<slug>`` (HTML) or to
  ``/data/<kind>/<slug>.<ext>`` chosen by Accept or ``?format=``; 404 for unknown things, 406
  when nothing offered is acceptable.
* ``/data/<kind>/<slug>.<ext>`` is the data document (outgoing statements, a page of incoming
  links, labels of linked things, provenance); ``/data/<kind>/<slug>`` negotiates among them.
"""
from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request

from kg import describe, formats
from kg.formats import Format
from kg.iris import KINDS
from kg.jsonld import Compactor
from kg.vocab import prefixes
from server.errors import ApiError
from server.extension import get_state
from server.linkeddata import alternates, cached, etag_for, get_index, local, not_modified
from server.negotiation import choose

bp = Blueprint("resources", __name__)

HTML = formats.by_name("html")
DATA_FORMATS: tuple[Format, ...] = tuple(formats.by_name(n) for n in
                                         ("turtle", "jsonld", "rdfxml", "ntriples", "nquads", "trig"))
THING_FORMATS = (HTML, *DATA_FORMATS)


def thing_iri(kind: str, slug: str) -> str:
    """The IRI of a thing (the server answers by path whatever the Host header says).

    :raises ApiError: 404 for an unknown kind or thing.
    """
    state = get_state()
    if kind not in KINDS:
        raise ApiError(404, f"there is no kind of thing called {kind!r}")
    try:
        iri = ox.NamedNode(state.minter.thing(kind, slug)).value
    except ValueError as e:
        raise ApiError(404, f"not a valid IRI: {e}") from e
    if not describe.exists(state.store, iri):
        raise ApiError(404, f"nothing is known about {iri}")
    return iri


def representations(kind: str, slug: str) -> list[tuple[str, Format]]:
    """Every representation of a thing: its HTML page and its data documents."""
    root = request.script_root
    return [(f"{root}/page/{kind}/{slug}", HTML)] + \
        [(f"{root}/data/{kind}/{slug}.{f.extension}", f) for f in DATA_FORMATS]


def representation(ext: str | None, offered: tuple[Format, ...], what: str) -> Format:
    """The format a URL's extension names, or, without one, the negotiated format.

    :raises ApiError: 404 for an extension not offered (naming those that are), 406 as
        :func:`negotiate`.
    """
    if not ext:
        return negotiate(offered)
    fmt = formats.by_extension(ext)
    if fmt not in offered:
        raise ApiError(404, f"{what} is not offered as .{ext}; try " +
                       ", ".join("." + f.extension for f in offered if f.name != "html"))
    return fmt


def negotiate(offered: tuple[Format, ...]) -> Format:
    """``?format=`` (name, extension or media type) first, then Accept.

    :raises ApiError: 406 naming what is offered.
    """
    wanted = request.args.get("format")
    if wanted:
        f = formats.by_alias(wanted, ("html", "rdf"))
        if f in offered:
            return f
        raise ApiError(406, f"format {wanted!r} is not offered; offered: " + ", ".join(f.name for f in offered))
    f = choose(request.headers.get("Accept"), offered)
    if f is None:
        raise ApiError(406, "none of the accepted media types is offered; offered: "
                       + ", ".join(f.media_type for f in offered), headers={"Vary": "Accept"})
    return f


@bp.route("/id/<kind>/<path:slug>")
def thing(kind: str, slug: str) -> Response:
    """303 See Other to the representation the client prefers."""
    thing_iri(kind, slug)
    fmt = negotiate(THING_FORMATS)
    reps = representations(kind, slug)
    target = next(url for url, f in reps if f == fmt)
    resp = redirect(target, code=303)
    resp.vary.add("Accept")
    alternates(resp, reps)
    return resp


@bp.route("/data/<kind>/<path:name>")
def data(kind: str, name: str) -> Response:
    """The thing's data document; ``?page=N`` pages through its incoming links."""
    head, _, last = name.rpartition("/")
    stem, _, ext = last.partition(".")
    slug = f"{head}/{stem}" if head else stem
    fmt = representation(ext, DATA_FORMATS, "a data document")
    page = _page_arg()
    iri = thing_iri(kind, slug)
    etag = etag_for(fmt.name, str(describe.PAGE_SIZE))  # the page size shapes the document
    unchanged = not_modified(etag)
    if unchanged is not None:
        return unchanged
    state = get_state()
    doc_url = f"{state.minter.base}data/{kind}/{slug}" + (f".{ext}" if ext else "")
    page_url = lambda n: doc_url + ("" if n == 1 else f"?page={n}")  # noqa: E731
    body, has_next = cached(etag, lambda: _document(iri, fmt, page, page_url, state))
    resp = Response(body)
    resp.headers["Content-Type"] = fmt.content_type
    resp.set_etag(etag)
    resp.vary.add("Accept")
    links = representations(kind, slug)
    alternates(resp, links)
    if has_next:
        resp.headers["Link"] += f', <{local(page_url(page + 1))}>; rel="next"'
    if not ext:
        resp.headers["Content-Location"] = local(f"{state.minter.base}data/{kind}/{slug}.{fmt.extension}")
    return resp


def _document(iri: str, fmt: Format, page: int, page_url, state) -> tuple[bytes, bool]:
    """The serialised data document of ``iri`` (page ``page`` of its incoming links) and
    whether a next page exists."""
    desc = describe.describe(state.store, iri, page=page, page_size=describe.PAGE_SIZE,
                             counts=get_index().incoming_counts(iri))
    meta = describe.document_quads(desc, page_url(page), next_doc=page_url(page + 1) if desc.has_next else None,
                                   dataset=state.minter.base + "dataset")
    quads = desc.quads + meta
    if fmt.quads:
        body = ox.serialize(quads, format=fmt.ox)
    else:
        text = describe.annotated_ntriples(quads)
        if fmt.name == "ntriples":
            body = text.encode()
        elif fmt.name == "jsonld":
            doc = compactor().compact(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
            body = json.dumps(doc, ensure_ascii=False, indent=1).encode()
        else:
            body = ox.serialize(ox.parse(text, format=ox.RdfFormat.N_TRIPLES), format=fmt.ox,
                                **_prefixes(fmt, state.minter.base))
    return body, desc.has_next


def compactor() -> Compactor:
    """The JSON-LD compactor for this app's published context (built once per process)."""
    c = current_app.extensions.get("kg-compactor")
    if c is None:
        from server.ontology_docs import context
        c = Compactor(context(), get_state().minter.base + "ontology/context.jsonld")
        current_app.extensions["kg-compactor"] = c
    return c


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ApiError(400, f"page must be a positive integer, not {raw!r}")
    return int(raw)


def _prefixes(fmt: Format, base: str) -> dict:
    if fmt.name not in ("turtle", "rdfxml", "trig"):
        return {}
    p = prefixes(base)
    p["hydra"] = describe.HYDRA
    return {"prefixes": p}
