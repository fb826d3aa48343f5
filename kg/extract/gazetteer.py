"""One multi-pattern matcher (Aho-Corasick) over every country and structure name.

Built once per process from the reference tables: participating States and Partners
(:func:`kg.refdata.countries`), other countries (``ontology/refdata/other_countries.tsv``),
and OSCE structures with their acronyms, aliases and dated former names
(:func:`kg.refdata.structures`). Non-OSCE bodies whose names contain an OSCE name
("NATO Parliamentary Assembly") are entered as blockers so that the longest match wins.
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

import ahocorasick

import ontology
from kg import refdata

#: Names of other organisations that contain an OSCE structure's name; matched and dropped.
BLOCKERS = (
    "Parliamentary Assembly of the Council of Europe", "NATO Parliamentary Assembly", "PACE",
    "Council of Europe Parliamentary Assembly", "UN Secretary-General", "UN Secretary General",
    "United Nations Secretary-General", "United Nations Secretary General", "NATO Secretary General",
    "Secretary General of NATO", "Secretary General of the Council of Europe", "Secretary General of the United Nations",
    "Council of Europe Secretary General", "European Union", "EU Special Representative", "UN Special Representative",
    "Gulf Cooperation Council", "Arab League",
)
#: Structures that are events or the organisation itself, never listed as mentioned structures.
NOT_LISTED = frozenset({"osce", "ministerial-council", "summit"})
#: Country names that are also common first names: not a country when a capitalised word follows.
FIRST_NAMES = frozenset({"Jordan", "Chad", "Israel", "India"})
_PARTICLES = frozenset("del de di da van von le la du dos das della der den ter ten".split())


@dataclass(frozen=True)
class Entry:
    """One surface form. ``kind`` is ``state``, ``partner``, ``other``, ``structure`` or ``block``."""

    form: str
    kind: str
    key: str | None
    demonym: bool = False
    valid_from: str | None = None
    valid_until: str | None = None


@dataclass(frozen=True)
class Mention:
    """A matched entry at ``start:end`` of the text."""

    start: int
    end: int
    text: str
    entries: tuple[Entry, ...]


def other_countries() -> list[dict[str, str]]:
    """Rows of ``ontology/refdata/other_countries.tsv`` (countries that are neither States nor Partners)."""
    with open(ontology.path("refdata/other_countries.tsv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _entries() -> list[Entry]:
    out: list[Entry] = []
    for c in refdata.countries():
        kind = "state" if c.is_participating_state else "partner" if c.is_current_partner else "other"
        for n in {c.name, re.sub(r"^The ", "", c.name), *c.aliases, *c.editorial_aliases}:
            out.append(Entry(n, kind, c.alpha2))
        out += [Entry(d, kind, c.alpha2, demonym=True) for d in c.demonyms]
    for r in other_countries():
        for n in (r["name"], *r["aliases"].split("|")):
            if n.strip():
                out.append(Entry(n.strip(), "other", r["iso3166_alpha2"]))
        out += [Entry(d.strip(), "other", r["iso3166_alpha2"], demonym=True)
                for d in r["demonym_adjective"].split(",") if d.strip()]
    for s in refdata.structures():
        forms = {s.label, f"OSCE {s.label}", *s.acronyms, *s.aliases}
        dated = {n.name for n in s.names}
        out += [Entry(f, "structure", s.slug) for f in forms - dated]
        for n in s.names:
            for f in (n.name, f"OSCE {n.name}"):
                out.append(Entry(f, "structure", s.slug, valid_from=n.valid_from, valid_until=n.valid_until))
    out += [Entry(b, "block", None) for b in BLOCKERS]
    return out


def _exact_case(form: str) -> bool:
    """Acronyms and forms with inner capitals (``US``, ``RFoM``, ``OSCE PA``) must match case exactly."""
    letters = [c for c in form if c.isalpha()]
    return len(letters) <= 5 and sum(c.isupper() for c in letters) >= 2 or any(
        c.isupper() for w in form.split() for c in w[1:] if not w.isupper() and c.isalpha()) and len(form) <= 6


def _lower(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@functools.cache
def automaton() -> ahocorasick.Automaton:
    """The matcher, keyed by lower-cased form; values are ``(length, entries)``."""
    by_form: dict[str, list[Entry]] = {}
    for e in _entries():
        by_form.setdefault(_lower(e.form), []).append(e)
    a = ahocorasick.Automaton()
    for form, entries in by_form.items():
        a.add_word(form, (len(form), tuple(entries)))
    a.make_automaton()
    return a


def _case_ok(entry: Entry, found: str) -> bool:
    if found == entry.form:
        return True
    if _exact_case(entry.form):
        return False
    if found[1:] == entry.form[1:] and found[0].isupper():  # sentence-initial "Former Yugoslav ..."
        return True
    return found.isupper() and len(found) > 4  # headings and datelines in capitals


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def find(text: str) -> list[Mention]:
    """Leftmost-longest, non-overlapping mentions of gazetteer entries in ``text``.

    >>> [m.text for m in find("Del Monaco met the NATO Parliamentary Assembly and the OSCE PA in the Czech Republic.")]
    ['OSCE PA', 'Czech Republic']
    """
    low = _lower(text)
    candidates = []
    for end, (length, entries) in automaton().iter(low):
        start = end - length + 1
        if (start > 0 and _word_char(text[start - 1])) or (end + 1 < len(text) and _word_char(text[end + 1])):
            continue
        found = text[start:end + 1]
        ok = tuple(e for e in entries if _case_ok(e, found))
        if ok:
            candidates.append((start, -length, end + 1, found, ok))
    candidates.sort()
    out: list[Mention] = []
    pos = 0
    for start, _, end, found, entries in candidates:
        if start < pos:
            continue
        pos = end
        if _is_surname(text, start, end, entries):
            continue
        out.append(Mention(start, end, found, entries))
    return [m for m in out if m.entries[0].kind != "block"]


def _is_surname(text: str, start: int, end: int, entries: tuple[Entry, ...]) -> bool:
    if entries[0].kind in ("structure", "block"):
        return False
    before = text[max(0, start - 12):start].split()
    if before and before[-1].lower() in _PARTICLES:
        return True
    after = text[end:end + 30]
    return text[start:end] in FIRST_NAMES and re.match(r"\s+[A-Z][a-z]", after) is not None
