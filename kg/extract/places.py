"""Cities as a small gazetteer (``ontology/refdata/cities.tsv``): city name -> alpha-2 code (empty for Kosovo)."""
from __future__ import annotations

import csv
import functools
import re

import ontology


@functools.cache
def cities() -> dict[str, str | None]:
    """City name -> alpha-2 code or None.

    >>> cities()["Vienna"], cities()["Prishtinë/Priština"]
    ('AT', None)
    """
    with open(ontology.path("refdata/cities.tsv"), encoding="utf-8", newline="") as f:
        return {r["city"]: r["iso3166_alpha2"] or None for r in csv.DictReader(f, delimiter="\t")}


@functools.cache
def city_pattern() -> re.Pattern:
    """One alternation over all city names, longest first, on word boundaries."""
    names = sorted(cities(), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
