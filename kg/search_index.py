"""The side index: a SQLite file next to the store holding what the store is slow at.

* ``releases``: one row per release (title, date, content type, publisher) ordered by date for
  keyset paging (``ORDER BY ... LIMIT`` is a full sort in Oxigraph);
* ``links``: release -> State, structure, field of work, person, place, type and year, which
  gives the listing filters, facet counts, "releases mentioning X" and the yearly timelines;
* ``facet_counts``: the unfiltered facet counts, precomputed;
* ``entities``: every thing's label and kind (listings, facet labels);
* ``fts``: an FTS5 table over release titles and bodies and entity labels (search).

It is kept in sync by the ingest: call :meth:`SideIndex.index_release` after each release graph
is written, :meth:`SideIndex.remove_release` when one is dropped, then :meth:`SideIndex.finish`
with the store. :meth:`SideIndex.rebuild` builds it from a store from scratch; the server
rebuilds it itself when the recorded store version differs from the store's.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import stats
from kg.describe import bind
from kg.iris import Minter
from kg.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS releases(slug TEXT PRIMARY KEY, iri TEXT, graph TEXT, title TEXT, date TEXT, year TEXT,
    content_type TEXT, publisher TEXT);
CREATE INDEX IF NOT EXISTS releases_order ON releases(date DESC, slug DESC);
CREATE TABLE IF NOT EXISTS links(facet TEXT, value TEXT, date TEXT, release TEXT,
    PRIMARY KEY(facet, value, date, release)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_value ON links(value, date DESC);
CREATE INDEX IF NOT EXISTS links_release ON links(release);
CREATE TABLE IF NOT EXISTS facet_counts(facet TEXT, value TEXT, n INTEGER, PRIMARY KEY(facet, value));
CREATE TABLE IF NOT EXISTS entities(iri TEXT PRIMARY KEY, kind TEXT, label TEXT);
CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind, label);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(iri UNINDEXED, kind UNINDEXED, title, body,
    tokenize='unicode61 remove_diacritics 2');
"""

OSCE = "ontology#"
FACETS = ("state", "structure", "field", "type", "year")
# IRI kind -> facet of the links table
KIND_FACET = {"state": "state", "partner": "state", "country": "state", "organization": "structure",
              "institution": "structure", "body": "structure", "secretariat-unit": "structure",
              "field-operation": "structure", "field-of-work": "field", "person": "person", "place": "place",
              "content-type": "type", "event": "event"}
# marks that :meth:`SideIndex.search` puts around matches (escaped output replaces them with <mark>)
HL_START, HL_END = "\x02", "\x03"

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
ALL_LABELS = """SELECT ?x ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l
  FILTER(STRSTARTS(STR(?x), ?prefix)) }"""
RELEASE_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a <{ns}Release> } }"


