"""The release's main event: its type by keyword rules, agents, places and date."""
from __future__ import annotations

import re

from kg.extract.places import cities
from kg.model import Event, Person, Release

#: Ordered rules: the first pattern that matches the title (else the first paragraph) decides.
RULES = (
    ("ElectionObservation", r"\bobserv\w*\b[^.]*\belection|\belection\w*\b[^.]*\bobserv|election observation"),
    ("Appointment", r"\bappoint|\btakes? office\b|\btook office\b|\btook up (?:her|his|their) duties|\bnew Head of"),
    ("ProjectActivity", r"\bhand(?:s|ed|ing)? over\b|\bhandover\b|\bdonat(?:e|es|ed|ion)\b|\binaugurat"),
    ("Training", r"\btrain(?:s|ed|ing)?\b|\bcourse\b|\bworkshops?\b|\bseminar|\bstudy visit"),
    ("Conference", r"\bconference\b|\bforum\b|Ministerial Council|Implementation Meeting|Annual Session|"
                   r"Assessment Meeting|\bsummit\b|\bround ?table"),
    ("Visit", r"\bvisit(?:s|ed|ing)?\b|\btravel"),
    ("Meeting", r"\bmeets?\b|\bmet\b|\bdiscuss(?:es|ed)?\b|\btalks\b|Permanent Council"),
    ("Statement", r"\bcondemn|\bstatement\b|\bcalls? (?:for|on)\b|\bshocked\b|\bconcern|\bbriefing\b|"
                  r"\btold journalists\b|\bwelcom|\bdeplor|\burges?\b"),
)
_COMPILED = tuple((t, re.compile(p, re.I)) for t, p in RULES)


def event_type(title: str, first_paragraph: str) -> str:
    """Classify the main event; a release matching no rule is a ``Statement``.

    >>> event_type("OSCE Mission hands over equipment to prosecutors", "")
    'ProjectActivity'
    >>> event_type("Head of Mission visits Gori", "")
    'Visit'
    """
    for text in (title, first_paragraph):
        for kind, pattern in _COMPILED:
            if pattern.search(text):
                return kind
    return "Statement"


def main_event(release: Release, persons: list[Person], host: str | None) -> Event:
    """The main event: type, agents (the first named person, both sides of a meeting), places, date."""
    first = release.body[0] if release.body else ""
    kind = event_type(release.title, first)
    agents = tuple(p.name for p in persons[:2 if kind in ("Meeting", "ProjectActivity", "Appointment") else 1])
    city = release.places[-1] if release.places else release.place_value
    country = cities().get(city) if city else None
    places = tuple(dict.fromkeys(c for c in (country or host, city) if c))
    return Event(type=kind, agents=agents, places=places, date=release.date)
