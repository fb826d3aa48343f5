"""Writing the whole dataset out: N-Quads or TriG keep every graph name; Turtle merges the
graphs into one (for tools that know no datasets)."""
from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from kg.formats import Format
from kg.store import Store


def export(store: Store, target: BinaryIO, fmt: Format) -> None:
    """Serialise every named graph of ``store`` to ``target``.

    :raises kg.errors.UnsupportedFormat: for a format that is not RDF.
    """
    if fmt.kind != "rdf":
        from kg.errors import UnsupportedFormat
        raise UnsupportedFormat(f"{fmt.name} is not an RDF format")
    if fmt.quads:
        store.dump(target, fmt)
        return
    triples = (q.triple for g in store.graphs() for q in store.graph_quads(g))
    ox.serialize(triples, target, format=fmt.ox)
