"""Turn :class:`~kg.model.Facts` into the gold-file record of ``tests/data/corpus/README.md``."""
from __future__ import annotations

import functools
import os

from kg import refdata
from kg.model import Facts


@functools.cache
def _labels() -> dict[str, str]:
    return {s.slug: s.label for s in refdata.structures()}


@functools.cache
def _field_labels() -> dict[str, str]:
    return {c.slug: c.label for c in refdata.fields_of_work()}


def structure_label(slug: str | None) -> str | None:
    """Canonical (menu) label of a structure slug; alpha-2 codes and None pass through.

    >>> structure_label("programme-office-in-astana"), structure_label("KZ")
    ('Programme Office in Astana', 'KZ')
    """
    return _labels().get(slug, slug) if slug else None


def to_gold(facts: Facts) -> dict:
    """The gold record of a release: structure slugs become canonical labels, field slugs menu labels.

    Keys, in order: ``file``, ``content_type``, ``title``, ``date``, ``place``, ``source``,
    ``states``, ``partners``, ``other_countries``, ``structures``, ``fields_of_work``,
    ``persons`` (``name``, ``roles``, ``affiliation``) and ``event`` (``type``, ``agents``,
    ``places``, ``date``; None when no event was recognised).
    """
    r = facts.release
    e = facts.event
    return {
        "file": os.path.basename(r.file) if r.file else None,
        "content_type": r.content_type,
        "title": r.title,
        "date": r.date.isoformat() if r.date else None,
        "place": r.place,
        "source": structure_label(facts.source),
        "states": list(facts.states),
        "partners": list(facts.partners),
        "other_countries": list(facts.other_countries),
        "structures": [structure_label(s) for s in facts.structures],
        "fields_of_work": [_field_labels().get(f, f) for f in facts.fields_of_work],
        "persons": [{"name": p.name, "roles": list(p.roles), "affiliation": structure_label(p.affiliation)}
                    for p in facts.persons],
        "event": None if e is None else {
            "type": e.type, "agents": list(e.agents), "places": list(e.places),
            "date": e.date.isoformat() if e.date else None},
    }
