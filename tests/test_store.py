"""Opening and writing the graph store."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError, UsageError
from kg.store import load_rdflib, open_store, write_store

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample.trig"
G1 = "https://w3id.org/cnaikg/id/graph/sample-001"
G2 = "https://w3id.org/cnaikg/id/graph/sample-002"


def graph_names(store) -> list[str]:
    return sorted(g.value for g in store.named_graphs())


def quads(store) -> set[str]:
    return {str(q) for q in store}


def counts(store) -> tuple[int, int]:
    """(quads in named graphs, triples in the default graph)"""
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return len(store) - default, default


def test_open_trig_keeps_graphs_and_unions_them():
    store = open_store(SAMPLE)
    assert graph_names(store) == [G1, G2]
    # the default graph holds each fact of the article graphs once
    assert counts(store) == (270, 258)
    union = {(q.subject, q.predicate, q.object) for q in store if q.graph_name != ox.DefaultGraph()}
    default = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == union


@pytest.mark.parametrize("fmt, suffix", [(ox.RdfFormat.N_QUADS, ".nq"), (ox.RdfFormat.JSON_LD, ".jsonld")])
def test_open_other_dataset_formats(tmp_path, fmt, suffix):
    path = tmp_path / f"g{suffix}"
    open_store(SAMPLE).dump(str(path), fmt)
    store = open_store(path)
    assert quads(store) == quads(open_store(SAMPLE))


def test_open_turtle_lands_in_default_graph(tmp_path):
    path = tmp_path / "g.ttl"
    open_store(SAMPLE).dump(str(path), ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(G1))
    store = open_store(path)
    assert counts(store) == (0, 122) and graph_names(store) == []


def test_missing_path_says_run_build(tmp_path):
    with pytest.raises(UsageError, match=r"no graph at .*outputs/: run `kg build` first"):
        open_store(tmp_path / "outputs")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="run `kg build` first"):
        open_store(tmp_path / "empty")
    with pytest.raises(UsageError, match=r"graph\.ttl: run `kg build` first"):
        open_store(tmp_path / "graph.ttl")


def test_bad_files_name_the_file_and_position(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text("<http://a> <http://b> {\n  <http://c> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.trig: not valid TriG: .*line 1 column 23"):
        open_store(bad)
    odd = tmp_path / "graph.xyz"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match=r"graph\.xyz: not an RDF file"):
        open_store(odd)


def test_write_store_then_open_folder_read_only(tmp_path):
    written = write_store(SAMPLE, tmp_path)
    assert counts(written) == (270, 258)  # returned open, read-only
    assert (tmp_path / "store" / "CURRENT").is_file()
    store = open_store(tmp_path)
    assert quads(store) == quads(open_store(SAMPLE))
    assert graph_names(store) == [G1, G2]
    with pytest.raises((OSError, RuntimeError)):  # read-only: no transactions
        store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c")))
    assert counts(open_store(tmp_path / "store")) == (270, 258)  # the store folder itself


def test_write_store_replaces_and_leaves_no_debris(tmp_path):
    write_store(SAMPLE, tmp_path)
    reader = open_store(tmp_path)  # a reader holding the old store open
    one = list(open_store(SAMPLE).quads_for_pattern(None, None, None, ox.NamedNode(G1)))
    write_store(one, tmp_path)
    assert counts(open_store(tmp_path)) == (122, 122)
    assert counts(reader) == (270, 258)
    assert sorted(os.listdir(tmp_path)) == ["store"]


def test_failed_write_keeps_the_old_store(tmp_path):
    write_store(SAMPLE, tmp_path)

    def broken():
        yield from list(open_store(SAMPLE))[:10]
        raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError, match="extractor crashed"):
        write_store(broken(), tmp_path)
    assert counts(open_store(tmp_path)) == (270, 258)
    assert sorted(os.listdir(tmp_path)) == ["store"]


def test_write_store_from_rdflib_dataset(tmp_path):
    ds = load_rdflib(SAMPLE)
    write_store(ds, tmp_path)
    store = open_store(tmp_path)
    assert quads(store) == quads(open_store(SAMPLE))


def test_write_store_from_term_tuples(tmp_path):
    # (s, p, o, graph) tuples of rdflib terms, as kg.graph.quads yields them
    ds = load_rdflib(SAMPLE)
    tuples = [(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))]
    assert len(tuples) == 270
    write_store(tuples, tmp_path)
    assert quads(open_store(tmp_path)) == quads(open_store(SAMPLE))


def test_count_triples_and_to_rdflib():
    from kg.store import count_triples, to_rdflib

    store = open_store(SAMPLE)
    assert count_triples(store) == 258
    ds = to_rdflib(store)
    assert {str(g.identifier): len(g) for g in ds.graphs() if len(g)} == {G1: 122, G2: 148}


def test_dataset_quads_leave_the_union_copy_out(tmp_path):
    from kg.store import dataset_quads

    store = open_store(SAMPLE)
    assert len(list(dataset_quads(store))) == 270
    # a triple only in the default graph (from Turtle) stays
    mixed = tmp_path / "mixed.trig"
    mixed.write_text(SAMPLE.read_text(encoding="utf-8") + "\n<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    got = list(dataset_quads(open_store(mixed)))
    assert len(got) == 271
    assert [q for q in got if q.graph_name == ox.DefaultGraph()] == [
        ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c"))
    ]


def test_load_rdflib(tmp_path):
    ds = load_rdflib(SAMPLE)
    sizes = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert sizes == {G1: 122, G2: 148}
    assert len(set(ds.triples((None, None, None)))) == 258  # default_union
    write_store(SAMPLE, tmp_path)
    from_store = load_rdflib(tmp_path)
    assert {str(g.identifier): len(g) for g in from_store.graphs() if len(g)} == sizes
    with pytest.raises(UsageError, match="run `kg build` first"):
        load_rdflib(tmp_path / "nothing")
