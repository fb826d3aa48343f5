"""Recognise facts in a release: countries, structures, persons, the main event, fields of work.

:func:`extract` is pure; the gazetteer behind it is built once per process.
"""
from __future__ import annotations

import functools

from kg import refdata
from kg.extract import mentions
from kg.extract.events import main_event
from kg.extract.fields import fields_of_work
from kg.extract.persons import persons
from kg.extract.places import cities
from kg.model import Facts, Release

__all__ = ["extract"]


def extract(release: Release) -> Facts:
    """Recognise the facts of one release.

    >>> from kg.model import Release
    >>> f = extract(Release(title="t", content_type="News", sha256="", source="OSCE Office in Tajikistan",
    ...                     body=("Swiss and Kazakh experts met in China.",)))
    >>> f.source, f.states, f.other_countries
    ('programme-office-in-dushanbe', ('CH', 'KZ'), ('CN',))
    """
    body = "\n".join(release.body)
    country_text = "\n".join(filter(None, (release.title, release.place_value, body)))
    states, partners, others = mentions.countries(country_text)
    source = mentions.source_structure(release.source, release.date)
    found = mentions.structures(body, release.date)
    structures = ([source] if source else []) + [s for s in found if s != source]
    host = host_country(release, source)
    people = persons(body, release.date, source, host)
    return Facts(release=release, source=source, states=tuple(states), partners=tuple(partners),
                 other_countries=tuple(others), structures=tuple(structures), persons=tuple(people),
                 fields_of_work=tuple(fields_of_work(release)), event=main_event(release, people, host))


@functools.cache
def _hosts() -> dict[str, tuple[str, ...]]:
    return {s.slug: s.hosts for s in refdata.structures()}


def host_country(release: Release, source: str | None) -> str | None:
    """The country a release is about: the issuing field operation's host, else the first country the title
    names, else the dateline city's country (an institution's seat, as in ``VIENNA, ...``, is a weak hint)."""
    hosts = _hosts().get(source or "", ())
    if hosts:
        return hosts[0]
    named = mentions.countries(release.title)
    about = next((c for kind in named for c in kind), None)
    return about or next((cities()[p] for p in release.places if cities().get(p)), None)
