"""The release's main event: its type by keyword rules, agents, places and date."""
from __future__ import annotations

import re

from kg.extract.places import cities
from kg.model import Event, Person, Release

#: Ordered rules: the first pattern that matches the title (else the first paragraph) decides.
RULES = (
    ("ElectionObservation", r"\bobserv\w*\b[^.]*\belection|\belection\w*\b[^.]*\bobserv|election observation|"
                            r"election (?:assessment|expert)|\b(?:L?EOM|SEAM|EAM)\b"),
    ("Statement", r"^(?:Press\s+)?Statement\b|\bstatement (?:by|of|on)\b"),
    ("Appointment", r"(?<!newly )(?<!recently )\bappoint|\btakes? office\b|\btook office\b|"
                    r"\btook up (?:her|his|their) duties|\bnew Head of|\bbegins? (?:service|(?:his|her|their) (?:term|mandate))|"
                    r"\bassumes? (?:the )?(?:post|office|duties)"),
    ("ProjectActivity", r"\bhand(?:s|ed|ing)? over\b|\bhandover\b|\bdonat(?:e|es|ed|ion)\b|\binaugurat|"
                        r"\blaunch(?:es|ed|ing)?\b|\bhandbook\b|\bmemorandum of understanding\b|"
                        r"\bsign(?:s|ed|ing)?\b[^.]{0,60}\b(?:memorandum|agreement)\b|"
                        r"\bpresent(?:s|ed)?\b[^.]{0,40}\b(?:report|handbook|guide|study|manual)\b|"
                        r"\breport\b[^.]{0,40}\bpresented\b"),
    ("Training", r"\btrain(?:s|ed|ing)?\b|\bcourse\b|\bworkshops?\b|\bseminar|\bstudy visit"),
    ("Conference", r"\bconference\b|\bforum\b(?! for Security Co-operation)(?![’']s)|Ministerial Council|Implementation Meeting|"
                   r"Annual Session|Assessment Meeting|\bsummit\b|\bround ?table"),
    ("Visit", r"\bvisit(?:s|ed|ing)?\b|\btravel"),
    ("Meeting", r"\bmeets?\b|\bmet\b|\bmeeting\b|\bdiscuss(?:es|ed)?\b|\btalks\b|Permanent Council"),
    ("Statement", r"\bcondemn|\bstatement\b|\bcalls? (?:for|on)\b|\bshocked\b|\bconcern|\bbriefing\b|"
                  r"\btold journalists\b|\bwelcom|\bdeplor|\burges?\b"),
)
#: Weaker cues, tried when neither the title nor the first paragraph matched a rule above.
WEAK_RULES = (
    ("Meeting", r"Forum for Security Co-operation|\bFSC\b|\bChairpersonship of the (?:OSCE )?Forum"),
)
_COMPILED = tuple((t, re.compile(p, re.I)) for t, p in RULES)
_WEAK = tuple((t, re.compile(p)) for t, p in WEAK_RULES)


def event_type(title: str, first_paragraph: str) -> str:
    """Classify the main event; a release matching no rule is a ``Statement``.

    >>> event_type("OSCE Mission hands over equipment to prosecutors", "")
    'ProjectActivity'
    >>> event_type("Head of Mission visits Gori", "")
    'Visit'
    """
    for rules in (_COMPILED, _WEAK):
        for text in (title, first_paragraph):
            for kind, pattern in rules:
                if pattern.search(text):
                    return kind
    return "Statement"


def main_event(release: Release, persons: list[Person], host: str | None) -> Event:
    """The main event: type, agents (the first named person, both sides of a meeting), places, date."""
    first = release.body[0] if release.body else ""
    kind = event_type(release.title, first)
    agents = tuple(p.name for p in persons[:2 if kind in ("Meeting", "ProjectActivity", "Appointment") else 1])
    if kind in ("Statement", "Meeting", "ProjectActivity"):
        # the office holders named in the opening sentence act together ("X and Y today condemned ...")
        opening = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", first, maxsplit=1)[0]
        acting = tuple(p.name for p in persons if p.roles and p.name in opening)
        agents = acting if len(acting) > len(agents) else agents
    city = release.places[-1] if release.places else release.place_value
    country = cities().get(city) if city else None
    places = tuple(dict.fromkeys(c for c in (country or host, city) if c))
    return Event(type=kind, agents=agents, places=places, date=release.date)
