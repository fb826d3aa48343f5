"""The side index: a SQLite file next to the store holding what the store is slow at.

* ``releases``: one row per release (title, date, content type, publisher) ordered by date for
  keyset paging (``ORDER BY ... LIMIT`` is a full sort in Oxigraph);
* ``links``: release -> State, structure, field of work, person, place, type and year, which
  gives the listing filters and "releases mentioning X" in date order;
* ``facet_counts`` and ``facet_pairs``: release counts per facet value, unfiltered and under one
  filter (``state=ukraine`` -> count per year, field, structure...), kept up to date per release;
* ``mentions``: releases linking to a thing per year (its count and timeline);
* ``incoming``: incoming links per thing, property and graph (hubs are linked from tens of
  thousands of releases; a SPARQL ``GROUP BY`` over them is slow);
* ``entities``: every thing's label, alternative labels and acronyms, and kind;
* ``fts``: an FTS5 table over release titles and bodies and entity names (search).

It is kept in sync by the ingest: call :meth:`SideIndex.index_release` after each release graph
is written, :meth:`SideIndex.remove_release` when one is dropped, then :meth:`SideIndex.finish`
with the store (which commits). :meth:`SideIndex.rebuild` builds it from a store from scratch
(:func:`ensure`, :func:`rebuild_file`); the server never does that on a request of a large store
(see ``server/linkeddata.py``).
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import stats
from kg.describe import bind
from kg.iris import Minter
from kg.store import Store

SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS releases(slug TEXT PRIMARY KEY, iri TEXT, graph TEXT, title TEXT, date TEXT, year TEXT,
    content_type TEXT, publisher TEXT);
CREATE INDEX IF NOT EXISTS releases_order ON releases(coalesce(date,''), slug);
CREATE INDEX IF NOT EXISTS releases_graph ON releases(graph);
CREATE TABLE IF NOT EXISTS links(facet TEXT, value TEXT, date TEXT, release TEXT,
    PRIMARY KEY(facet, value, date, release)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_value ON links(value, date, release);
CREATE INDEX IF NOT EXISTS links_release ON links(release, facet, value);
CREATE TABLE IF NOT EXISTS facet_counts(facet TEXT, value TEXT, n INTEGER, PRIMARY KEY(facet, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facet_pairs(ffacet TEXT, fvalue TEXT, facet TEXT, value TEXT, n INTEGER,
    PRIMARY KEY(ffacet, fvalue, facet, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mentions(value TEXT, year TEXT, n INTEGER, PRIMARY KEY(value, year)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS incoming(target TEXT, prop TEXT, graph TEXT, n INTEGER,
    PRIMARY KEY(target, prop, graph)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS incoming_graph ON incoming(graph);
CREATE TABLE IF NOT EXISTS entities(iri TEXT PRIMARY KEY, kind TEXT, label TEXT, names TEXT);
CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind, label);
CREATE TABLE IF NOT EXISTS names(norm TEXT, iri TEXT, PRIMARY KEY(norm, iri)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(iri UNINDEXED, kind UNINDEXED, title, alt, body,
    tokenize='unicode61 remove_diacritics 2');
"""

FACETS = ("state", "structure", "field", "type", "year")
# IRI kind -> facet of the links table
KIND_FACET = {"state": "state", "partner": "state", "country": "state", "organization": "structure",
              "institution": "structure", "body": "structure", "secretariat-unit": "structure",
              "field-operation": "structure", "field-of-work": "field", "person": "person", "place": "place",
              "content-type": "type", "event": "event"}
# marks that :meth:`SideIndex.search` puts around matches (escaped output replaces them with <mark>)
HL_START, HL_END = "\x02", "\x03"
BATCH = 500  # releases indexed between two commits

RELEASE = """
PREFIX osce: <{ns}>
SELECT ?rel ?title ?date ?ct ?pub ?body WHERE {{ GRAPH ?g {{
  ?rel a osce:Release ; osce:headline ?title .
  OPTIONAL {{ ?rel osce:datePublished ?date }} OPTIONAL {{ ?rel osce:contentType ?ct }}
  OPTIONAL {{ ?rel osce:publishedBy ?pub }} OPTIONAL {{ ?rel osce:body ?body }} }} }}"""
