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

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kg import formats, results
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.store import MODIFIED

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


class RemoteStore:
    """A SPARQL endpoint URL used as the store (read-only for this server).

    :param endpoint: the remote ``/sparql`` URL.
    :param user: optional HTTP user (with ``password``), e.g. from the environment.
    :param base_iri: the dataset's base IRI (names the meta graph holding the version).
    :param timeout: seconds to wait for an answer when no other limit is given.
    """

    path = None
    read_only = True

    def __init__(self, endpoint: str, *, user: str = "", password: str = "",
                 base_iri: str = "http://127.0.0.1:8080/", timeout: float = 30.0):
        self.endpoint, self.user, self.password, self.timeout = endpoint, user, password, timeout
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

    def serialize_graph(self, iri: str, fmt: formats.Format) -> bytes:
        """One named graph as bytes in an RDF format."""
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        return results.write_triples(triples, fmt)
