"""Running one query and writing its answer, with a row cap that is never silent.

:func:`run` takes a query :class:`Job` (the query, the dataset, the two formats the client
accepts — one for solutions/booleans and one for graphs — and ``max_rows``) and returns an
:class:`Outcome`: the serialised bytes plus whether the answer was cut at ``max_rows``. It is
used in-process, inside the killable query workers (:mod:`kg.query_pool`) and against a remote
store (:mod:`kg.remote_store`): any object with the ``Store.query`` signature will do.

Solutions are serialised here rather than by pyoxigraph because a capped answer cannot be
handed back to pyoxigraph's writer. A truncated answer says so in the body where the format
has room: a ``link`` in the head of SPARQL JSON and XML results, a comment in Turtle,
N-Triples, N-Quads and TriG.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: the IRI a truncated answer links to in its head (JSON and XML results)
TRUNCATED_LINK = "urn:osce-kg:truncated"


@dataclass(frozen=True)
class Job:
    """One query to run. ``results_format``/``graph_format`` name the formats (in
    :mod:`kg.formats`) for a SELECT/ASK and a CONSTRUCT/DESCRIBE answer; None means the
    client accepts none of that kind (the caller answers 406 when that kind comes back)."""

    query: str
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    results_format: str | None = "json"
    graph_format: str | None = "turtle"
    max_rows: int = 10000
    base_iri: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A serialised answer. ``kind`` is ``results`` (solutions or boolean) or ``rdf``;
    ``format`` is None when the client accepts no format of that kind (``body`` is empty)."""

    kind: str
    format: str | None
    body: bytes
    rows: int = 0
    truncated: bool = False


def _take(items, limit: int) -> tuple[list, bool]:
    """At most ``limit`` items, and whether more were left.

    >>> _take(iter(range(5)), 3), _take(iter(range(2)), 3)
    (([0, 1, 2], True), ([0, 1], False))
    """
    taken = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def run(store, job: Job) -> Outcome:
    """Run ``job`` on ``store`` and serialise the answer, keeping at most ``job.max_rows`` rows.

    :raises kg.errors.QueryError: for a malformed query (from the store).
    """
    result = store.query(job.query, default_graph=list(job.default_graph) if job.default_graph is not None else None,
                         named_graphs=list(job.named_graphs) if job.named_graphs is not None else None,
                         base_iri=job.base_iri)
    if isinstance(result, (bool, ox.QueryBoolean)):
        if job.results_format is None:
            return Outcome("results", None, b"")
        return Outcome("results", job.results_format, write_boolean(bool(result), formats.by_name(job.results_format)),
                       rows=1)
    if hasattr(result, "variables"):
        if job.results_format is None:
            return Outcome("results", None, b"")
        names = [v.value for v in result.variables]
        solutions, truncated = _take(result, job.max_rows)
        rows = [[solution[n] for n in names] for solution in solutions]
        body = write_solutions(names, rows, formats.by_name(job.results_format), truncated=truncated)
        return Outcome("results", job.results_format, body, rows=len(rows), truncated=truncated)
    if job.graph_format is None:
        return Outcome("rdf", None, b"")
    triples, truncated = _take(result, job.max_rows)
    fmt = formats.by_name(job.graph_format)
    return Outcome("rdf", fmt.name, write_triples(triples, fmt, truncated=truncated), rows=len(triples),
                   truncated=truncated)


def write_triples(triples: list[ox.Triple], fmt: formats.Format, *, truncated: bool = False) -> bytes:
    """Serialise triples; quad formats put them in the default graph. A truncated answer
    ends with a comment where the syntax has comments.

    >>> t = ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"))
    >>> write_triples([t], formats.by_name("ntriples"), truncated=True).decode().splitlines()[-1]
    '# truncated: more triples match than the server returns'
    """
    data = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples] if fmt.quads else triples
    body = ox.serialize(data, format=fmt.ox)
    if truncated and fmt.name in ("turtle", "ntriples", "nquads", "trig", "n3"):
        body += b"# truncated: more triples match than the server returns\n"
    return body


def write_boolean(value: bool, fmt: formats.Format) -> bytes:
    """An ASK answer. CSV and TSV, which define no boolean form, get a one-cell table.

    >>> write_boolean(True, formats.by_name("json"))
    b'{"head":{},"boolean":true}'
    """
    word = "true" if value else "false"
    if fmt.name == "json":
        return b'{"head":{},"boolean":%s}' % word.encode()
    if fmt.name == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{word}</boolean></sparql>\n").encode()
    if fmt.name == "csv":
        return f"_askResult\r\n{word}\r\n".encode()
    return f"?_askResult\n{word}\n".encode()


def write_solutions(names: list[str], rows: list[list], fmt: formats.Format, *, truncated: bool = False) -> bytes:
    """Serialise solutions (rows of pyoxigraph terms, None for unbound) as SPARQL JSON, XML,
    CSV or TSV.

    >>> write_solutions(["x"], [[ox.Literal("a", language="en")]], formats.by_name("tsv"))
    b'?x\\n"a"@en\\n'
    """
    if fmt.name == "json":
        head: dict = {"vars": names}
        if truncated:
            head["link"] = [TRUNCATED_LINK]
        bindings = [{n: json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": head, "results": {"bindings": bindings}}, ensure_ascii=False,
                          separators=(",", ":")).encode()
    if fmt.name == "xml":
        return _xml(names, rows, truncated).encode()
    if fmt.name == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(names)
        for row in rows:
            w.writerow(["" if t is None else _csv_value(t) for t in row])
        return out.getvalue().encode()
    if fmt.name == "tsv":
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"{fmt.name} is not a SPARQL results format")


def _csv_value(t) -> str:
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Triple):
        return str(t)
    return t.value


def json_term(t) -> dict:
    """A term in the SPARQL 1.1 JSON results encoding (RDF-star triples as ``type: triple``)."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": json_term(t.subject), "predicate": json_term(t.predicate),
                                        "object": json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _xml(names: list[str], rows: list[list], truncated: bool) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    if truncated:
        out.append(f"<link href={quoteattr(TRUNCATED_LINK)}/>")
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in zip(names, row) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out)
