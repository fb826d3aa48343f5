"""A remote SPARQL 1.1 store (Virtuoso, Fuseki, …) behind the same reading surface as
:class:`kg.store.Store`: ``query()``, ``version()``, ``graphs()``, ``has_graph()``,
``serialize_graph()``, plus ``run(job, timeout)`` for the endpoint. Queries go through
SPARQLWrapper; answers come back as pyoxigraph terms, so the endpoint's formats, row cap and
truncation signal are the same as with the embedded store. The remote server enforces its own
time limit; the HTTP client stops waiting at the deadline.
"""
from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kg import formats, results
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.store import MODIFIED, GraphWrites, write_request

XSD = "http://www.w3.org/2001/XMLSchema#"


def _term(b: dict):
    """A SPARQL JSON binding as a pyoxigraph term (``typed-literal`` is Virtuoso's old spelling)."""
    kind, value = b["type"], b["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in b:
        return ox.Literal(value, language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(value, datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(value)


def _first_line(error: Exception) -> str:
    """The remote store's own message, without the echo of our (possibly huge) request."""
    text = str(error).split("Response:", 1)[-1].strip().lstrip("b'\"")
    return text.replace("\\n", "\n").splitlines()[0][:500] if text else type(error).__name__


class Solutions:
    """SELECT results of a remote query: ``variables`` and an iterator of solutions indexable
    by variable name (like pyoxigraph's ``QuerySolutions``)."""

    def __init__(self, data: dict):
        self.variables = [ox.Variable(v) for v in data["head"]["vars"]]
        self._rows = data["results"]["bindings"]

    def __iter__(self):
        for row in self._rows:
            yield _Solution(row)


class _Solution:
    def __init__(self, row: dict):
        self._row = row

    def __getitem__(self, name: str):
        b = self._row.get(name)
        return None if b is None else _term(b)


class RemoteStore(GraphWrites):
    """A SPARQL endpoint URL used as the store.

    :param endpoint: the remote ``/sparql`` URL.
    :param user: optional HTTP user (with ``password``), e.g. from the environment.
    :param base_iri: the dataset's base IRI (names the meta graph holding the version).
    :param timeout: seconds to wait for an answer when no other limit is given.
    :param update_endpoint: the SPARQL Update URL (Virtuoso: ``/sparql-auth``); without it the
        store is read-only. Each write is one update request; whether the remote store runs it
        as one transaction is up to that store (Virtuoso runs a request's operations in order).
    :param auth: ``digest`` or ``basic`` HTTP authentication for ``user``.
    :param gsp_endpoint: a Graph Store Protocol URL (Virtuoso: ``/sparql-graph-crud-auth``); when
        given, graph contents are sent with PUT/POST there (any size, blank nodes allowed) and only
        drops and the version stamp go through SPARQL Update.
    """

    path = None

    def __init__(self, endpoint: str, *, user: str = "", password: str = "",
                 base_iri: str = "http://127.0.0.1:8080/", timeout: float = 30.0,
                 update_endpoint: str | None = None, auth: str = "digest", gsp_endpoint: str | None = None):
        self.endpoint, self.user, self.password, self.timeout = endpoint, user, password, timeout
        self.update_endpoint, self.auth, self.gsp_endpoint = update_endpoint, auth, gsp_endpoint
        self.read_only = update_endpoint is None
        self.dataset_iri = base_iri + "dataset"
        self.meta_graph = base_iri + "graph/meta"
        self._version: tuple[float, str] | None = None

    def query(self, sparql: str, *, default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, timeout: float | None = None):
        """Run a query remotely: a bool (ASK), :class:`Solutions` (SELECT) or a list of triples.

        :raises QueryError: the remote store rejected the query as malformed.
        :raises QueryTimeout: no answer within ``timeout`` seconds.
        :raises StoreError: the remote store failed or cannot be reached.
        """
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        sw = SPARQLWrapper(self.endpoint)
        sw.setMethod(POST)
        sw.setTimeout(max(1, int(round(timeout or self.timeout))))
        sw.setQuery(sparql)
        if self.user:
            sw.setCredentials(self.user, self.password)
        for g in default_graph or ():
            sw.addDefaultGraph(g)
        for g in named_graphs or ():
            sw.addNamedGraph(g)
        graph_answer = sw.queryType in ("CONSTRUCT", "DESCRIBE")
        sw.setReturnFormat(TURTLE if graph_answer else JSON)
        try:
            response = sw.query()
            data = response.response.read()
        except QueryBadFormed as e:
            raise QueryError(str(e).split("Response:", 1)[-1].strip() or str(e)) from None
        except (socket.timeout, TimeoutError) as e:
            raise QueryTimeout(f"the remote store did not answer within {timeout or self.timeout:g} s") from e
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise QueryTimeout(f"the remote store did not answer within {timeout or self.timeout:g} s") from e
            raise StoreError(f"the remote store cannot be reached: {e.reason}") from e
        except SPARQLWrapperException as e:
            raise StoreError(f"the remote store failed: {e}") from e
        if graph_answer:
            return [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        parsed = json.loads(data)
        return bool(parsed["boolean"]) if "boolean" in parsed else Solutions(parsed)

    def run(self, job: results.Job, timeout: float) -> results.Outcome:
        """Run an endpoint job remotely within ``timeout`` seconds."""
        store = self

        class _Bounded:
            def query(self, sparql, **kw):
                return store.query(sparql, timeout=timeout, **kw)
        return results.run(_Bounded(), job)

    def version(self) -> str:
        """The dataset version stamp (cached for 2 s: it is read on every request)."""
        now = time.monotonic()
        if self._version is None or now - self._version[0] > 2:
            rows = list(self.query(f"SELECT ?v WHERE {{ GRAPH <{self.meta_graph}> {{ <{self.dataset_iri}> "
                                   f"<{MODIFIED}> ?v }} }}"))
            self._version = (now, rows[0]["v"].value if rows else "empty")
        return self._version[1]

    def graphs(self) -> list[str]:
        """IRIs of all named graphs."""
        return sorted(r["g"].value for r in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def has_graph(self, iri: str) -> bool:
        """True when the named graph exists and is not empty."""
        return self.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")

    def has_triple(self, subject, predicate, obj) -> bool:
        """True when the triple is in any named graph (pyoxigraph terms)."""
        return self.query(f"ASK {{ GRAPH ?g {{ {subject} {predicate} {obj} }} }}")

    def objects(self, subject: str, predicate: str, graph: str) -> list[str]:
        """Values of ``subject predicate ?o`` in one named graph."""
        return [r["o"].value for r in self.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{subject}> <{predicate}> ?o }} }}")]

    def count(self, graph: str | None = None) -> int:
        """Number of quads in one named graph, or in all named graphs."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        return int(next(iter(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))["n"].value)

    def apply(self, *, drop=(), add=(), bump: bool = True) -> None:
        """Drop whole graphs, add quads and (if ``bump``) stamp the dataset version in one update request.

        :raises StoreError: when the store is read-only or the remote store refuses the write.
        """
        self._writable()
        drop, add = list(drop), list(add)
        if self.gsp_endpoint:
            by_graph: dict[str, list[ox.Quad]] = {}
            for q in add:
                by_graph.setdefault(q.graph_name.value, []).append(q)
            for graph, quads in by_graph.items():
                body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
                self._graph_store("PUT" if graph in drop else "POST", graph, body)
            drop, add = [g for g in drop if g not in by_graph], []
        request = write_request(drop, add, self.dataset_iri, self.meta_graph, bump=bump)
        if not request:
            return
        sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint)
        sw.setMethod(POST)
        sw.setTimeout(max(1, int(self.timeout)))
        if self.user:
            sw.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
            sw.setCredentials(self.user, self.password)
        sw.setQuery(request)
        try:
            sw.query().response.read()
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as e:
            raise StoreError(f"the remote store refused the write: {_first_line(e)}") from e
        self._version = None

    def _authorization(self, req: urllib.request.Request) -> str:
        """The Authorization header for ``req``: Basic, or Digest answered to the challenge of a
        body-less probe of the same URL."""
        if self.auth != "digest":
            import base64
            return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        probe = urllib.request.Request(req.full_url, method="GET")
        try:
            with urllib.request.urlopen(probe, timeout=self.timeout) as r:
                r.read()
            raise StoreError("the graph store did not ask for credentials; use KG_REMOTE_AUTH=basic")
        except urllib.error.HTTPError as e:
            challenge = e.headers.get("WWW-Authenticate", "")
            e.close()
        if not challenge.lower().startswith("digest "):
            raise StoreError(f"the graph store did not offer Digest authentication: {challenge!r}")
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, req.full_url, self.user, self.password)
        handler = urllib.request.HTTPDigestAuthHandler(mgr)
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
        header = handler.get_authorization(req, chal)
        if header is None:
            raise StoreError("cannot answer the graph store's Digest challenge")
        return "Digest " + header

    def _graph_store(self, method: str, graph: str, body: bytes) -> None:
        """Send one graph's triples to the Graph Store endpoint (PUT replaces, POST adds)."""
        url = f"{self.gsp_endpoint}{'&' if '?' in self.gsp_endpoint else '?'}graph-uri={urllib.parse.quote(graph)}"
        req = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples"})
        try:
            if self.user:  # authenticate up front: a server that answers 401 mid-upload breaks the pipe
                req.add_header("Authorization", self._authorization(req))
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                r.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            e.close()
            raise StoreError(f"the graph store refused {method} {graph}: {e.code} {detail[0][:300] if detail else ''}")
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"the graph store cannot be reached: {e}") from e

    def flush(self) -> None:
        """Nothing to do: the remote store persists each request itself."""

    def optimize(self) -> None:
        """Nothing to do: compaction is the remote store's business."""

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the remote store is read-only here (no update endpoint configured)")

    def graph_quads(self, iri: str) -> list[ox.Quad]:
        """All quads of one named graph."""
        g = ox.NamedNode(iri)
        return [ox.Quad(t.subject, t.predicate, t.object, g)
                for t in self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")]

    def dump(self, output, fmt: formats.Format) -> None:
        """Write this dataset's named graphs (those under ``{base}graph/``, not the remote
        store's own system graphs) to ``output`` (a path or binary file) in a quad format."""
        if not fmt.quads:
            raise StoreError(f"{fmt.name} cannot hold named graphs; use nquads or trig")
        prefix = self.meta_graph.rsplit("/", 1)[0] + "/"
        quads = [q for g in self.graphs() if g.startswith(prefix) for q in self.graph_quads(g)]
        ox.serialize(quads, output, format=fmt.ox)

    def serialize_graph(self, iri: str, fmt: formats.Format) -> bytes:
        """One named graph as bytes in an RDF format."""
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        return results.write_triples(triples, fmt)