def path_for(store_path: str | os.PathLike) -> Path:
    """Where the side index of a store at ``store_path`` lives: ``<store>.index.sqlite`` beside it.

    >>> path_for("var/store").name
    'store.index.sqlite'
    """
    p = Path(store_path)
    return p.parent / (p.name + ".index.sqlite")


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
        if read_only:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- writing ------------------------------------------------------------------------------
    def index_release(self, store: Store, graph_iri: str, base: str, *, commit: bool = True) -> None:
        """(Re)index the release held in named graph ``graph_iri`` of ``store``.

        :param commit: commit at once; a batch passes False and relies on :meth:`finish`
            (a commit is an fsync, which cost more than the indexing itself at 100k releases).
        """
        m = Minter(base)
        g = ox.NamedNode(graph_iri)
        rows = list(store.query(bind(RELEASE.format(ns=m.namespace), g=g)))
        self.remove_release(graph_iri, commit=False)
        if not rows:
            if commit:
                self.db.commit()
            return
        r = rows[0]
        split = m.split(r["rel"].value)
        if split is None:
            return
        key = split[1]
        date = r["date"].value if r["date"] else None
        year = date[:4] if date else None
        ct = r["ct"].value if r["ct"] else None
        pub = r["pub"].value if r["pub"] else None
        self.db.execute("INSERT INTO releases VALUES (?,?,?,?,?,?,?,?)",
                        (key, r["rel"].value, graph_iri, r["title"].value, date, year, ct, pub))
        links = {(KIND_FACET.get((m.split(x["o"].value) or ("",))[0]), x["o"].value)
                 for x in store.query(bind(RELEASE_LINKS.format(ns=m.namespace), g=g))}
        if pub:
            links.add(("structure", pub))
        if year:
            links.add(("year", year))
        self.db.executemany("INSERT OR IGNORE INTO links VALUES (?,?,?,?)",
                            [(f or "other", v, date or "", key) for f, v in links])
        body = r["body"].value if r["body"] else ""
        self.db.execute("INSERT INTO fts(iri, kind, title, body) VALUES (?,?,?,?)",
                        (r["rel"].value, "release", r["title"].value, body))
        for x in store.query(bind(GRAPH_LABELS, g=g)):
            self._entity(m, x["x"], x["l"])
        if commit:
            self.db.commit()

    def remove_release(self, graph_iri: str, *, commit: bool = True) -> None:
        """Forget the release held in ``graph_iri``."""
        row = self.db.execute("SELECT slug, iri FROM releases WHERE graph=?", (graph_iri,)).fetchone()
        if row:
            self.db.execute("DELETE FROM links WHERE release=?", (row[0],))
            self.db.execute("DELETE FROM releases WHERE slug=?", (row[0],))
            self.db.execute("DELETE FROM fts WHERE iri=?", (row[1],))
        if commit:
            self.db.commit()

    def finish(self, store: Store, base: str) -> None:
        """After a batch: refresh the labels of reference things, the precomputed facet counts and
        the dataset statistics, and record the store version the index matches."""
        m = Minter(base)
        for x in store.query(bind(ALL_LABELS, prefix=ox.Literal(base + "id/"))):
            self._entity(m, x["x"], x["l"])
        self.db.execute("DELETE FROM facet_counts")
        self.db.execute("INSERT INTO facet_counts SELECT facet, value, COUNT(*) FROM links GROUP BY facet, value")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stats', ?)", (json.dumps(stats.compute(store, base)),))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (store.version(),))
        self.db.commit()

    def rebuild(self, store: Store, base: str) -> None:
        """Index every release graph of ``store`` from scratch."""
        for t in ("releases", "links", "facet_counts", "entities", "fts"):
            self.db.execute(f"DELETE FROM {t}")
        for r in store.query(RELEASE_GRAPHS.replace("{ns}", Minter(base).namespace)):
            self.index_release(store, r["g"].value, base, commit=False)
        self.finish(store, base)

    def _entity(self, m: Minter, node, label) -> None:
        split = m.split(node.value) if isinstance(node, ox.NamedNode) else None
        if split is None or split[0] in ("release", "event"):
            return
        have = self.db.execute("SELECT label FROM entities WHERE iri=?", (node.value,)).fetchone()
        if have is None:
            self.db.execute("INSERT INTO entities VALUES (?,?,?)", (node.value, split[0], label.value))
            self.db.execute("INSERT INTO fts(iri, kind, title, body) VALUES (?,?,?,?)",
                            (node.value, split[0], label.value, ""))
        elif getattr(label, "language", None) == "en" and have[0] != label.value:
            self.db.execute("UPDATE entities SET label=? WHERE iri=?", (label.value, node.value))

    # -- reading ------------------------------------------------------------------------------
    def version(self) -> str | None:
        """The store version the index was last synchronised with."""
        row = self.db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return row[0] if row else None

    def stats(self) -> dict:
        """The dataset statistics recorded by :meth:`finish` (see :func:`kg.stats.compute`)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='stats'").fetchone()
        return json.loads(row[0]) if row else {}

    def releases(self, filters: dict[str, str], *, after: tuple[str, str] | None = None,
                 limit: int = 50) -> tuple[list[ReleaseRow], tuple[str, str] | None]:
        """Releases matching every ``facet -> value`` filter, newest first, from keyset ``after``.

        :returns: the page and the keyset of its last row when another page follows.
        """
        where, args = self._filter_sql(filters)
        if after:
            where.append("(coalesce(date,''), slug) < (?, ?)")
            args += list(after)
        sql = ("SELECT slug, title, date, content_type, publisher FROM releases"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY coalesce(date,'') DESC, slug DESC LIMIT ?")
        rows = [ReleaseRow(*r) for r in self.db.execute(sql, [*args, limit + 1])]
        nxt = (rows[limit - 1].date or "", rows[limit - 1].slug) if len(rows) > limit else None
        return rows[:limit], nxt

    def count_releases(self, filters: dict[str, str]) -> int:
        """How many releases match the filters."""
        where, args = self._filter_sql(filters)
        sql = "SELECT COUNT(*) FROM releases" + (" WHERE " + " AND ".join(where) if where else "")
        return self.db.execute(sql, args).fetchone()[0]

    def facet_counts(self, filters: dict[str, str], *, top: int = 20) -> dict[str, list[tuple[str, str, int]]]:
        """For each facet: ``(value, label, count)`` over the releases matching ``filters``, largest first."""
        out: dict[str, list[tuple[str, str, int]]] = {}
        where, args = self._filter_sql(filters, column="release")
        for facet in FACETS:
            if not filters:
                sql = "SELECT value, n FROM facet_counts WHERE facet=? ORDER BY n DESC, value LIMIT ?"
                rows = self.db.execute(sql, (facet, top)).fetchall()
            else:
                sql = ("SELECT value, COUNT(*) n FROM links WHERE facet=? AND " + " AND ".join(where)
                       + " GROUP BY value ORDER BY n DESC, value LIMIT ?")
                rows = self.db.execute(sql, [facet, *args, top]).fetchall()
            out[facet] = [(v, self.label(v) if facet != "year" else v, n) for v, n in rows]
        return out

    def _filter_sql(self, filters: dict[str, str], column: str = "slug") -> tuple[list[str], list[str]]:
        where, args = [], []
        for facet, value in filters.items():
            where.append(f"{column} IN (SELECT release FROM links WHERE facet=? AND value=?)")
            args += [facet, value]
        return where, args

    def mentioning(self, iri: str, *, after: tuple[str, str] | None = None,
                   limit: int = 20) -> tuple[list[ReleaseRow], tuple[str, str] | None]:
        """Releases linking to ``iri`` (mention, publisher, field of work...), newest first."""
        sql = "SELECT DISTINCT date, release FROM links WHERE value=?"
        args: list = [iri]
        if after:
            sql += " AND (date, release) < (?, ?)"
            args += list(after)
        keys = self.db.execute(sql + " ORDER BY date DESC, release DESC LIMIT ?", [*args, limit + 1]).fetchall()
        nxt = tuple(keys[limit - 1]) if len(keys) > limit else None
        rows = []
        for _, slug in keys[:limit]:
            r = self.db.execute("SELECT slug, title, date, content_type, publisher FROM releases WHERE slug=?",
                                (slug,)).fetchone()
            if r:
                rows.append(ReleaseRow(*r))
        return rows, nxt

    def count_mentioning(self, iri: str) -> int:
        """How many releases link to ``iri``."""
        return self.db.execute("SELECT COUNT(DISTINCT release) FROM links WHERE value=?", (iri,)).fetchone()[0]

    def timeline(self, iri: str) -> list[tuple[int, int]]:
        """``(year, number of releases)`` linking to ``iri``, oldest first."""
        sql = ("SELECT substr(date,1,4) y, COUNT(DISTINCT release) FROM links WHERE value=? AND date<>'' "
               "GROUP BY y ORDER BY y")
        return [(int(y), n) for y, n in self.db.execute(sql, (iri,))]

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
        """Full-text search over release titles and bodies and entity labels, best first (BM25,
        titles weigh 5 times more than bodies). Returns the page and the total number of hits."""
        match = to_match(q)
        if not match:
            return [], 0
        total = self.db.execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        sql = (f"SELECT iri, kind, title, snippet(fts, 3, '{HL_START}', '{HL_END}', ' … ', 24), "
               f"highlight(fts, 2, '{HL_START}', '{HL_END}'), bm25(fts, 5.0, 1.0) r "
               "FROM fts WHERE fts MATCH ? ORDER BY r LIMIT ? OFFSET ?")
        hits = [Hit(iri, kind, hl_title, snip, rank)
                for iri, kind, _title, snip, hl_title, rank in self.db.execute(sql, (match, limit, offset))]
        return hits, total


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
    tmp = p.with_name(p.name + f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    idx = SideIndex(tmp)
    try:
        idx.rebuild(store, base)
    finally:
        idx.close()
    os.replace(tmp, p)
