"""Counts and facts the reference data must hold (the quality gates of the foundation issue)."""
import re

import pytest
from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import SKOS

from kg import refdata, refgraph, validate
from kg.vocab import ORG, Ontology
from tests.conftest import BASE, CORPUS

O = Ontology(BASE)


@pytest.fixture(scope="module")
def ref():
    return refgraph.build(BASE)


def menu_section(title: str) -> list[str]:
    """Entries of one section of the osce.org navigation menu, read from the seed page."""
    lines = (CORPUS / "00-seed-cio-visit-central-asia.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index(title) + 1
    out = []
    for line in lines[start:]:
        if not line.startswith("- ") or line in ("- Field operations", "- Partnerships"):
            break
        out.append(line[2:])
        if line == "- Closed field activities":
            break
    return out


def test_57_participating_states_each_with_two_iso_codes_and_wikidata(ref):
    states = set(ref.subjects(RDF.type, O.ParticipatingState))
    assert len(states) == 57
    for s in states:
        assert re.fullmatch(r"[A-Z]{2}", str(ref.value(s, O.alpha2))), s
        assert re.fullmatch(r"[A-Z]{3}", str(ref.value(s, O.alpha3))), s
        same = [str(o) for o in ref.objects(s, OWL.sameAs)]
        assert len(same) == 1 and re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", same[0]), s


def test_holy_see_links_the_holy_see_not_vatican_city(ref):
    holy_see = URIRef(BASE + "id/state/holy-see")
    assert ref.value(holy_see, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q159583")


def test_11_current_partners_and_mongolia_as_former_partner(ref):
    partners = set(ref.subjects(RDF.type, O.PartnerForCooperation))
    assert len(partners) == 11
    mongolia = URIRef(BASE + "id/state/mongolia")
    assert mongolia not in partners and (mongolia, RDF.type, O.ParticipatingState) in ref
    partnership = URIRef(str(mongolia) + "#partnership")
    assert ref.value(partnership, O.validUntil) == Literal("2012-11-21", datatype=refgraph.XSD.date)


def test_every_field_operation_has_host_status_and_dates(ref):
    ops = set(ref.subjects(RDF.type, O.FieldOperation))
    assert len(ops) == 34
    for op in ops:
        assert ref.value(op, O.hostCountry) is not None, op
        status = ref.value(op, O.status)
        assert status in (O.Active, O.Closed), op
        assert ref.value(op, O.openingDate) is not None or (op, O.dateUnconfirmed, Literal("openingDate")) in ref
        if status == O.Closed:
            assert ref.value(op, O.closingDate) is not None or (op, O.dateUnconfirmed, Literal("closingDate")) in ref
    assert len([o for o in ops if ref.value(o, O.status) == O.Active]) == 12


def test_astana_lineage_is_one_resource_with_dated_names(ref):
    astana = URIRef(BASE + "id/field-operation/programme-office-in-astana")
    names = {str(ref.value(n, O.name)): (ref.value(n, O.validFrom), ref.value(n, O.validUntil))
             for n in ref.objects(astana, O.hasName)}
    assert {"Centre in Almaty", "Centre in Astana", "Programme Office in Nur-Sultan"} <= set(names)
    assert str(names["Centre in Almaty"][1]) == "2007-06-21"
    assert Literal("Programme Office in Nur-Sultan", lang="en") in set(ref.objects(astana, SKOS.altLabel))


def test_a_chairpersonship_for_every_year_1991_to_2026(ref):
    years = {int(str(ref.value(t, O.year))) for t in ref.subjects(RDF.type, O.ChairingTerm)}
    assert years == set(range(1991, 2027))


def test_mid_year_changes_give_two_tenures(ref):
    tenures = [t for t in ref.subjects(ORG.member, URIRef(BASE + "id/person/karin-kneissl"))
               if (t, RDF.type, O.Tenure) in ref]
    assert len(tenures) == 1
    assert str(ref.value(tenures[0], O.validFrom)) == "2017-12-18"
    kurz = [t for t in ref.subjects(ORG.member, URIRef(BASE + "id/person/sebastian-kurz"))
            if (t, RDF.type, O.Tenure) in ref]
    assert str(ref.value(kurz[0], O.validUntil)) == "2017-12-18"


def test_fields_of_work_labels_equal_the_menu(ref):
    menu = menu_section("Fields of work")
    labels = {str(ref.value(c, SKOS.prefLabel)) for c in ref.subjects(RDF.type, O.FieldOfWork)}
    assert len(menu) == 23 and labels == set(menu)


def test_meeting_types_labels_equal_the_menu(ref):
    menu = menu_section("Meetings and conferences")
    labels = {str(ref.value(c, SKOS.prefLabel)) for c in ref.subjects(RDF.type, O.MeetingType)}
    assert len(menu) == 16 and labels == set(menu)


def test_no_unconfirmed_value_becomes_a_fact(ref):
    assert not [t for t in ref if isinstance(t[2], Literal) and str(t[2]).strip().lower() == "unconfirmed"]
    odihr = URIRef(BASE + "id/institution/odihr")
    assert ref.value(odihr, OWL.sameAs) is None  # its Wikidata id is marked unconfirmed


def test_reference_data_conforms_to_the_shapes(ref):
    report = validate.check_graph(ref, BASE)
    assert report.conforms, report.text


def test_shapes_catch_a_state_without_wikidata(ref):
    broken = refgraph.build(BASE)
    albania = URIRef(BASE + "id/state/albania")
    broken.remove((albania, OWL.sameAs, None))
    report = validate.check_graph(broken, BASE)
    assert not report.conforms and "Wikidata" in report.text


def test_build_is_deterministic():
    a = refgraph.build(BASE).serialize(format="nt")
    b = refgraph.build(BASE).serialize(format="nt")
    assert sorted(a.splitlines()) == sorted(b.splitlines())


def test_every_structure_menu_name_is_known():
    labels = {s.label for s in refdata.structures()}
    menu = [m for m in menu_section("Field operations") if m != "Closed field activities"]
    assert set(menu) <= labels
