"""Checking the data: SHACL shapes (pySHACL) and OWL 2 RL consistency (owlrl).

Pure with respect to its inputs: graphs passed in are never modified (closures run on copies).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import owlrl
import pyshacl
from rdflib import Graph, Namespace

import ontology
from kg import formats
from kg.iris import Minter
from kg.store import Store

ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


@dataclass
class Report:
    """The outcome of a validation run.

    ``conforms`` is True only when the shapes pass and the OWL RL closure found no
    inconsistency. ``text`` is pySHACL's report (and the OWL messages) when not.
    """

    conforms: bool
    graphs: int
    triples: int
    text: str = ""
    owl_errors: list[str] = field(default_factory=list)


def shapes(base: str) -> Graph:
    """The SHACL shapes resolved against ``base``."""
    g = Graph()
    g.parse(ontology.path("shapes.ttl"), format="turtle", publicID=base)
    return g


def ontology_graph(base: str) -> Graph:
    """The ontology resolved against ``base``."""
    g = Graph()
    g.parse(ontology.path("osce.ttl"), format="turtle", publicID=base)
    return g


def owl_errors(data: Graph) -> list[str]:
    """Inconsistencies the OWL 2 RL closure of ``data`` finds (``data`` is not modified)."""
    closure = Graph()
    for t in data:
        closure.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return sorted(str(m) for m in closure.objects(None, ERR.error))


def check_graph(data: Graph, base: str, *, owl: bool = False) -> Report:
    """Validate one graph (with the ontology mixed in for class reasoning).

    :param owl: also compute the OWL 2 RL closure and report inconsistencies (slow on big graphs).
    """
    with_ontology = data + ontology_graph(base)  # a new graph: ``data`` is left as it was
    conforms, _, text = pyshacl.validate(with_ontology, shacl_graph=shapes(base), inference="none",
                                         advanced=True, allow_warnings=True)
    errors = owl_errors(with_ontology) if owl else []
    return Report(bool(conforms) and not errors, 1, len(data), "" if conforms else text, errors)


def check_store(store: Store, base: str) -> Report:
    """Validate what a store holds: the reference data with OWL RL consistency, then every
    release graph together against the shapes."""
    m = Minter(base)
    ref = _graph(store, [m.graph("refdata"), m.graph("entities")])
    release_graphs = [g for g in store.graphs() if g.startswith(m.graph("release/"))]
    releases = _graph(store, release_graphs)
    ref_report = check_graph(ref, base, owl=True)
    rel_report = check_graph(releases + ref, base) if release_graphs else Report(True, 0, 0)
    return Report(ref_report.conforms and rel_report.conforms, 1 + len(release_graphs), len(ref) + len(releases),
                  "\n".join(t for t in (ref_report.text, rel_report.text) if t), ref_report.owl_errors)


def _graph(store: Store, names: list[str]) -> Graph:
    """The triples of some named graphs, merged into one rdflib graph."""
    g = Graph()
    nt = formats.by_name("ntriples")
    for name in names:
        g.parse(data=store.serialize_graph(name, nt), format="nt")
    return g
