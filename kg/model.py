"""Plain records that flow through the pipeline: page -> :class:`Release` -> :class:`Facts` -> RDF.

Standard library only, so that readers, the extractor and the RDF mapping share them without
import cycles.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Release:
    """One release as read from a page, before any entity recognition.

    ``date`` is the publication date; ``date_derived`` is True when it was only found in the
    body (e.g. "On 27 September 2023, ...") rather than in a Date line or dateline.
    ``places`` are the dateline places as written, title-cased (``("Warsaw", "Tbilisi")``).
    ``source`` is the raw Source/Issued-by value; ``sha256`` is of the normalised text.
    """

    title: str
    content_type: str
    body: tuple[str, ...]
    sha256: str
    date: dt.date | None = None
    date_derived: bool = False
    dateline: str | None = None
    places: tuple[str, ...] = ()
    place_value: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    file: str | None = None
    fields_of_work_declared: tuple[str, ...] = ()

    @property
    def place(self) -> str | None:
        """The dateline place(s) joined with ``/`` as the gold file writes them, else the Place value."""
        return "/".join(self.places) if self.places else self.place_value


@dataclass(frozen=True)
class Person:
    """A named person: the name as written, roles in the text's words, affiliation.

    ``affiliation`` is an alpha-2 State code, a structure slug, or None.
    """

    name: str
    roles: tuple[str, ...] = ()
    affiliation: str | None = None


@dataclass(frozen=True)
class Event:
    """The release's main event. ``places`` are alpha-2 codes, then city names."""

    type: str
    agents: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date: dt.date | None = None
    meeting_type: str | None = None


@dataclass(frozen=True)
class Facts:
    """What the extractor recognised in one release.

    States, partners and other countries are alpha-2 codes; ``source`` and ``structures`` are
    structure slugs (see :func:`kg.refdata.structures`); fields of work are concept slugs.
    """

    release: Release
    source: str | None = None
    states: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    other_countries: tuple[str, ...] = ()
    structures: tuple[str, ...] = ()
    fields_of_work: tuple[str, ...] = ()
    persons: tuple[Person, ...] = ()
    event: Event | None = None
    places: tuple[str, ...] = field(default=())
