"""Reference facts about the OSCE read from the tables in ``ontology/refdata``.

The tables are the project's single source for States, partners, structures,
chairpersonships, Secretaries General, fields of work and meeting types. This module
only reads them into frozen records; :mod:`kg.refgraph` turns them into RDF and the
extractor uses them as its gazetteer. Values marked ``unconfirmed`` become ``None``.
"""
from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass

import ontology

UNCONFIRMED = "unconfirmed"


def slugify(text: str) -> str:
    """Return a readable ASCII slug without dots.

    >>> slugify("Türkiye")
    'turkiye'
    >>> slugify("The Netherlands")
    'netherlands'
    """
    text = re.sub(r"^The ", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def leading_date(value: str) -> str | None:
    """Return the ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) a table cell starts with.

    >>> leading_date("1997-03-27 (PC.DEC/160)")
    '1997-03-27'
    >>> leading_date("unconfirmed") is None
    True
    """
    m = re.match(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b", value or "")
    return m.group(1) if m else None


def _split(cell: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split(sep) if p.strip() and p.strip() != UNCONFIRMED)


def _rows(name: str) -> list[dict[str, str]]:
    with open(ontology.path(f"refdata/{name}"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@dataclass(frozen=True)
class Country:
    """A participating State or a (former) Partner for Co-operation."""

    slug: str
    name: str
    alpha2: str
    alpha3: str
    wikidata: str | None
    geonames: str | None
    eu_country: str | None
    aliases: tuple[str, ...]
    editorial_aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    participating_since: str | None = None
    partner_group: str | None = None
    partner_since: str | None = None
    partner_until: str | None = None
    source: str = ""

    @property
    def is_participating_state(self) -> bool:
        """True for the 57 participating States (Mongolia included)."""
        return self.participating_since is not None

    @property
    def is_current_partner(self) -> bool:
        """True for the 11 current Partners for Co-operation."""
        return self.partner_group is not None and self.partner_until is None


@dataclass(frozen=True)
class DatedName:
    """A name a structure carried during an interval (open ends are ``None``)."""

    name: str
    valid_from: str | None
    valid_until: str | None


@dataclass(frozen=True)
class Structure:
    """An OSCE structure: the organisation, an institution, body, unit or field operation."""

    slug: str
    kind: str
    label: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    names: tuple[DatedName, ...] = ()
    parent: str | None = None
    seat: str | None = None
    hosts: tuple[str, ...] = ()
    host_places: tuple[str, ...] = ()
    status: str | None = None
    opened: str | None = None
    closed: str | None = None
    established: str | None = None
    wikidata: str | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class CioTenure:
    """One Chairperson-in-Office within a chairpersonship year."""

    year: int
    country: str
    person: str
    within_year: str
    source: str


@dataclass(frozen=True)
class SecretaryGeneral:
    """A Secretary General and the term held (ISO dates, month precision)."""

    person: str
    nationality: str
    term_start: str | None
    term_end: str | None
    source: str


@dataclass(frozen=True)
class Concept:
    """A SKOS concept of a menu list (field of work or meeting type)."""

    slug: str
    label: str
    position: int
    alt_labels: tuple[str, ...]
    source: str


def _country(row: dict[str, str], **extra) -> Country:
    qid = row["wikidata_qid"].strip()
    return Country(
        slug=slugify(row.get("osce_name", "")),
        name=row["osce_name"],
        alpha2=row["iso3166_alpha2"],
        alpha3=row["iso3166_alpha3"],
        wikidata=qid if qid.startswith("Q") else None,
        geonames=row["geonames_id"] or None,
        eu_country=row["eu_po_country_uri"] or None,
        aliases=_split(row["aliases_sourced"]),
        editorial_aliases=_split(row["aliases_editorial_unverified"]),
        demonyms=_split(row["demonym_adjective"], ","),
        source=row["source"],
        **extra,
    )


@functools.cache
def countries() -> tuple[Country, ...]:
    """All participating States and Partners for Co-operation, one record per country.

    Mongolia, a partner from 2004 until it joined in 2012, is one record with both facts.
    """
    partners = {r["iso3166_alpha2"]: r for r in _rows("partners.tsv")}
    out = []
    for row in _rows("states.tsv"):
        p = partners.pop(row["iso3166_alpha2"], None)
        extra = dict(participating_since=leading_date(row["joined_csce_osce"]))
        if p:
            extra.update(partner_group=p["partner_group"].replace(" (former)", ""),
                         partner_since=leading_date(p["partner_since"]), partner_until=leading_date(p["partner_until"]))
        out.append(_country(row, **extra))
    for p in partners.values():
        out.append(_country(p, partner_group=p["partner_group"], partner_since=leading_date(p["partner_since"]),
                            partner_until=leading_date(p["partner_until"])))
    return tuple(out)


def _hosts(host: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a host cell into alpha-2 codes and names of places that are not States."""
    by_name = {}
    for c in countries():
        for n in (c.name, *c.aliases, *c.editorial_aliases):
            by_name[n] = c.alpha2
    codes, places = [], []
    for part in re.split(r"\s*/\s*", re.sub(r"\s*\(.*\)", "", host)):
        (codes.append(by_name[part]) if part in by_name else places.append(part))
    return tuple(codes), tuple(places)


@functools.cache
def structures() -> tuple[Structure, ...]:
    """All OSCE structures with canonical (menu) labels, aliases and dated former names."""
    tables = {t: {r[k]: r for r in _rows(f"{t}.tsv")} for t, k in
              (("institutions", "name"), ("secretariat", "unit"), ("field_operations", "name_current_or_last"))}
    names: dict[str, list[DatedName]] = {}
    for r in _rows("structure_names.tsv"):
        names.setdefault(r["slug"], []).append(
            DatedName(r["name"], leading_date(r["valid_from"]), leading_date(r["valid_until"])))
    parents = {"OSCE Secretariat": "secretariat", "Office of the Secretary General": "office-of-the-secretary-general",
               "OSCE Secretariat (Office of the Secretary General)": "office-of-the-secretary-general",
               "Transnational Threats Department": "transnational-threats-department"}
    out = []
    for r in _rows("structures.tsv"):
        src = tables.get(r["table"], {}).get(r["row"], {})
        seat = src.get("seat", "")
        fields = dict(
            slug=r["slug"], kind=r["kind"], label=r["label"],
            acronyms=tuple(a for a in r["acronyms"].split("|") if a),
            aliases=tuple(a for a in r["aliases"].split("|") if a),
            names=tuple(names.get(r["slug"], ())),
            seat=None if not seat or seat.startswith(UNCONFIRMED) else re.split(r"\s*[(;]", seat)[0].strip(),
            note=src.get("note", ""), source=src.get("source", r["source"]),
        )
        if r["table"] == "field_operations":
            hosts, host_places = _hosts(src["host"])
            fields.update(parent="osce", hosts=hosts, host_places=host_places, status=src["status"],
                          opened=leading_date(src["opened"]), closed=leading_date(src["closed"]))
        elif r["table"] == "secretariat":
            fields.update(parent=parents.get(src["parent"], "secretariat"), established=leading_date(src["established"]))
        elif r["table"] == "institutions":
            qid = src.get("wikidata_qid", "")
            fields.update(parent=None if r["slug"] == "osce" else "osce", established=leading_date(src["established"]),
                          wikidata=qid if qid.startswith("Q") else None)
        else:
            fields.update(parent="osce" if r["kind"] == "chairpersonship" else "secretariat")
        out.append(Structure(**fields))
    return tuple(out)


@functools.cache
def cio_tenures() -> tuple[CioTenure, ...]:
    """Chairpersons-in-Office by year, two rows where the minister changed mid-year."""
    return tuple(CioTenure(int(r["year"]), r["country"], r["chairperson_in_office"], r["cio_term_within_year"], r["source"])
                 for r in _rows("chairpersonships.tsv"))


@functools.cache
def secretaries_general() -> tuple[SecretaryGeneral, ...]:
    """Secretaries General in office order."""
    return tuple(SecretaryGeneral(r["secretary_general"], r["nationality"], leading_date(r["term_start"]),
                                  leading_date(r["term_end"]), r["source"]) for r in _rows("secretaries_general.tsv"))


@functools.cache
def fields_of_work() -> tuple[Concept, ...]:
    """The 23 fields of work, labels exactly as the osce.org menu writes them."""
    return tuple(Concept(slugify(r["field_of_work"]), r["field_of_work"], int(r["position"]), (), r["source"])
                 for r in _rows("fields_of_work.tsv"))


@functools.cache
def meeting_types() -> tuple[Concept, ...]:
    """The 16 meeting and conference types, labels exactly as the osce.org menu writes them."""
    return tuple(Concept(slugify(r["meeting_type"]), r["meeting_type"], int(r["position"]),
                         tuple(v for v in [r["variant_in_other_crawl"]] if v), r["source"])
                 for r in _rows("meeting_types.tsv"))
