"""Example queries (ontology/queries/*.rq): all parse and run; canned URLs answer JSON and CSV."""
from __future__ import annotations

import json

import pytest

from server.canned import load

QUERIES = load("http://127.0.0.1:8080/")


def test_at_least_ten_titled_examples():
    assert len(QUERIES) >= 10 and all(q["title"] != q["name"] for q in QUERIES.values())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_example_runs(sparql_client, name):
    params = {p: "http://127.0.0.1:8080/id/state/albania" for p in QUERIES[name]["params"]}
    r = sparql_client.get(f"/api/queries/{name}", query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert "results" in json.loads(r.data)


def test_csv_list_and_errors(sparql_client):
    r = sparql_client.get("/api/queries/class-counts", query_string={"format": "csv"})
    assert r.mimetype == "text/csv" and r.data.startswith(b"class,n\r\n")
    assert len(json.loads(sparql_client.get("/api/queries").data)) == len(QUERIES)
    assert sparql_client.get("/api/queries", headers={"Accept": "text/html"}).mimetype == "text/html"
    assert sparql_client.get("/api/queries/releases-about-state").status_code == 400
    assert sparql_client.get("/api/queries/nope").status_code == 404
