"""The reference data as RDF: States, partners, structures, chairpersonships, Secretaries
General, fields of work and meeting types, built from :mod:`kg.refdata` for one base IRI.

Facts the sources mark ``unconfirmed`` are left out and the gap is recorded with
``osce:dateUnconfirmed`` naming the missing property, so a reader can tell "unknown" from
"forgotten".
"""
from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef

from kg import refdata
from kg.iris import Minter, slug
from kg.vocab import DCTERMS, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, TIME, WD, XSD, Ontology, prefixes

# structure kind -> (IRI kind, ontology class)
STRUCTURE_KINDS = {
    "organization": ("organization", "IntergovernmentalOrganization"),
    "institution": ("institution", "Institution"),
    "assembly": ("institution", "AutonomousBody"),
    "court": ("institution", "AutonomousBody"),
    "secretariat": ("secretariat-unit", "Secretariat"),
    "body": ("body", "DecisionMakingBody"),
    "format": ("body", "Format"),
    "chairpersonship": ("body", "Chairpersonship"),
    "secretariat-unit": ("secretariat-unit", "SecretariatUnit"),
    "field-operation": ("field-operation", "FieldOperation"),
}

MONTHS = ("January February March April May June July August September October November December").split()


def date_literal(value: str) -> Literal:
    """Type an ISO date of year, month or day precision.

    >>> date_literal("1992-09").datatype.endswith("gYearMonth")
    True
    """
    kind = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=kind)


class RefIRIs:
    """IRIs of reference individuals for one base (shared by the mapping of releases)."""

    def __init__(self, base: str):
        self.m = Minter(base)
        self._structures = {s.slug: s for s in refdata.structures()}
        self._countries = {c.alpha2: c for c in refdata.countries()}

    def country(self, alpha2: str) -> URIRef:
        """A participating State, a partner, or (for other codes) a country place."""
        c = self._countries.get(alpha2)
        if c is None:
            return URIRef(self.m.thing("country", alpha2.lower()))
        return URIRef(self.m.thing("state" if c.is_participating_state else "partner", c.slug))

    def structure(self, structure_slug: str) -> URIRef:
        """An OSCE structure by its slug."""
        s = self._structures[structure_slug]
        return URIRef(self.m.thing(STRUCTURE_KINDS[s.kind][0], s.slug))

    def place(self, name: str) -> URIRef:
        """A named place (city, region, territory)."""
        return URIRef(self.m.thing("place", slug(name)))

    def person(self, name: str) -> URIRef:
        """A person, one IRI per name spelling folded to ASCII."""
        return URIRef(self.m.thing("person", slug(name)))

    def field_of_work(self, concept_slug: str) -> URIRef:
        return URIRef(self.m.thing("field-of-work", concept_slug))

    def meeting_type(self, concept_slug: str) -> URIRef:
        return URIRef(self.m.thing("meeting-type", concept_slug))

    def content_type(self, label: str) -> URIRef:
        return URIRef(self.m.thing("content-type", slug(label)))

    def scheme(self, name: str) -> URIRef:
        return URIRef(self.m.thing("scheme", name))


