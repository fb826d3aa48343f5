"""Countries and OSCE structures mentioned in a release, from the gazetteer's matches."""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from kg import refdata
from kg.extract.gazetteer import NOT_LISTED, Entry, Mention, find

_COMMUNITY = re.compile(r"^(?:\s*,\s*[A-Z][a-z]+)*(?:,?\s+and\s+[A-Z][a-z]+)?\s+(?:communit|minorit|population|diaspora)")


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def resolve_structure(entries: tuple[Entry, ...], date: dt.date | None) -> str | None:
    """The structure slug a name stood for at ``date`` (former names are dated).

    A name valid at the date wins; otherwise an undated name; otherwise the first candidate.
    """
    cands = [e for e in entries if e.kind == "structure"]
    if not cands:
        return None
    day = _iso(date)
    if day:
        for e in cands:
            if e.valid_from and e.valid_from <= day and (not e.valid_until or day < e.valid_until):
                return e.key
    return next((e.key for e in cands if not e.valid_from), cands[0].key)


def is_ethnic_community(text: str, m: Mention) -> bool:
    """True for a demonym naming a community (``Roma, Ashkali and Egyptian communities``).

    >>> t = "the Roma, Ashkali and Egyptian communities"
    >>> is_ethnic_community(t, next(x for x in __import__("kg.extract.gazetteer").extract.gazetteer.find(t)))
    True
    """
    if not all(e.demonym for e in m.entries):
        return False
    return _COMMUNITY.match(text[m.end:m.end + 80]) is not None


def countries(text: str) -> tuple[list[str], list[str], list[str]]:
    """Alpha-2 codes of (participating States, Partners, other countries) named in ``text``, in order."""
    found: dict[str, list[str]] = {"state": [], "partner": [], "other": []}
    for m in find(text):
        e = m.entries[0]
        if e.kind in found and e.key not in found[e.kind] and not is_ethnic_community(text, m):
            found[e.kind].append(e.key)
    return found["state"], found["partner"], found["other"]


def fold(name: str) -> str:
    """Lower case without diacritics, for comparing spellings (``Kubiš`` = ``Kubis``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()


@functools.cache
def sg_surnames() -> frozenset[str]:
    """Folded surnames of every OSCE Secretary General."""
    return frozenset(fold(sg.person.split()[-1]) for sg in refdata.secretaries_general())


_PA_BEFORE = re.compile(r"(?:\bOSCE PA|\bPA|Parliamentary Assembly)(?:[’']s)?\s+$")
_PA_AFTER = re.compile(r"\s+of the (?:OSCE )?(?:Parliamentary Assembly|PA)\b")
_NAME_AFTER = re.compile(r",?\s+(?:[A-Z][\w’'.-]*\s+){0,3}([A-Z][\w’'-]+)")


def other_secretary_general(text: str, m: Mention) -> bool:
    """True when a ``Secretary General`` mention is another body's (the Parliamentary Assembly's).

    Either the Assembly is named with it (``OSCE PA Secretary General``, ``Secretary General of the
    OSCE Parliamentary Assembly``) or it titles a person who never was the OSCE Secretary General.

    >>> t = "OSCE PA President Tsereteli and Secretary General Roberto Montella met"
    >>> other_secretary_general(t, next(x for x in find(t) if x.text == "Secretary General"))
    True
    """
    if _PA_BEFORE.search(text[max(0, m.start - 40):m.start]) or _PA_AFTER.match(text[m.end:m.end + 60]):
        return True
    name = _NAME_AFTER.match(text[m.end:m.end + 80])
    return bool(name) and fold(name.group(1)) not in sg_surnames()


_FSC_AFTER = re.compile(r"\s+of the (?:OSCE\s+)?(?:Forum for Security Co-operation|FSC)\b")
_FSC_BEFORE = re.compile(r"(?:Forum|FSC)[’']s\s+(?:[A-Z][\w’'-]*\s+){0,3}$")


def fsc_chair(text: str, m: Mention) -> bool:
    """True for the Forum for Security Co-operation's own rotating chair (``the Forum's United States
    Chairpersonship``, ``Chairmanship of the OSCE Forum for Security Co-operation``), not the OSCE's."""
    return bool(_FSC_AFTER.match(text[m.end:m.end + 60]) or _FSC_BEFORE.search(text[max(0, m.start - 60):m.start]))


def structures(text: str, date: dt.date | None) -> list[str]:
    """Slugs of the OSCE structures named in ``text``, in order, resolved at ``date``."""
    out: list[str] = []
    for m in find(text):
        slug = resolve_structure(m.entries, date)
        if slug == "secretary-general" and other_secretary_general(text, m):
            continue
        if slug == "chairpersonship" and fsc_chair(text, m):
            continue
        if slug and slug not in NOT_LISTED and slug not in out:
            out.append(slug)
    return out


def source_structure(source: str | None, date: dt.date | None) -> str | None:
    """The structure a Source/Issued-by value names (``OSCE Office in Tajikistan`` -> Dushanbe office)."""
    if not source:
        return None
    found = structures(source, date)
    return found[0] if found else None
