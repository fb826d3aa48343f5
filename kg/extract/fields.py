"""Fields of work (the 23 menu concepts) by keyword rules, title words weighing triple."""
from __future__ import annotations

import re

from kg import refdata
from kg.model import Release

#: Concept slug -> keyword pattern (case-insensitive).
KEYWORDS = {
    "arms-control": r"arms control|confidence- and security-building|\bCSBMs?\b|Vienna Document|small arms|"
                    r"light weapons|ammunition|military information|politico-military|disarmament|"
                    r"Forum for Security Co-operation|\bFSC\b|military (?:transparency|activit|exercise|forces)",
    "border-management": r"\bborders?\b|customs|border guards?|border management",
    "combating-trafficking-in-human-beings": r"traffick(?:ing|ers?) in (?:human beings|persons)|human trafficking|"
                                             r"anti-trafficking|trafficking|forced labour",
    "conflict-prevention-and-resolution": r"conflict|ceasefire|mediat|confidence-building|contact line|"
                                          r"settlement process|peace|early warning|crisis|dialogue|"
                                          r"Geneva International Discussions|Incident Prevention and Response|"
                                          r"Trilateral Contact Group|armed formations|security developments",
    "countering-terrorism": r"terroris|violent extremism|radicali[sz]ation",
    "cyber-ict-security": r"cyber|\bICT\b",
    "democratization": r"democrati|parliament|reforms?\b|legislat|public consultation|constitution",
    "economic-activities": r"econom|connectivity|money laundering|corruption|trade facilitation|digitali[sz]ation",
    "education": r"educat|schools?\b|universit|students",
    "elections": r"election|voters?|polling|observers?\b|campaign|ballot",
    "environmental-activities": r"environment|climate|water management|Aarhus",
    "gender-equality": r"gender|women",
    "good-governance": r"good governance|governance|transparen|accountab|e-governance|municipal",
    "human-rights": r"human rights|civil liberties|human dignity|freedom of religion|fundamental freedoms|detention|"
                    r"detained|imprison|human dimension|torture",
    "media-freedom-and-development": r"journalist|media freedom|freedom of the media|press freedom|editor|"
                                     r"broadcast|media outlets?|\blibel\b|defamation",
    "migration": r"migra|refugees|asylum",
    "national-minority-issues": r"national minorit|minority languages|inter-ethnic|non-majority|intercultural|"
                                r"multilingual education",
    "policing": r"(?<!Border )\bpolic(?:e|ing)\b|law enforcement",
    "reform-and-co-operation-in-the-security-sector": r"security sector",
    "roma-and-sinti": r"\bRoma\b|Sinti",
    "rule-of-law": r"rule of law|judicia|prosecut|courts?\b|war crimes|trials?\b|justice",
    "tolerance-and-non-discrimination": r"tolerance|discrimination|hate crime|anti-Semitism|intolerance|prejudice|"
                                        r"anti-Muslim|xenophob|racism",
    "youth": r"\byouth|young people",
}
#: Compiled against lower-cased text: much faster than ``re.I`` on long alternations.
_COMPILED = {slug: re.compile(p.lower()) for slug, p in KEYWORDS.items()}
#: Names of structures whose words would count as topics ("Parliamentary Assembly" -> democratization).
_NAMES = re.compile(r"(?:OSCE\s+)?(?:Parliamentary Assembly|Office for Democratic Institutions and Human Rights)")


def fields_of_work(release: Release, limit: int = 3) -> list[str]:
    """Up to ``limit`` field slugs: the page's own ``Fields of work:`` line when it has one, else the
    fields scoring at least half the best keyword score (and at least 2)."""
    if release.fields_of_work_declared:
        by_label = {c.label.lower(): c.slug for c in refdata.fields_of_work()}
        declared = [by_label[f.lower()] for f in release.fields_of_work_declared if f.lower() in by_label]
        if declared:
            return declared[:limit]
    body = _NAMES.sub(" ", " ".join(release.body)).lower()  # an issuer's name says nothing of the topic
    title = release.title.lower()
    scores = {slug: 3 * len(p.findall(title)) + len(p.findall(body)) for slug, p in _COMPILED.items()}
    ranked = sorted((s for s in scores.items() if s[1] >= 2), key=lambda s: -s[1])
    if not ranked:
        # a short page: a single keyword decides when it is the only one
        weak = [slug for slug, sc in scores.items() if sc == 1]
        return weak if len(weak) == 1 else []
    top = ranked[0][1]
    return [slug for slug, sc in ranked[:limit] if sc >= top / 2]
