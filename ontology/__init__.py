"""The OSCE ontology, SHACL shapes, reference tables and example queries, as package data.

Every Turtle file here is written with relative IRIs (``<ontology#State>``,
``<id/state/albania>``) so that one copy serves any deployment: the loader resolves
them against the configured base IRI.
"""
from importlib import resources
from pathlib import Path


def path(name: str) -> Path:
    """Return the filesystem path of a file shipped in this package.

    >>> path("osce.ttl").name
    'osce.ttl'
    """
    return Path(str(resources.files(__name__).joinpath(name)))
