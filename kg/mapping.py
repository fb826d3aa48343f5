"""Facts of one release -> the RDF of its named graph. Pure: no IO, no clock (the time of
generation is passed in), so the same facts always give the same graph."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from rdflib import Graph, Literal, URIRef

from kg import refdata
from kg.iris import Minter, slug
from kg.model import Facts, Release
from kg.refgraph import RefIRIs
from kg.vocab import DCTERMS, ORG, PROV, RDF, RDFS, SCHEMA, SEM, XSD, Ontology, prefixes

SOFTWARE_VERSION = "1.0.0"

CONTENT_CLASSES = {"press release": "PressRelease", "news": "NewsItem", "news item": "NewsItem",
                   "press statement": "PressStatement", "statement": "PressStatement",
                   "daily report": "MonitoringReport", "weekly report": "MonitoringReport",
                   "spot report": "MonitoringReport"}

EVENT_TYPES = ("Visit", "Meeting", "Conference", "ElectionObservation", "Training", "Statement", "Appointment",
               "ProjectActivity")


def release_slug(release: Release) -> str:
    """The release's stable key: the osce.org node id when the URL has one, else date + title.

    >>> from kg.model import Release
    >>> release_slug(Release("OSCE opens office", "News", (), "0", date=dt.date(2020, 1, 2)))
    '2020-01-02-osce-opens-office'
    >>> release_slug(Release("T", "News", (), "0", url="https://www.osce.org/chairpersonship/661684"))
    'node-661684'
    """
    if release.url:
        m = re.search(r"osce\.org/(?:[a-z]{2}/)?(?:[\w-]+/)*?(\d{3,})(?:[/?#]|$)", release.url)
        if m:
            return f"node-{m.group(1)}"
    title = slug(release.title)[:60].rstrip("-")
    if release.date:
        return f"{release.date.isoformat()}-{title}"
    return f"undated-{title}-{hashlib.sha256(release.title.encode()).hexdigest()[:8]}"


class ReleaseMapper:
    """Maps facts to RDF for one base IRI (reference IRIs are computed once)."""

    def __init__(self, base: str):
        self.base = base
        self.m = Minter(base)
        self.ids = RefIRIs(base)
        self.O = Ontology(base)
        self._structures = {s.slug for s in refdata.structures()}

    def graph_iri(self, release: Release) -> str:
        """The named graph of a release."""
        return self.m.release_graph(release_slug(release))

    def release_iri(self, release: Release) -> URIRef:
        """The release itself."""
        return URIRef(self.m.thing("release", release_slug(release)))

    def _agent(self, key: str | None) -> URIRef | None:
        if not key:
            return None
        if key in self._structures:
            return self.ids.structure(key)
        if re.fullmatch(r"[A-Z]{2}", key):
            return self.ids.country(key)
        return None

    def to_graph(self, facts: Facts, *, generated_at: dt.datetime, pipeline: str = "") -> Graph:
        """Return the graph of one release: the release, its event, persons, role assertions,
        mentions and the PROV description of the graph itself.

        :param generated_at: the time recorded as ``prov:generatedAtTime``.
        :param pipeline: fingerprint of the code and tables that produced the facts.
        """
        O, ids, r = self.O, self.ids, facts.release
        g = Graph()
        for p, ns in prefixes(self.base).items():
            g.bind(p, ns, override=True, replace=True)
        key = release_slug(r)
        rel = self.release_iri(r)
        graph = URIRef(self.graph_iri(r))

        g.add((rel, RDF.type, O.Release))
        g.add((rel, RDF.type, getattr(O, CONTENT_CLASSES.get(r.content_type.lower(), "Release"))))
        g.add((rel, RDF.type, SCHEMA.NewsArticle))
        g.add((rel, O.headline, Literal(r.title)))
        g.add((rel, DCTERMS.title, Literal(r.title)))
        g.add((rel, RDFS.label, Literal(r.title)))
        g.add((rel, DCTERMS.identifier, Literal(key)))
        g.add((rel, O.contentType, ids.content_type(r.content_type)))
        if r.date:
            g.add((rel, O.datePublished, Literal(r.date.isoformat(), datatype=XSD.date)))
            g.add((rel, SCHEMA.datePublished, Literal(r.date.isoformat(), datatype=XSD.date)))
            if r.date_derived:
                g.add((rel, O.dateDerived, Literal(True)))
        if r.dateline:
            g.add((rel, O.dateline, Literal(r.dateline)))
        for name in r.places or ((r.place_value,) if r.place_value else ()):
            place = ids.place(name)
            g.add((rel, O.datelinePlace, place))
            g.add((place, RDF.type, O.Place))
            g.add((place, RDFS.label, Literal(name, lang="en")))
        if r.source:
            g.add((rel, O.sourceLine, Literal(r.source)))
        if facts.source:
            g.add((rel, O.publishedBy, ids.structure(facts.source)))
        g.add((rel, O.body, Literal("\n\n".join(r.body))))
        g.add((rel, DCTERMS.language, Literal(r.language)))
        g.add((rel, SCHEMA.inLanguage, Literal(r.language)))
        if r.url:
            g.add((rel, O.sourceURL, URIRef(r.url)))

        for code in (*facts.states, *facts.partners, *facts.other_countries):
            node = ids.country(code)
            g.add((rel, O.mentions, node))
            if code in facts.other_countries:
                g.add((node, RDF.type, O.Country))
                g.add((node, O.alpha2, Literal(code)))
        for s in facts.structures:
            g.add((rel, O.mentions, ids.structure(s)))
        for fw in facts.fields_of_work:
            g.add((rel, O.fieldOfWork, ids.field_of_work(fw)))

        for i, p in enumerate(facts.persons, 1):
            person = ids.person(p.name)
            g.add((rel, O.mentions, person))
            g.add((person, RDF.type, O.Person))
            g.add((person, SCHEMA.name, Literal(p.name)))
            g.add((person, RDFS.label, Literal(p.name)))
            aff = self._agent(p.affiliation)
            for j, role in enumerate(p.roles or ("",), 1):
                ra = URIRef(f"{rel}#role-{i}-{j}")
                g.add((ra, RDF.type, O.RoleAssertion))
                g.add((ra, ORG.member, person))
                if role:
                    g.add((ra, O.roleName, Literal(role)))
                if aff is not None:
                    g.add((ra, O.affiliation, aff))
                    g.add((ra, ORG.organization, aff))
                if r.date:
                    g.add((ra, O.assertedOn, Literal(r.date.isoformat(), datatype=XSD.date)))
                g.add((ra, O.assertedIn, rel))
                g.add((rel, O.statesRole, ra))

        ev = facts.event
        if ev is not None and ev.type in EVENT_TYPES:
            event = URIRef(self.m.thing("event", key))
            g.add((rel, O.about, event))
            g.add((event, RDF.type, O.Event))
            g.add((event, RDF.type, getattr(O, ev.type)))
            g.add((event, RDFS.label, Literal(f"{ev.type}: {r.title}")))
            if ev.date:
                g.add((event, O.eventDate, Literal(ev.date.isoformat(), datatype=XSD.date)))
            for place in ev.places:
                node = ids.country(place) if re.fullmatch(r"[A-Z]{2}", place) else ids.place(place)
                g.add((event, O.eventPlace, node))
                if not re.fullmatch(r"[A-Z]{2}", place):
                    g.add((node, RDF.type, O.Place))
                    g.add((node, RDFS.label, Literal(place, lang="en")))
            if ev.meeting_type:
                g.add((event, O.meetingType, ids.meeting_type(ev.meeting_type)))
            for i, name in enumerate(ev.agents, 1):
                part = URIRef(f"{event}#participation-{i}")
                agent = ids.person(name)
                g.add((event, O.participation, part))
                g.add((part, RDF.type, O.Participation))
                g.add((part, O.agent, agent))
                g.add((part, O.role, O.AgentRole))
                g.add((event, SEM.hasActor, agent))
                g.add((agent, RDF.type, O.Person))
                g.add((agent, SCHEMA.name, Literal(name)))

        activity = URIRef(f"{graph}#extraction")
        g.add((graph, RDF.type, PROV.Bundle))
        g.add((graph, PROV.wasDerivedFrom, rel))
        if r.url:
            g.add((graph, PROV.hadPrimarySource, URIRef(r.url)))
        if r.file:
            g.add((graph, DCTERMS.source, Literal(r.file)))
        g.add((graph, O.sha256, Literal(r.sha256)))
        g.add((graph, PROV.generatedAtTime, Literal(generated_at.isoformat(), datatype=XSD.dateTime)))
        g.add((graph, PROV.wasGeneratedBy, activity))
        software = URIRef(self.m.thing("software", f"osce-kg-{SOFTWARE_VERSION}"))
        g.add((activity, RDF.type, PROV.Activity))
        if pipeline:
            g.add((activity, O.pipelineFingerprint, Literal(pipeline)))
        g.add((activity, PROV.wasAssociatedWith, software))
        g.add((software, RDF.type, PROV.SoftwareAgent))
        g.add((software, RDFS.label, Literal(f"osce-kg {SOFTWARE_VERSION}")))
        return g
