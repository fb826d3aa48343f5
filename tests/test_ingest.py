"""Ingest: one named graph per release, idempotent, incremental, bad inputs reported per file."""
import json
import shutil

import pytest

from kg.ingest import ingest, remove
from kg.iris import Minter
from kg.store import Store
from tests.conftest import BASE, CORPUS, FIXED_TIME, good_pages

M = Minter(BASE)


def release_graphs(store):
    return [g for g in store.graphs() if g.startswith(M.graph("release/"))]


def test_built_store_has_one_graph_per_release_plus_reference(read_store):
    graphs = read_store.graphs()
    assert len(release_graphs(read_store)) == 37
    for name in ("ontology", "shapes", "refdata", "meta"):
        assert M.graph(name) in graphs


def test_ingesting_twice_changes_nothing(store_copy):
    store = Store(store_copy, base_iri=BASE)
    before, version = store.count(), store.version()
    report = ingest([str(p) for p in good_pages()], store, BASE, now=FIXED_TIME)
    assert report.count("unchanged") == 37 and report.count("added") == 0
    assert store.count() == before and store.version() == version


def test_a_changed_file_replaces_its_graph_and_remove_deletes_it(store_copy, tmp_path):
    store = Store(store_copy, base_iri=BASE)
    src = CORPUS / "20-mission-serbia-2019-hate-crime-training.txt"
    changed = tmp_path / src.name
    changed.write_text(src.read_text(encoding="utf-8").replace("hate crime", "hate-motivated crime", 1),
                       encoding="utf-8")
    report = ingest([str(changed)], store, BASE, now=FIXED_TIME)
    assert [o.status for o in report.outcomes] == ["updated"]
    graph = report.outcomes[0].graph
    assert len(release_graphs(store)) == 37
    assert remove(store, BASE, graph)
    assert not store.has_graph(graph) and len(release_graphs(store)) == 36
    assert not remove(store, BASE, graph)


@pytest.mark.parametrize("name,status,reason", [
    ("01-empty.txt", "rejected", "empty"),
    ("02-random-bytes.txt", "rejected", "encoding"),
    ("03-utf16-of-21.txt", "rejected", "encoding"),
    ("04-no-title.txt", "rejected", "no-title"),
    ("05-truncated-in-menu.txt", "rejected", "truncated"),
    ("06-impossible-date-31-february.txt", "rejected", "invalid-date"),
    ("07-oversized-2mb.txt", "rejected", "too-large"),
    ("08-russian-language-page.txt", "rejected", "language"),
    ("10-duplicate-of-06-crlf.txt", "duplicate", "duplicate"),
])
def test_bad_inputs_are_reported_and_store_nothing(store_copy, name, status, reason):
    store = Store(store_copy, base_iri=BASE)
    before = store.count()
    report = ingest([str(CORPUS / "bad" / name)], store, BASE, now=FIXED_TIME)
    [o] = report.outcomes
    assert (o.status, o.reason) == (status, reason), o
    assert name in o.source and o.message
    assert store.count() == before


def test_html_copy_of_a_release_updates_it_in_place_never_a_second_release(store_copy):
    store = Store(store_copy, base_iri=BASE)
    report = ingest([str(CORPUS / "bad" / "09-html-version-of-02.html")], store, BASE, now=FIXED_TIME)
    [o] = report.outcomes
    assert o.status in ("updated", "unchanged", "duplicate")
    assert len(release_graphs(store)) == 37


def test_a_batch_with_bad_inputs_goes_on_and_the_report_lists_them(tmp_path):
    store = Store(tmp_path / "db", base_iri=BASE)
    batch = tmp_path / "batch"
    shutil.copytree(CORPUS / "bad", batch)
    shutil.copy(CORPUS / "06-secretary-general-2017-mediterranean-conference-palermo.txt", batch)
    report = ingest([str(batch)], store, BASE, now=FIXED_TIME, jobs=2)
    assert report.count("added") == 2  # page 06 and the HTML page 09
    assert report.count("duplicate") == 1 and report.count("rejected") == 8
    data = json.loads(report.to_json())
    assert {r["reason"] for r in data["rejected"]} >= {"empty", "encoding", "too-large", "language"}
    assert len(release_graphs(store)) == 2


def test_parallel_and_serial_ingest_give_the_same_triples(tmp_path):
    a, b = Store(tmp_path / "a", base_iri=BASE), Store(tmp_path / "b", base_iri=BASE)
    pages = [str(p) for p in good_pages()[:12]]
    ingest(pages, a, BASE, jobs=1, now=FIXED_TIME)
    ingest(pages, b, BASE, jobs=2, now=FIXED_TIME)
    assert a.count() == b.count()
    assert sorted(release_graphs(a)) == sorted(release_graphs(b))


def test_a_new_pipeline_re_extracts_unchanged_pages(store_copy, monkeypatch):
    import kg.ingest
    store = Store(store_copy, base_iri=BASE)
    page = str(good_pages()[0])
    assert [o.status for o in ingest([page], store, BASE, now=FIXED_TIME).outcomes] == ["unchanged"]
    monkeypatch.setattr(kg.ingest, "pipeline_fingerprint", lambda: "0123456789abcdef")
    assert [o.status for o in ingest([page], store, BASE, now=FIXED_TIME).outcomes] == ["updated"]
    assert [o.status for o in ingest([page], store, BASE, now=FIXED_TIME).outcomes] == ["unchanged"]


def test_no_triple_is_repeated_across_graphs(read_store):
    """Oxigraph's union default graph keeps one copy of a triple per graph, so a person or place
    described in every release that names it would be counted once per release. Releases name
    them; graph/entities describes them once."""
    every = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    [a], [b] = list(read_store.query(every)), list(read_store.query(distinct))
    assert a["n"].value == b["n"].value
    persons = list(read_store.query(f"SELECT (COUNT(?p) AS ?n) (COUNT(DISTINCT ?p) AS ?d) "
                                    f"WHERE {{ ?p a <{BASE}ontology#Person> }}"))[0]
    assert persons["n"].value == persons["d"].value and int(persons["n"].value) > 50
