"""Fuzzing (hypothesis) of the page reader and of the server's query parameters, and hostile
input answered as documented. The default suite runs a few hundred examples per test;
``FUZZ_EXAMPLES=5000 make fuzz`` runs the full count (over 10,000 pages and requests in all).
"""
from __future__ import annotations

import json
import os
import random

import pytest
from conftest import BASE, CORPUS, FIXED_TIME, free_port
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synth import generate
from kg.errors import ParseError
from kg.model import Release
from kg.sources import MAX_BYTES, read_bytes
from kg.store import Store
from server import create_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])
SEEDS = [p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))[:12]]


def mutate(data: bytes, rnd: random.Random, n: int) -> bytes:
    """``n`` random byte-level edits: flip, delete, duplicate or insert a chunk."""
    b = bytearray(data)
    for _ in range(n):
        if not b:
            b.extend(rnd.randbytes(8))
        i = rnd.randrange(len(b))
        op = rnd.randrange(4)
        if op == 0:
            b[i] = rnd.randrange(256)
        elif op == 1:
            del b[i:i + rnd.randrange(1, 200)]
        elif op == 2:
            b[i:i] = b[i:i + rnd.randrange(1, 200)]
        else:
            b[i:i] = rnd.choice([b"\n", b"- Date:", b"\xff\xfe", b"<script>", b"\x00", "é–".encode(), b"{\"title\":"])
    return bytes(b)


def check_page(data: bytes) -> None:
    """The reader returns a Release or raises the documented ParseError, nothing else."""
    try:
        assert isinstance(read_bytes(data, "fuzz"), Release)
    except ParseError as e:
        assert e.reason and e.source == "fuzz"


@FUZZ
@given(st.sampled_from(range(len(SEEDS))), st.integers(0, 2**32), st.integers(1, 40))
def test_reader_on_mutated_pages(seed, rnd_seed, edits):
    check_page(mutate(SEEDS[seed], random.Random(rnd_seed), edits))


