"""HTML pages: the home page, entity pages and release pages (``/page/<kind>/<slug>``).

Every string that comes from the data goes through Jinja's autoescaping or :func:`markupsafe.escape`;
only the markup this module builds itself is marked safe.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from markupsafe import Markup, escape

from kg import describe
from kg.describe import bind, label_map, label_sources
from kg.labels import external_label
from server.extension import get_state
from server.linkeddata import alternates, cached, etag_for, get_index, local, not_modified
from server.resources import representations, thing_iri

bp = Blueprint("pages", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SAME_AS = ("http://www.w3.org/2002/07/owl#sameAs", "http://schema.org/sameAs",
           "http://www.w3.org/2004/02/skos/core#exactMatch")
DESCRIPTIONS = ("http://www.w3.org/2004/02/skos/core#definition", "http://www.w3.org/2004/02/skos/core#scopeNote",
                "http://purl.org/dc/terms/description", "http://www.w3.org/2000/01/rdf-schema#comment")
TIMELINE_KINDS = {"state", "partner", "country", "organization", "institution", "body", "secretariat-unit",
                  "field-operation", "person"}
SCHEMA_TYPES = {"state": "Country", "partner": "Country", "country": "Country", "person": "Person",
                "place": "Place", "event": "Event", "release": "NewsArticle"}
IN_PAGE = 10

SURFACE = """SELECT ?x ?l WHERE { VALUES ?x { %s } ?x <http://www.w3.org/2000/01/rdf-schema#label>|
  <http://www.w3.org/2004/02/skos/core#altLabel>|<http://schema.org/name>|?acronym ?l }"""
RELEASE_FACTS = """SELECT ?ra ?p ?o WHERE { ?ra ?assertedIn ?this ; ?p ?o }"""


@bp.route("/")
def home() -> str:
    """What the dataset is, counts and entry points."""
    idx = get_index()
    return render_template("home.html", title="OSCE knowledge graph", counts=idx.counts(), latest=idx.latest(8),
                           href=lambda slug: local(get_state().minter.thing("release", slug)))


@bp.route("/page/<kind>/<path:slug>")
def page(kind: str, slug: str) -> Response:
    """The HTML page of a thing (a release gets its own layout)."""
    iri = thing_iri(kind, slug)
    etag = etag_for("html")
    unchanged = not_modified(etag)
    if unchanged is not None:
        return unchanged
    html = cached(etag, lambda: Page(iri, kind, slug).render().encode())
    resp = Response(html, mimetype="text/html")
    resp.set_etag(etag)
    alternates(resp, representations(kind, slug))
    return resp


class Page:
    """Gathers what one thing's page shows."""

    def __init__(self, iri: str, kind: str, slug: str):
        self.state = get_state()
        self.store = self.state.store
        self.iri, self.kind, self.slug = iri, kind, slug
        self.out = describe.outgoing(self.store, iri)
        self.counts = get_index().incoming_counts(iri)
        linked = {q.object.value for q in self.out if isinstance(q.object, ox.NamedNode)}
        linked |= {q.predicate.value for q in self.out} | set(self.counts) | {iri}
        self.incoming = self._incoming()
        linked |= {q.subject.value for qs in self.incoming.values() for q in qs}
        quads = self.out + [q for qs in self.incoming.values() for q in qs]
        self.labels = label_map(describe.labels(self.store, linked, where=label_sources(quads)))

    def _incoming(self) -> dict[str, list[ox.Quad]]:
        """First page of incoming links per property (``?in=<prop>&inpage=N`` pages one property)."""
        out = {}
        for prop in self.counts:
            raw = request.args.get("inpage", "1") if request.args.get("in") == prop else "1"
            page = int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 1
            out[prop] = describe.incoming(self.store, self.iri, prop=prop, limit=IN_PAGE, offset=(page - 1) * IN_PAGE)
        return out

    # -- helpers used by the templates ----------------------------------------------------------
    def label(self, iri: str) -> str:
        """A readable name for an IRI."""
        if iri in self.labels:
            return self.labels[iri]
        known = external_label(iri)
        if known:
            return known
        tail = re.split(r"[#/]", iri.rstrip("/"))[-1]
        return tail or iri

    def link(self, term) -> Markup:
        """An RDF term as HTML: a link with its label for IRIs, the escaped text for literals."""
        if isinstance(term, ox.NamedNode):
            return Markup('<a href="{}">{}</a>').format(local(term.value), self.label(term.value))
        if isinstance(term, ox.BlankNode):
            return Markup("<span class=muted>(details)</span>")
        text = escape(term.value)
        if term.language:
            return Markup('<span lang="{}">{}</span>').format(term.language, text)
        return text

    def source(self, graph) -> Markup:
        """Where a statement comes from: the release whose graph holds it, or the reference data."""
        g = graph.value if isinstance(graph, ox.NamedNode) else ""
        marker = self.state.minter.graph("release/")
        if g.startswith(marker):
            rel = self.state.minter.thing("release", g[len(marker):])
            return Markup('<a class=src href="{}">stated in {}</a>').format(local(rel), self.label(rel))
        return Markup('<span class=src>{}</span>').format(g.rsplit("/", 1)[-1] or "")

    def render(self) -> str:
        """The page's HTML."""
        this = [q for q in self.out if q.subject.value == self.iri]
        types = [q.object.value for q in this if q.predicate.value == RDF_TYPE]
        props: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in this:
            if q.predicate.value != RDF_TYPE:
                props[q.predicate.value].append(q)
        desc = next((q.object.value for p in DESCRIPTIONS for q in props.get(p, [])), None)
        same = sorted({q.object.value for p in SAME_AS for q in props.get(p, [])})
        idx = get_index()
        after = tuple(request.args["_next"].split(",", 1)) if "," in request.args.get("_next", "") else None
        mentioning, nxt = idx.mentioning(self.iri, after=after, limit=20)
        n_mentioning = idx.count_mentioning(self.iri)
        timeline = timeline_svg(idx.timeline(self.iri), self.label(self.iri)) \
            if self.kind in TIMELINE_KINDS and n_mentioning else None
        ctx = dict(page=self, title=self.label(self.iri), iri=self.iri, types=types, props=props, desc=desc,
                   same=same, mentioning=mentioning, next_token=",".join(nxt) if nxt else None,
                   n_mentioning=n_mentioning, timeline=timeline, alternates=representations(self.kind, self.slug),
                   release_href=lambda slug: local(self.state.minter.thing("release", slug)),
                   jsonld=self.schema_org(same, desc))
        if self.kind == "release":
            ctx.update(self.release_context(props))
            return render_template("release.html", **ctx)
        return render_template("entity.html", **ctx)

    def schema_org(self, same: list[str], desc: str | None) -> dict:
        """The schema.org description embedded for search engines."""
        data = {"@context": "https://schema.org", "@type": SCHEMA_TYPES.get(self.kind, "Thing"), "@id": self.iri,
                "name": self.label(self.iri), "url": self.iri}
        if same:
            data["sameAs"] = same
        if desc:
            data["description"] = desc
        return data

    # -- releases --------------------------------------------------------------------------------
    def release_context(self, props: dict[str, list[ox.Quad]]) -> dict:
        """Body with entities linked in place, the event, the facts and the original page."""
        ns = self.state.minter.namespace
        first = lambda p: next((q.object for q in props.get(ns + p, [])), None)  # noqa: E731
        body = first("body")
        mentioned = {q.object.value for p in ("mentions", "publishedBy", "datelinePlace")
                     for q in props.get(ns + p, [])}
        event = first("about")
        event_quads = describe.outgoing(self.store, event.value) if event else []
        mentioned |= {q.object.value for q in event_quads if isinstance(q.object, ox.NamedNode)
                      and q.object.value.startswith(self.state.minter.base + "id/")}
        facts = self.release_facts()
        extra = {q.object.value for q in event_quads if isinstance(q.object, ox.NamedNode)}
        extra |= {q.predicate.value for q in event_quads} | {v.value for f in facts.values() for v in f.values()
                                                              if isinstance(v, ox.NamedNode)}
        if event:
            extra.add(event.value)
        where = label_sources(self.out + event_quads)
        self.labels.update(label_map(describe.labels(self.store, extra - set(self.labels), where=where)))
        surfaces = self.surface_forms(mentioned)
        paragraphs = [link_entities(p, surfaces, local) for p in (body.value.split("\n\n") if body else [])]
        return dict(headline=first("headline"), date=first("datePublished"), places=props.get(ns + "datelinePlace", []),
                    publisher=first("publishedBy"), source_url=first("sourceURL"), paragraphs=paragraphs,
                    event=event, event_quads=[q for q in event_quads if event and q.subject == event],
                    facts=list(facts.values()), ns=ns)

    def release_facts(self) -> dict[str, dict[str, object]]:
        """The role assertions the release makes, keyed by assertion."""
        q = bind(RELEASE_FACTS, this=ox.NamedNode(self.iri), assertedIn=ox.NamedNode(self.state.minter.term("assertedIn")))
        out: dict[str, dict[str, object]] = defaultdict(dict)
        for r in self.store.query(q):
            out[r["ra"].value][r["p"].value.rsplit("#", 1)[-1]] = r["o"]
        return out

    def surface_forms(self, iris: set[str]) -> dict[str, str]:
        """Names, alternative labels and acronyms of ``iris`` -> the IRI they name."""
        if not iris:
            return {}
        values = " ".join(f"<{i}>" for i in sorted(iris))
        q = bind(SURFACE % values, acronym=ox.NamedNode(self.state.minter.term("acronym")))
        forms: dict[str, str] = {}
        for r in self.store.query(q):
            text = r["l"].value.strip()
            if len(text) >= 3:
                forms.setdefault(text, r["x"].value)
        return forms


def link_entities(text: str, forms: dict[str, str], href) -> Markup:
    """Escape ``text`` and link the first occurrence of each recognised name in place.

    >>> str(link_entities("<b>ODIHR</b> & ODIHR", {"ODIHR": "http://x/id/institution/odihr"}, lambda i: i))
    '&lt;b&gt;<a href="http://x/id/institution/odihr">ODIHR</a>&lt;/b&gt; &amp; ODIHR'
    """
    if not forms:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)")
    out, pos, done = [], 0, set()
    for m in pattern.finditer(text):
        iri = forms[m.group(1)]
        if iri in done:
            continue
        done.add(iri)
        out.append(escape(text[pos:m.start()]))
        out.append(Markup('<a href="{}">{}</a>').format(href(iri), m.group(1)))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def timeline_svg(counts: list[tuple[int, int]], name: str) -> Markup:
    """A bar chart of releases per year, as inline SVG (no JavaScript).

    >>> "<rect" in timeline_svg([(2019, 2), (2021, 1)], "Ukraine")
    True
    """
    if not counts:
        return Markup("")
    first, last = counts[0][0], counts[-1][0]
    years = list(range(first, last + 1))
    by_year = dict(counts)
    top = max(by_year.values())
    bar, height, pad, side = 16, 100, 20, 20  # side: room for a year label centred on the first/last bar
    width = len(years) * bar + 2 * side
    parts = [Markup('<svg class="timeline" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
                    'xmlns="http://www.w3.org/2000/svg"><title>Releases per year mentioning {}</title>')
             .format(width, height + 2 * pad, width, height + 2 * pad, name)]
    for i, y in enumerate(years):
        n = by_year.get(y, 0)
        h = round(height * n / top)
        x = side + i * bar
        mid = x + (bar - 3) / 2
        parts.append(Markup('<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>')
                     .format(x, pad + height - h, bar - 3, h, y, n))
        if n:
            parts.append(Markup('<text x="{}" y="{}" text-anchor="middle">{}</text>').format(mid, pad + height - h - 3, n))
        last = len(years) - 1
        if i in (0, last) or (y % 5 == 0 and 2 <= i <= last - 2):  # round years, not crowding the ends
            parts.append(Markup('<text x="{}" y="{}" text-anchor="middle">{}</text>')
                         .format(mid, pad * 2 + height - 5, y))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)

