"""The store wrapper: atomic graph replacement, union default graph, versions, read-only mode."""
import pytest

from kg import formats
from kg.errors import QueryError, StoreError
from kg.store import Store

NT = formats.by_name("ntriples")


def test_replace_graph_is_all_or_nothing(tmp_path):
    s = Store(tmp_path / "db")
    s.replace_graph("http://x/g", "<http://x/a> <http://x/p> \"1\" .\n", NT)
    v = s.version()
    with pytest.raises(StoreError):
        s.replace_graph("http://x/g", "<http://x/a> <http://x/p> \"2\" .\nthis is not N-Triples\n", NT)
    assert s.count("http://x/g") == 1 and s.version() == v
    s.replace_graph("http://x/g", "<http://x/a> <http://x/p> \"3\" .\n<http://x/a> <http://x/p> \"4\" .\n", NT)
    assert s.count("http://x/g") == 2 and s.version() != v


def test_default_graph_is_the_union_unless_a_dataset_is_given():
    s = Store()
    s.replace_graph("http://x/g1", "<http://x/a> <http://x/p> \"1\" .\n", NT)
    s.replace_graph("http://x/g2", "<http://x/b> <http://x/p> \"2\" .\n", NT)
    q = "SELECT ?s WHERE { ?s <http://x/p> ?o }"
    assert len(list(s.query(q))) == 2
    assert [r["s"].value for r in s.query(q, default_graph=["http://x/g2"])] == ["http://x/b"]


def test_syntax_error_carries_the_parser_message():
    with pytest.raises(QueryError) as e:
        Store().query("SELECT WHERE {")
    assert "1:" in str(e.value)


def test_read_only_store_refuses_writes_and_missing_store_is_reported(tmp_path):
    s = Store(tmp_path / "db")
    s.replace_graph("http://x/g", "<http://x/a> <http://x/p> \"1\" .\n", NT)
    s.flush()
    del s
    ro = Store(tmp_path / "db", read_only=True)
    assert ro.count("http://x/g") == 1
    with pytest.raises(StoreError):
        ro.remove_graph("http://x/g")
    with pytest.raises(StoreError):
        Store(tmp_path / "nothing", read_only=True)


def test_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path):
    first = Store(tmp_path / "db")
    with pytest.raises(StoreError):
        Store(tmp_path / "db")
    del first
