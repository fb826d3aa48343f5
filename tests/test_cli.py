"""The osce-kg command: thin wiring, documented options, exit codes 0 / 1 / 2."""
import json

import pytest
from rdflib import Dataset

from kg.cli import main
from tests.conftest import BASE, CORPUS


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("cmd", ["ingest", "load", "validate", "export", "serve", "remove"])
def test_store_commands_document_store_and_env(runner, cmd):
    out = run(runner, cmd, "--help").output
    assert "--store" in out and "OSCE_KG_STORE" in out


def test_serve_help_documents_the_rate_limit(runner):
    out = " ".join(run(runner, "serve", "--help").output.split())
    assert "--rate-limit" in out and "0 disables" in out


def test_ingest_validate_export_remove(runner, tmp_path):
    store = str(tmp_path / "db")
    good = str(CORPUS / "06-secretary-general-2017-mediterranean-conference-palermo.txt")
    r = run(runner, "ingest", good, "--store", store, "--base", BASE, "--no-progress")
    assert r.exit_code == 0, r.output
    assert "1 added" in r.output
    r = run(runner, "validate", "--store", store, "--base", BASE)
    assert r.exit_code == 0 and "conforms" in r.output
    out = tmp_path / "all.nq"
    r = run(runner, "export", "-o", str(out), "--store", store, "--base", BASE)
    assert r.exit_code == 0
    ds = Dataset()
    ds.parse(out, format="nquads")
    assert any("graph/release/" in str(g.identifier) for g in ds.graphs())
    key = next(str(g.identifier) for g in ds.graphs() if "graph/release/" in str(g.identifier))
    assert run(runner, "remove", key, "--store", store, "--base", BASE).exit_code == 0
    assert run(runner, "remove", key, "--store", store, "--base", BASE).exit_code == 1


def test_ingest_with_rejected_inputs_exits_1_and_writes_a_report(runner, tmp_path):
    report = tmp_path / "report.json"
    r = run(runner, "ingest", str(CORPUS / "bad" / "01-empty.txt"), str(CORPUS / "bad" / "07-oversized-2mb.txt"),
            str(CORPUS / "18-mission-kosovo-2018-community-rights-training.txt"),
            "--store", str(tmp_path / "db"), "--base", BASE, "--report", str(report))
    assert r.exit_code == 1
    lines = [l for l in r.output.splitlines() if "rejected:" in l]
    assert len(lines) == 2 and "01-empty.txt" in lines[0]
    data = json.loads(report.read_text())
    assert data["counts"]["added"] == 1 and data["counts"]["rejected"] == 2


def test_extract_prints_gold_schema_records(runner):
    r = run(runner, "extract", str(CORPUS / "00-seed-cio-visit-central-asia.txt"), str(CORPUS / "bad" / "01-empty.txt"),
            "--format", "json")
    assert r.exit_code == 1
    records = [json.loads(l) for l in r.output.splitlines() if l.startswith("{")]
    assert len(records) == 1
    assert set(records[0]) == {"file", "content_type", "title", "date", "place", "source", "states", "partners",
                               "other_countries", "structures", "fields_of_work", "persons", "event"}
    assert records[0]["date"] == "2022-06-08"


def test_load_raw_rdf_into_a_named_graph_creates_the_store(runner, tmp_path):
    data = tmp_path / "d.ttl"
    data.write_text("<http://x.org/a> <http://x.org/p> 1 .\n")
    r = run(runner, "load", str(data), "--graph", "http://x.org/g", "--store", str(tmp_path / "new"), "--base", BASE)
    assert r.exit_code == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x.org/a> <http://x.org/p> .\n")
    r = run(runner, "load", str(bad), "--graph", "http://x.org/g", "--store", str(tmp_path / "new"), "--base", BASE)
    assert r.exit_code == 1 and "cannot parse" in r.output


def test_missing_store_is_a_tool_failure(runner, tmp_path):
    r = run(runner, "validate", "--store", str(tmp_path / "none"), "--base", BASE)
    assert r.exit_code == 2 and "no store" in r.output