@FUZZ
@given(st.binary(max_size=4000) | st.text(max_size=4000).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_reader_on_generated_bytes(data):
    check_page(data)


PARAM = st.text(max_size=60) | st.sampled_from(["ukraine", "2015", "0", "-1", "99999999999", "odihr", "elections",
                                                  "a,b", ",", "%", "http://x/", "1000", "1001", "press-release"])
PATHS = ["/releases.json", "/releases", "/releases.csv", "/search.json", "/search", "/things/people", "/sparql",
         "/data/state/ukraine.ttl", "/page/state/ukraine", "/id/state/ukraine", "/api/queries"]
KEYS = ["state", "year", "field", "structure", "type", "_size", "_next", "_format", "q", "offset", "page", "format",
        "query", "timeout", "default-graph-uri", "named-graph-uri", "output", "results"]


@pytest.fixture(scope="module")
def fuzz_client(read_store, tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    app = create_app({"TESTING": True, "STORE_OBJECT": read_store, "BASE_IRI": BASE, "RATE_LIMIT": 0,
                      "QUERY_WORKERS": 0, "CACHE_MAX_BYTES": 0, "INDEX_PATH": str(d / "index.sqlite"),
                      "DUMPS_DIR": str(d / "dumps")})
    return app.test_client()


@FUZZ
@given(st.sampled_from(PATHS), st.dictionaries(st.sampled_from(KEYS), PARAM, max_size=4),
       st.sampled_from(["*/*", "text/html", "application/json", "text/turtle", "application/sparql-results+json",
                        "x/y;q=abc", ""]))
def test_server_parameters_never_500(fuzz_client, path, params, accept):
    if "query" in params:  # keep fuzzed SPARQL cheap: a generated text is a syntax error or a tiny query
        params["query"] = "SELECT * WHERE { ?s ?p ?o } LIMIT 3 " + params["query"]
    r = fuzz_client.get(path, query_string=params, headers={"Accept": accept})
    assert r.status_code < 500, (path, params, r.status_code, r.data[:300])


@FUZZ
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%/:", min_size=1, max_size=80),
       st.sampled_from(["state", "person", "release", "nosuchkind", "field-of-work"]))
def test_entity_paths_never_500(fuzz_client, slug, kind):
    for prefix in ("/id/", "/data/", "/page/"):
        r = fuzz_client.get(f"{prefix}{kind}/{slug}")
        assert r.status_code < 500, (prefix, kind, slug, r.status_code)


# -- hostile input -------------------------------------------------------------------------------

def test_a_2mb_release_is_refused(tmp_path, runner):
    page = SEEDS[0] + b"\n" + b"The OSCE " * (2 * MAX_BYTES // 9)
    with pytest.raises(ParseError) as e:
        read_bytes(page, "big.txt")
    assert e.value.reason == "too-large"
    (tmp_path / "big.txt").write_bytes(page)
    from kg.cli import main
    r = runner.invoke(main, ["ingest", str(tmp_path / "big.txt"), "--store", str(tmp_path / "s"), "--no-progress"])
    assert r.exit_code == 1 and "limit" in r.output, r.output


@pytest.fixture(scope="module")
def endpoint(ref_store_path):
    from conftest import make_sparql_app
    app = make_sparql_app(ref_store_path)
    yield app.test_client()
    app.extensions["kg_runner"].close()


def test_a_1mb_query_is_413_by_post_and_414_by_get(endpoint):
    q = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1 << 20)
    assert endpoint.post("/sparql", data=q, content_type="application/sparql-query").status_code == 413
    assert endpoint.post("/sparql", data={"query": q}).status_code == 413
    assert endpoint.get("/sparql", query_string={"query": q}).status_code == 414


@pytest.mark.parametrize("depth", [100, 5000, 50000])
def test_deeply_nested_queries_are_refused_not_crashed(endpoint, depth):
    for q in ("SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth,
              "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
              "ASK { " + "OPTIONAL { " * depth + "?s ?p ?o" + " }" * depth + " }"):
        r = endpoint.post("/sparql", data={"query": q})
        assert r.status_code in (200, 400, 413), (depth, q[:40], r.status_code, r.data[:200])
    assert endpoint.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # still serving


def test_service_to_a_loopback_port_is_403(endpoint):
    port = free_port()
    for target in (f"http://127.0.0.1:{port}/sparql", f"http://localhost:{port}/", "http://[::1]:22/"):
        r = endpoint.post("/sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
        assert r.status_code == 403, (target, r.status_code)


def test_markup_and_script_in_release_text_are_escaped(tmp_path):
    generate(1, tmp_path / "pages", seed=5)
    page = (tmp_path / "pages" / "synth-00000.txt").read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(page) if line in ("Press release", "News"))
    page[i + 1] = "<script>alert('t')</script> Talks <b>open</b> in Vienna"
    page.append('Delegates said "<img src=x onerror=alert(1)>" & left.')
    (tmp_path / "pages" / "synth-00000.txt").write_text("\n".join(page) + "\n", encoding="utf-8")
    from kg.ingest import ingest
    store = Store(tmp_path / "store", base_iri=BASE)
    assert not ingest([str(tmp_path / "pages")], store, BASE, now=FIXED_TIME).rejected
    app = create_app({"TESTING": True, "STORE_OBJECT": store, "BASE_IRI": BASE, "RATE_LIMIT": 0,
                      "INDEX_PATH": str(tmp_path / "index.sqlite"), "DUMPS_DIR": str(tmp_path / "dumps")})
    c = app.test_client()
    slug = c.get("/releases.json").get_json()["rows"][0]["slug"]
    for path in (f"/page/release/{slug}", "/releases", "/search?q=talks", "/search?q=delegates", "/"):
        body = c.get(path).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body and "<b>open</b>" not in body, path
    assert "&lt;script&gt;" in c.get(f"/page/release/{slug}").get_data(as_text=True)
    hits = json.loads(c.get("/search.json?q=delegates").data)["hits"]
    assert hits and "<img" not in hits[0]["snippet_html"]