RELEASE_LINKS = """
PREFIX osce: <{ns}>
SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?rel a osce:Release ; osce:mentions|osce:fieldOfWork|osce:publishedBy|
  osce:contentType|osce:datelinePlace ?o }} }}"""
GRAPH_LABELS = """SELECT ?x ?l WHERE { GRAPH ?g { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"""
ALL_NAMES = ("SELECT ?x ?p ?l WHERE { ?x ?p ?l VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> "
             "<http://www.w3.org/2004/02/skos/core#altLabel> <http://www.w3.org/2004/02/skos/core#hiddenLabel> "
             "<http://schema.org/name> ?acronym } FILTER(STRSTARTS(STR(?x), ?prefix)) }")
GRAPH_INCOMING = ("SELECT ?o ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) } } "
                  "GROUP BY ?o ?p")
RELEASE_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a <{ns}Release> } }"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def normalise(text: str) -> str:
    """A name folded for exact matching: lower case, no diacritics, words separated by one space.

    >>> normalise("  Nur-Sultan, ÖDIHR ")
    'nur sultan odihr'
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c))))


def path_for(store_path: str | os.PathLike) -> Path:
    """Where the side index of a store at ``store_path`` lives: ``<store>.index.sqlite`` beside it.

    >>> path_for("var/store").name
    'store.index.sqlite'
    """
    from kg.stores import beside
    return beside(store_path, ".index.sqlite")


@dataclass(frozen=True)
class ReleaseRow:
    """One release as listed: key, title, date, content type and publisher IRIs."""

    slug: str
    title: str
    date: str | None
    content_type: str | None
    publisher: str | None


@dataclass(frozen=True)
class Hit:
    """One search result; ``snippet`` carries :data:`HL_START`/:data:`HL_END` around matches."""

    iri: str
    kind: str
    title: str
    snippet: str
    rank: float


class SideIndex:
    """The side index at ``path`` (created when missing unless ``read_only``)."""

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False):
        self.path = Path(path)
        self._pending = 0
        if read_only:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.execute("PRAGMA synchronous=NORMAL")
            if self.schema() not in (None, SCHEMA_VERSION):
                self._drop_all()
            self.db.executescript(SCHEMA)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self.db.commit()

    def close(self) -> None:
        """Close the database (what was indexed since the last commit is lost)."""
        self.db.close()

    def schema(self) -> str | None:
        """The schema version of the file (None for an empty file)."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else "1"

    def _drop_all(self) -> None:
        tables = self.db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'fts_%'")
        for (name,) in tables.fetchall():
            self.db.execute(f"DROP TABLE IF EXISTS {name}")

    # -- writing ------------------------------------------------------------------------------
    def index_release(self, store: Store, graph_iri: str, base: str) -> None:
        """(Re)index the release held in named graph ``graph_iri`` of ``store``.

        Commits every :data:`BATCH` releases; :meth:`finish` commits the rest.
        """
        m = Minter(base)
        g = ox.NamedNode(graph_iri)
        rows = list(store.query(bind(RELEASE.format(ns=m.namespace), g=g)))
        self.remove_release(graph_iri, commit=False)
        self._count_incoming(store, graph_iri)
        split = m.split(rows[0]["rel"].value) if rows else None
        if split is not None:
            self._add_release(store, m, g, rows[0], split[1])
        self._pending += 1
        if self._pending >= BATCH:
            self.db.commit()
            self._pending = 0

    def _add_release(self, store: Store, m: Minter, g: ox.NamedNode, r, key: str) -> None:
        date = r["date"].value if r["date"] else None
        year = date[:4] if date else None
        ct = r["ct"].value if r["ct"] else None
        pub = r["pub"].value if r["pub"] else None
        self.db.execute("INSERT INTO releases VALUES (?,?,?,?,?,?,?,?)",
                        (key, r["rel"].value, g.value, r["title"].value, date, year, ct, pub))
        links = {(KIND_FACET.get((m.split(x["o"].value) or ("",))[0]) or "other", x["o"].value)
                 for x in store.query(bind(RELEASE_LINKS.format(ns=m.namespace), g=g))}
        if pub:
            links.add(("structure", pub))
        if year:
            links.add(("year", year))
        self.db.executemany("INSERT OR IGNORE INTO links VALUES (?,?,?,?)", [(f, v, date or "", key) for f, v in links])
        self._count_links(links, year or "", +1)
        body = r["body"].value if r["body"] else ""
        self.db.execute("INSERT INTO fts(iri, kind, title, alt, body) VALUES (?,?,?,?,?)",
                        (r["rel"].value, "release", r["title"].value, "", body))
        for x in store.query(bind(GRAPH_LABELS, g=g)):
            self._entity(m, x["x"], x["l"])

    def _count_links(self, links: set[tuple[str, str]], year: str, delta: int) -> None:
        """Add ``delta`` to the per-value, per-pair and per-year counts of one release's links."""
        faceted = [(f, v) for f, v in links if f in FACETS]
        up = " ON CONFLICT DO UPDATE SET n = n + excluded.n"
        self.db.executemany("INSERT INTO facet_counts VALUES (?,?,?)" + up, [(f, v, delta) for f, v in faceted])
        self.db.executemany("INSERT INTO facet_pairs VALUES (?,?,?,?,?)" + up,
                            [(ff, fv, f, v, delta) for ff, fv in faceted for f, v in faceted])
        self.db.executemany("INSERT INTO mentions VALUES (?,?,?)" + up, [(v, year, delta) for _, v in links])

    def _count_incoming(self, store: Store, graph_iri: str) -> None:
        rows = store.query(bind(GRAPH_INCOMING, g=ox.NamedNode(graph_iri)))
        self.db.executemany("INSERT INTO incoming VALUES (?,?,?,?)",
                            [(r["o"].value, r["p"].value, graph_iri, int(r["n"].value)) for r in rows])

    def remove_release(self, graph_iri: str, *, commit: bool = True) -> None:
        """Forget the release held in ``graph_iri``."""
        self.db.execute("DELETE FROM incoming WHERE graph=?", (graph_iri,))
        row = self.db.execute("SELECT slug, iri, year FROM releases WHERE graph=?", (graph_iri,)).fetchone()
        if row:
            links = set(self.db.execute("SELECT facet, value FROM links WHERE release=?", (row[0],)).fetchall())
            self._count_links(links, row[2] or "", -1)
            self.db.execute("DELETE FROM links WHERE release=?", (row[0],))
            self.db.execute("DELETE FROM releases WHERE slug=?", (row[0],))
            self.db.execute("DELETE FROM fts WHERE iri=?", (row[1],))
        if commit:
            self.db.commit()

    def finish(self, store: Store, base: str) -> None:
        """After a batch: refresh the names of reference things, the incoming links from graphs
        that are not releases (ontology, reference data, loaded graphs) and the dataset
        statistics, record the store version the index matches, and commit."""
        m = Minter(base)
        for table in ("facet_counts", "facet_pairs", "mentions"):
            self.db.execute(f"DELETE FROM {table} WHERE n <= 0")
        releases = {g for (g,) in self.db.execute("SELECT graph FROM releases")}
        counted = {g for (g,) in self.db.execute("SELECT DISTINCT graph FROM incoming")} - releases
        for g in counted:  # graphs dropped since, or about to be recounted
            self.db.execute("DELETE FROM incoming WHERE graph=?", (g,))
        for g in store.graphs():
            if g not in releases:
                self._count_incoming(store, g)
        names: dict[str, list] = {}
        skip = (m.base + "id/release/", m.base + "id/event/")  # releases and events are indexed with their graph
        for x in store.query(bind(ALL_NAMES, prefix=ox.Literal(base + "id/"), acronym=ox.NamedNode(m.term("acronym")))):
            if not x["x"].value.startswith(skip):
                names.setdefault(x["x"].value, []).append((x["p"].value, x["l"]))
        for iri, values in names.items():
            labels = [lit for p, lit in values if p == RDFS_LABEL]
            if labels:
                self._entity(m, ox.NamedNode(iri), _best(labels), [lit.value for _, lit in values])
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stats', ?)", (json.dumps(stats.compute(store, base)),))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (store.version(),))
        self.db.commit()
        self._pending = 0

    def rebuild(self, store: Store, base: str) -> None:
        """Index every release graph of ``store`` from scratch."""
        for t in ("releases", "links", "facet_counts", "facet_pairs", "mentions", "incoming", "entities", "names",
                  "fts"):
            self.db.execute(f"DELETE FROM {t}")
        for r in store.query(RELEASE_GRAPHS.replace("{ns}", Minter(base).namespace)):
            self.index_release(store, r["g"].value, base)
        self.finish(store, base)

    def _entity(self, m: Minter, node, label, names: list[str] | None = None) -> None:
        """Record a thing's label (an English one wins) and, when given, all its names."""
        split = m.split(node.value) if isinstance(node, ox.NamedNode) else None
        if split is None or split[0] in ("release", "event"):
            return
        have = self.db.execute("SELECT label, names FROM entities WHERE iri=?", (node.value,)).fetchone()
        text = label.value
        if have is not None and not (getattr(label, "language", None) == "en" or names is not None):
            text = have[0]
        alt = sorted(set(names or []) - {text}) if names is not None else json.loads(have[1]) if have else []
        if have is not None and (have[0], json.loads(have[1])) == (text, alt):
            return
        self.db.execute("INSERT OR REPLACE INTO entities VALUES (?,?,?,?)",
                        (node.value, split[0], text, json.dumps(alt, ensure_ascii=False)))
        self.db.execute("DELETE FROM fts WHERE iri=?", (node.value,))
        self.db.execute("INSERT INTO fts(iri, kind, title, alt, body) VALUES (?,?,?,?,?)",
                        (node.value, split[0], text, " · ".join(alt), ""))
        self.db.execute("DELETE FROM names WHERE iri=?", (node.value,))
        self.db.executemany("INSERT OR IGNORE INTO names VALUES (?,?)",
                            [(normalise(n), node.value) for n in (text, *alt) if normalise(n)])

    # -- reading ------------------------------------------------------------------------------
    def version(self) -> str | None:
        """The store version the index was last synchronised with (None when the file has an
        older schema and must be rebuilt)."""
        if self.schema() != SCHEMA_VERSION:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return row[0] if row else None

    def stats(self) -> dict:
        """The dataset statistics recorded by :meth:`finish` (see :func:`kg.stats.compute`)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='stats'").fetchone()
        return json.loads(row[0]) if row else {}

    def _plan(self, filters: dict[str, str]) -> tuple[str, list[str]]:
        """SQL selecting ``date, release`` of the releases matching every filter, driven by the
        most selective one (index order: date, then slug)."""
        items = sorted(filters.items(), key=lambda fv: self._count(*fv))
        (facet, value), rest = items[0], items[1:]
        sql = "SELECT date, release FROM links l WHERE facet=? AND value=?"
        args = [facet, value]
        for f, v in rest:
            sql += " AND EXISTS (SELECT 1 FROM links x WHERE x.release=l.release AND x.facet=? AND x.value=?)"
            args += [f, v]
        return sql, args

    def _count(self, facet: str, value: str) -> int:
        row = self.db.execute("SELECT n FROM facet_counts WHERE facet=? AND value=?", (facet, value)).fetchone()
        return row[0] if row else 0

    def releases(self, filters: dict[str, str], *, after: tuple[str, str] | None = None,
                 limit: int = 50) -> tuple[list[ReleaseRow], tuple[str, str] | None]:
        """Releases matching every ``facet -> value`` filter, newest first, from keyset ``after``.

        :returns: the page and the keyset of its last row when another page follows.
        """
        if not filters:
            sql = ("SELECT slug, title, date, content_type, publisher FROM releases"
                   + (" WHERE (coalesce(date,''), slug) < (?, ?)" if after else "")
                   + " ORDER BY coalesce(date,'') DESC, slug DESC LIMIT ?")
            rows = [ReleaseRow(*r) for r in self.db.execute(sql, [*(after or ()), limit + 1])]
        else:
            sql, args = self._plan(filters)
            if after:
                sql += " AND (date, release) < (?, ?)"
                args += list(after)
            keys = self.db.execute(sql + " ORDER BY date DESC, release DESC LIMIT ?", [*args, limit + 1]).fetchall()
            rows = self._rows([k for _, k in keys])
        nxt = (rows[limit - 1].date or "", rows[limit - 1].slug) if len(rows) > limit else None
        return rows[:limit], nxt

    def _rows(self, slugs: list[str]) -> list[ReleaseRow]:
        out = []
        for slug in slugs:
            r = self.db.execute("SELECT slug, title, date, content_type, publisher FROM releases WHERE slug=?",
                                (slug,)).fetchone()
            if r:
                out.append(ReleaseRow(*r))
        return out

    def count_releases(self, filters: dict[str, str]) -> int:
        """How many releases match the filters (precomputed for none or one filter)."""
        if not filters:
            return self.db.execute("SELECT COUNT(*) FROM releases").fetchone()[0]
        if len(filters) == 1:
            return self._count(*next(iter(filters.items())))
        sql, args = self._plan(filters)
        return self.db.execute(f"SELECT COUNT(*) FROM ({sql})", args).fetchone()[0]

    def facet_counts(self, filters: dict[str, str], *, top: int = 20) -> dict[str, list[tuple[str, str, int]]]:
        """For each facet: ``(value, label, count)`` over the releases matching ``filters``, largest
        first (precomputed for none or one filter)."""
        out: dict[str, list[tuple[str, str, int]]] = {}
        if len(filters) > 1:  # one pass over the links of the matching releases
            sub, args = self._plan(filters)
            marks = ",".join("?" * len(FACETS))
            sql = (f"SELECT l.facet, l.value, COUNT(*) n FROM ({sub}) m CROSS JOIN links l ON l.release = m.release "
                   f"WHERE l.facet IN ({marks}) GROUP BY l.facet, l.value ORDER BY n DESC, l.value")
            for facet, value, n in self.db.execute(sql, [*args, *FACETS]):
                if len(out.setdefault(facet, [])) < top:
                    out[facet].append((value, self.label(value) if facet != "year" else value, n))
            return {f: out.get(f, []) for f in FACETS}
        for facet in FACETS:
            if not filters:
                sql = "SELECT value, n FROM facet_counts WHERE facet=? AND n > 0 ORDER BY n DESC, value LIMIT ?"
                rows = self.db.execute(sql, (facet, top)).fetchall()
            else:
                ff, fv = next(iter(filters.items()))
                sql = ("SELECT value, n FROM facet_pairs WHERE ffacet=? AND fvalue=? AND facet=? AND n > 0 "
                       "ORDER BY n DESC, value LIMIT ?")
                rows = self.db.execute(sql, (ff, fv, facet, top)).fetchall()
            out[facet] = [(v, self.label(v) if facet != "year" else v, n) for v, n in rows]
        return out

    def mentioning(self, iri: str, *, after: tuple[str, str] | None = None,
                   limit: int = 20) -> tuple[list[ReleaseRow], tuple[str, str] | None]:
        """Releases linking to ``iri`` (mention, publisher, field of work...), newest first."""
        sql = "SELECT date, release FROM links WHERE value=?"
        args: list = [iri]
        if after:
            sql += " AND (date, release) < (?, ?)"
            args += list(after)
        keys = self.db.execute(sql + " ORDER BY date DESC, release DESC LIMIT ?", [*args, limit + 1]).fetchall()
        nxt = tuple(keys[limit - 1]) if len(keys) > limit else None
        return self._rows([k for _, k in keys[:limit]]), nxt

    def count_mentioning(self, iri: str) -> int:
        """How many releases link to ``iri``."""
        return self.db.execute("SELECT coalesce(SUM(n), 0) FROM mentions WHERE value=?", (iri,)).fetchone()[0]

    def timeline(self, iri: str) -> list[tuple[int, int]]:
        """``(year, number of releases)`` linking to ``iri``, oldest first."""
        sql = "SELECT year, n FROM mentions WHERE value=? AND year<>'' AND n > 0 ORDER BY year"
        return [(int(y), n) for y, n in self.db.execute(sql, (iri,))]

    def incoming_counts(self, iri: str) -> dict[str, int]:
        """Incoming links to ``iri`` per property, over all graphs."""
        sql = "SELECT prop, SUM(n) FROM incoming WHERE target=? GROUP BY prop"
        return {p: n for p, n in self.db.execute(sql, (iri,)) if n}

    def has(self, iri: str) -> bool:
        """True when ``iri`` is a known thing."""
        return self.db.execute("SELECT 1 FROM entities WHERE iri=?", (iri,)).fetchone() is not None

    def label(self, iri: str) -> str:
        """The thing's label, else the last segment of its IRI."""
        row = self.db.execute("SELECT label FROM entities WHERE iri=?", (iri,)).fetchone()
        return row[0] if row else iri.rstrip("/").rsplit("/", 1)[-1]

    def entities(self, kinds: tuple[str, ...], *, after: str | None = None,
                 limit: int = 100) -> tuple[list[tuple[str, str, str]], str | None]:
        """``(iri, kind, label)`` of things of the given kinds, by label, from keyset ``after``."""
        marks = ",".join("?" * len(kinds))
        sql = f"SELECT iri, kind, label FROM entities WHERE kind IN ({marks})"
        args: list = list(kinds)
        if after:
            sql += " AND label > ?"
            args.append(after)
        rows = self.db.execute(sql + " ORDER BY label LIMIT ?", [*args, limit + 1]).fetchall()
        nxt = rows[limit - 1][2] if len(rows) > limit else None
        return rows[:limit], nxt

    def counts(self) -> dict[str, int]:
        """Number of releases and of things per kind."""
        out = dict(self.db.execute("SELECT kind, COUNT(*) FROM entities GROUP BY kind").fetchall())
        out["release"] = self.db.execute("SELECT COUNT(*) FROM releases").fetchone()[0]
        return out

    def latest(self, limit: int = 10) -> list[ReleaseRow]:
        """The newest releases."""
        return self.releases({}, limit=limit)[0]

    def search(self, q: str, *, limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
        """Full-text search over release titles and bodies and the names of things.

        Things one of whose names (label, alternative label, acronym) is exactly the query come
        first, then things a name of which holds every word (the last as a prefix), then every
        other match by BM25 (titles and names weigh 5 times more than bodies). Returns the page
        and the total number of full-text matches.
        """
        match = to_match(q)
        if not match:
            return [], 0
        total = self.db.execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        things = self._named(q)
        hits = [self._thing_hit(iri, q) for iri in things[offset:offset + limit]]
        skip = max(0, offset - len(things))
        need = limit - len(hits)
        if need > 0:
            # the rest by BM25, then snippets for the page only (snippets are the costly part)
            ranked = [(rowid, r) for rowid, iri, r in self.db.execute(
                "SELECT rowid, iri, bm25(fts, 5.0, 5.0, 1.0) r FROM fts WHERE fts MATCH ? ORDER BY r LIMIT ?",
                (match, skip + need + len(things))) if iri not in things][skip:skip + need]
            hits += self._text_hits(match, ranked)
        return hits, total

    def _named(self, q: str) -> list[str]:
        """Things named exactly ``q``, then things one of whose names holds every word of it."""
        norm = normalise(q)
        words = norm.split()
        if not words:
            return []
        exact = [iri for (iri,) in self.db.execute("SELECT DISTINCT iri FROM names WHERE norm=?", (norm,))]
        cond = " AND ".join(["(' ' || norm || ' ') LIKE ?"] * len(words))
        args = [f"% {w} %" for w in words[:-1]] + [f"% {words[-1]}%"]
        sql = ("SELECT n.iri FROM names n JOIN entities e ON e.iri = n.iri WHERE " + cond
               + " GROUP BY n.iri ORDER BY MIN(length(n.norm)), e.label LIMIT 200")
        return exact + [iri for (iri,) in self.db.execute(sql, args) if iri not in exact]

    def _thing_hit(self, iri: str, q: str) -> Hit:
        """A hit for a thing: its label, and the names that match, with the words marked."""
        kind, label, names = self.db.execute("SELECT kind, label, names FROM entities WHERE iri=?", (iri,)).fetchone()
        words = normalise(q).split()
        matching = [n for n in json.loads(names) if all(w in normalise(n) for w in words)]
        return Hit(iri, kind, _mark(label, words), " · ".join(_mark(n, words) for n in matching), 0.0)

    def _text_hits(self, match: str, ranked: list[tuple[int, float]]) -> list[Hit]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        sql = (f"SELECT rowid, iri, kind, snippet(fts, 4, '{HL_START}', '{HL_END}', ' … ', 24), "
               f"highlight(fts, 2, '{HL_START}', '{HL_END}') FROM fts WHERE fts MATCH ? AND rowid IN ({marks})")
        rows = {r[0]: r[1:] for r in self.db.execute(sql, (match, *(rowid for rowid, _ in ranked)))}
        return [Hit(rows[rowid][0], rows[rowid][1], rows[rowid][3], rows[rowid][2], rank) for rowid, rank in ranked]


def _mark(text: str, words: list[str]) -> str:
    """``text`` with the words of a query (the last as a prefix) between the match marks.

    >>> _mark("Programme Office in Nur-Sultan", ["nur", "sultan"]) == "Programme Office in \x02Nur\x03-\x02Sultan\x03"
    True
    """
    if not words:
        return text
    alternatives = "|".join(re.escape(w) + (r"\w*" if i == len(words) - 1 else r"\b")
                            for i, w in enumerate(words))
    return re.sub(r"\b(?:" + alternatives + ")", lambda m: HL_START + m.group(0) + HL_END, text, flags=re.I)


def _best(labels: list) -> object:
    """The English label if there is one, else an untagged one, else any."""
    return min(labels, key=lambda lit: (0 if lit.language == "en" else 1 if not lit.language else 2, lit.value))


def to_match(q: str) -> str:
    """Turn what a person typed into an FTS5 query: every word must match (prefix on the last).

    >>> to_match('ukraine "elect')
    '"ukraine" AND "elect"*'
    """
    words = re.findall(r"\w+", q, flags=re.UNICODE)
    if not words:
        return ""
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " AND ".join(parts)


def ensure(path: str | os.PathLike, store: Store, base: str) -> None:
    """Build the side index at ``path`` from ``store`` unless it already matches the store's
    version. The new file replaces the old one atomically."""
    p = Path(path)
    if p.exists():
        idx = SideIndex(p, read_only=True)
        try:
            if idx.version() == store.version():
                return
        except sqlite3.Error:
            pass
        finally:
            idx.close()
    rebuild_file(p, store, base)


def rebuild_file(path: str | os.PathLike, store: Store, base: str) -> None:
    """Build a new side index of ``store`` beside ``path`` and move it into place atomically
    (readers keep the old file until they reopen)."""
    p = Path(path)
    tmp = p.with_name(p.name + f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    idx = SideIndex(tmp)
    try:
        idx.rebuild(store, base)
    finally:
        idx.close()
    # A hot journal left by a writer killed mid-transaction belongs to the old file: SQLite would
    # "roll it back" onto the new one and corrupt it, so it goes first.
    for suffix in ("-journal", "-wal", "-shm"):
        p.with_name(p.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, p)