def build(base: str) -> Graph:
    """Return the reference-data graph for ``base`` (deterministic: same tables, same triples)."""
    g = Graph()
    for p, ns in prefixes(base).items():
        g.bind(p, ns, override=True, replace=True)
    O, ids = Ontology(base), RefIRIs(base)
    en = lambda s: Literal(s, lang="en")  # noqa: E731
    osce = ids.structure("osce")

    def label(node, text):
        g.add((node, RDFS.label, en(text)))
        g.add((node, SKOS.prefLabel, en(text)))

    def interval(node, start: str | None, end: str | None):
        iv = URIRef(f"{node}-interval")
        g.add((node, ORG.memberDuring, iv))
        g.add((iv, RDF.type, TIME.Interval))
        for prop, value, tag in ((TIME.hasBeginning, start, "start"), (TIME.hasEnd, end, "end")):
            if value:
                inst = URIRef(f"{iv}-{tag}")
                g.add((iv, prop, inst))
                g.add((inst, RDF.type, TIME.Instant))
                g.add((inst, TIME.inXSDDate if len(value) == 10 else TIME.inXSDgYearMonth if len(value) == 7
                       else TIME.inXSDgYear, date_literal(value)))
        for prop, value in ((O.validFrom, start), (O.validUntil, end)):
            if value:
                g.add((node, prop, date_literal(value)))

    def membership(node, fragment: str, role, start: str | None, end: str | None) -> URIRef:
        """A country's dated participation in the OSCE in ``role`` (an org:Membership)."""
        ms = URIRef(f"{node}#{fragment}")
        g.add((ms, RDF.type, O.ParticipationInOSCE))
        g.add((ms, ORG.member, node))
        g.add((node, ORG.hasMembership, ms))
        g.add((ms, ORG.organization, osce))
        g.add((ms, ORG.role, role))
        interval(ms, start, end)
        return ms

    # countries -------------------------------------------------------------------------------
    for c in refdata.countries():
        node = ids.country(c.alpha2)
        g.add((node, RDF.type, O.Country))
        if c.is_participating_state:
            g.add((node, RDF.type, O.ParticipatingState))
        if c.is_current_partner:
            g.add((node, RDF.type, O.PartnerForCooperation))
        label(node, c.name)
        g.add((node, SCHEMA.name, en(c.name)))
        g.add((node, O.alpha2, Literal(c.alpha2)))
        g.add((node, O.alpha3, Literal(c.alpha3)))
        if c.wikidata:
            g.add((node, OWL.sameAs, WD[c.wikidata]))
        if c.geonames:
            g.add((node, O.geonamesID, Literal(c.geonames)))
            g.add((node, SCHEMA.sameAs, URIRef(f"https://sws.geonames.org/{c.geonames}/")))
        if c.eu_country:
            g.add((node, SKOS.exactMatch, URIRef(c.eu_country)))
        for a in c.aliases:
            g.add((node, SKOS.altLabel, en(a)))
        for a in c.editorial_aliases:
            g.add((node, SKOS.hiddenLabel, en(a)))
        for d in c.demonyms:
            g.add((node, O.demonym, en(d)))
        g.add((node, DCTERMS.source, Literal(c.source)))
        if c.is_participating_state:
            membership(node, "participation", O.ParticipatingStateRole, c.participating_since, None)
        if c.partner_group:
            ms = membership(node, "partnership", O.AsianPartnerRole if c.partner_group == "Asian"
                            else O.MediterraneanPartnerRole, c.partner_since, c.partner_until)
            g.add((ms, O.partnerGroup, Literal(c.partner_group)))
            if c.partner_since is None:
                g.add((ms, O.dateUnconfirmed, Literal("validFrom")))

    # structures --------------------------------------------------------------------------------
    for s in refdata.structures():
        node = ids.structure(s.slug)
        g.add((node, RDF.type, getattr(O, STRUCTURE_KINDS[s.kind][1])))
        label(node, s.label)
        g.add((node, SCHEMA.name, en(s.label)))
        for a in s.acronyms:
            g.add((node, O.acronym, en(a)))
        for a in s.aliases:
            g.add((node, SKOS.altLabel, en(a)))
        if s.parent:
            parent = ids.structure(s.parent)
            g.add((node, ORG.unitOf if s.kind not in ("assembly", "court") else ORG.subOrganizationOf, parent))
        if s.wikidata:
            g.add((node, OWL.sameAs, WD[s.wikidata]))
        if s.seat:
            seat = ids.place(s.seat)
            g.add((node, O.seat, seat))
            g.add((seat, RDF.type, O.Place))
            label(seat, s.seat)
        for i, n in enumerate(s.names):
            na = URIRef(f"{node}#name-{i + 1}")
            g.add((node, O.hasName, na))
            g.add((na, RDF.type, O.NameAssignment))
            g.add((na, O.name, en(n.name)))
            for prop, value in ((O.validFrom, n.valid_from), (O.validUntil, n.valid_until)):
                if value:
                    g.add((na, prop, date_literal(value)))
            if n.name != s.label:
                g.add((node, SKOS.altLabel, en(n.name)))
        if s.established:
            g.add((node, O.openingDate, date_literal(s.established)))
        if s.kind == "field-operation":
            g.add((node, O.status, O.Active if s.status == "active" else O.Closed))
            for code in s.hosts:
                g.add((node, O.hostCountry, ids.country(code)))
            for place in s.host_places:
                p = ids.place(place)
                g.add((node, O.hostCountry, p))
                g.add((p, RDF.type, O.Place))
                label(p, place)
            if s.opened:
                g.add((node, O.openingDate, date_literal(s.opened)))
            else:
                g.add((node, O.dateUnconfirmed, Literal("openingDate")))
            if s.closed:
                g.add((node, O.closingDate, date_literal(s.closed)))
            elif s.status != "active":
                g.add((node, O.dateUnconfirmed, Literal("closingDate")))
        if s.note:
            g.add((node, SKOS.scopeNote, en(s.note)))
        if s.source:
            g.add((node, DCTERMS.source, Literal(s.source)))

    # chairpersonships and Chairpersons-in-Office --------------------------------------------------
    countries_by_name = {c.name: c for c in refdata.countries()}
    chair = ids.structure("chairpersonship")
    for t in refdata.cio_tenures():
        term = URIRef(ids.m.thing("chairpersonship", str(t.year)))
        g.add((term, RDF.type, O.ChairingTerm))
        label(term, f"OSCE Chairpersonship {t.year}: {t.country}")
        g.add((term, O.year, Literal(str(t.year), datatype=XSD.gYear)))
        g.add((term, ORG.organization, osce))
        g.add((term, ORG.role, O.ChairRole))
        state = countries_by_name.get(t.country)
        if state:
            g.add((term, ORG.member, ids.country(state.alpha2)))
        else:  # Czechoslovakia and other predecessor States are places, not participating States today
            former = ids.place(t.country)
            g.add((term, ORG.member, former))
            g.add((former, RDF.type, O.Country))
            label(former, t.country)
        iv = URIRef(f"{term}#interval")
        g.add((term, ORG.memberDuring, iv))
        g.add((iv, RDF.type, TIME.Interval))
        g.add((term, O.validFrom, Literal(f"{t.year}-01-01", datatype=XSD.date)))
        g.add((term, O.validUntil, Literal(f"{t.year}-12-31", datatype=XSD.date)))
        g.add((term, DCTERMS.source, Literal(t.source)))
        person = ids.person(t.person)
        g.add((person, RDF.type, O.Person))
        label(person, t.person)
        g.add((person, SCHEMA.name, Literal(t.person)))
        tenure = URIRef(f"{ids.m.thing('tenure', 'cio-' + str(t.year) + '-' + slug(t.person))}")
        g.add((tenure, RDF.type, O.Tenure))
        label(tenure, f"{t.person}, Chairperson-in-Office {t.year}")
        g.add((tenure, ORG.member, person))
        g.add((tenure, ORG.organization, chair))
        g.add((tenure, ORG.role, O.HolderRole))
        g.add((tenure, O.chairingTerm, term))
        g.add((O.ChairpersonInOffice, ORG.heldBy, person))
        start, end = _within_year(t.year, t.within_year)
        for prop, value in ((O.validFrom, start), (O.validUntil, end)):
            if value:
                g.add((tenure, prop, Literal(value, datatype=XSD.date)))
        if t.within_year:
            g.add((tenure, O.termNote, Literal(t.within_year)))

    sg_unit = ids.structure("secretary-general")
    for sg in refdata.secretaries_general():
        person = ids.person(sg.person)
        g.add((person, RDF.type, O.Person))
        label(person, sg.person)
        g.add((person, SCHEMA.name, Literal(sg.person)))
        nat = countries_by_name.get(sg.nationality)
        if nat:
            g.add((person, SCHEMA.nationality, ids.country(nat.alpha2)))
        tenure = URIRef(ids.m.thing("tenure", "secretary-general-" + slug(sg.person)))
        g.add((tenure, RDF.type, O.Tenure))
        label(tenure, f"{sg.person}, Secretary General")
        g.add((tenure, ORG.member, person))
        g.add((tenure, ORG.organization, sg_unit))
        g.add((tenure, ORG.role, O.HolderRole))
        g.add((O.SecretaryGeneralPost, ORG.heldBy, person))
        for prop, value in ((O.validFrom, sg.term_start), (O.validUntil, sg.term_end)):
            if value:
                g.add((tenure, prop, date_literal(value)))
        g.add((tenure, DCTERMS.source, Literal(sg.source)))

    # concept schemes ------------------------------------------------------------------------------
    for scheme_name, title, cls, concepts, mint in (
            ("fields-of-work", "Fields of work", O.FieldOfWork, refdata.fields_of_work(), ids.field_of_work),
            ("meeting-types", "Meetings and conferences", O.MeetingType, refdata.meeting_types(), ids.meeting_type)):
        scheme = ids.scheme(scheme_name)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        label(scheme, title)
        for c in concepts:
            node = mint(c.slug)
            g.add((node, RDF.type, cls))
            label(node, c.label)
            g.add((node, SKOS.inScheme, scheme))
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))
            g.add((node, SKOS.notation, Literal(str(c.position), datatype=XSD.integer)))
            for alt in c.alt_labels:
                g.add((node, SKOS.altLabel, en(alt)))
            g.add((node, DCTERMS.source, Literal(c.source)))
    scheme = ids.scheme("content-types")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    label(scheme, "Content types")
    for ct in CONTENT_TYPES:
        node = ids.content_type(ct)
        g.add((node, RDF.type, O.ContentType))
        label(node, ct)
        g.add((node, SKOS.inScheme, scheme))
    return g


CONTENT_TYPES = ("Press release", "News", "News Item", "Press statement", "Statement", "Daily report",
                 "Weekly report", "Spot report")


def _within_year(year: int, note: str) -> tuple[str | None, str | None]:
    """Turn 'until 2 July' / 'from 3 July' / 'from June 1991' into dates within ``year``.

    >>> _within_year(1992, "until 2 July")
    ('1992-01-01', '1992-07-02')
    >>> _within_year(1991, "from June 1991")
    ('1991-06-01', '1991-12-31')
    """
    start, end = f"{year}-01-01", f"{year}-12-31"
    m = re.search(r"(from|until)\s+(?:(\d{1,2})\s+)?(" + "|".join(MONTHS) + ")", note or "")
    if m:
        month = MONTHS.index(m.group(3)) + 1
        day = int(m.group(2)) if m.group(2) else (1 if m.group(1) == "from" else 28)
        value = f"{year}-{month:02d}-{day:02d}"
        start, end = (value, end) if m.group(1) == "from" else (start, value)
    return start, end
