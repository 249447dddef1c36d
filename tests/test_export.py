"""Exports: RDF round trips, determinism, atomic writes, GraphML."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.errors import UsageError
from kg.export import FORMATS, SUFFIX, export
from kg.formats import plain_decimal
from kg.store import open_store

SAMPLE = Path(__file__).parent / "data" / "sample.trig"
B = "https://w3id.org/cnaikg/id/"


@pytest.fixture(scope="module")
def store():
    return open_store(SAMPLE)


@pytest.fixture(scope="module")
def source() -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(SAMPLE, format="trig")
    return ds


_NUMERIC = {rdflib.URIRef("http://www.w3.org/2001/XMLSchema#" + t) for t in ("decimal", "integer", "double")}


def canonical(g: rdflib.Graph) -> rdflib.Graph:
    # The store keeps numbers by value, writing the canonical form back
    # (kg:confidence 1.0 comes out as "1"^^xsd:decimal): compare by value.
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal) and o.datatype in _NUMERIC:
            o = rdflib.Literal(plain_decimal(str(o)), datatype=o.datatype)
        out.add((s, p, o))
    return out


def named(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): canonical(g) for g in ds.graphs() if len(g)}


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return canonical(g)


def assert_iso(a: rdflib.Graph, b: rdflib.Graph):
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(
            "graphs differ\nonly in export:\n"
            + "\n".join(sorted(only_a.serialize(format="nt").splitlines())[:20])
            + "\nonly in source:\n"
            + "\n".join(sorted(only_b.serialize(format="nt").splitlines())[:20])
        )


@pytest.mark.parametrize("fmt, rdflib_fmt", [("turtle", "turtle"), ("ntriples", "nt")])
def test_triple_formats_hold_the_union(store, source, tmp_path, fmt, rdflib_fmt):
    out = export(store, fmt, tmp_path / f"g{SUFFIX[fmt]}")
    back = rdflib.Graph().parse(out, format=rdflib_fmt)
    assert len(back) == 258
    assert_iso(canonical(back), union(source))


@pytest.mark.parametrize("fmt, rdflib_fmt", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_dataset_formats_keep_graphs(store, source, tmp_path, fmt, rdflib_fmt):
    out = export(store, fmt, tmp_path / f"g{SUFFIX[fmt]}")
    back = rdflib.Dataset()
    back.parse(out, format=rdflib_fmt)
    got, want = named(back), named(source)
    assert sorted(got) == sorted(want) == [B + "graph/sample-001", B + "graph/sample-002"]
    for name in want:
        assert_iso(got[name], want[name])


def test_turtle_uses_prefixes(store):
    text = export(store, "turtle").decode("utf-8")
    for prefix in ("kg", "org", "schema", "qb", "prov", "skos", "sdmx-measure"):
        assert f"@prefix {prefix}: " in text
    assert "a schema:Person" in text
    assert '"580000000000"^^xsd:decimal' in text


def test_jsonld_has_a_readable_context(store):
    import json

    data = json.loads(export(store, "jsonld"))
    assert data["@context"]["schema"] == "https://schema.org/"
    assert "合肥市" in export(store, "jsonld").decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic(fmt):
    # fresh stores: nothing may depend on load or hash order
    assert export(open_store(SAMPLE), fmt) == export(open_store(SAMPLE), fmt)


def test_write_is_atomic(store, tmp_path, monkeypatch):
    out = tmp_path / "graph.ttl"
    out.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", boom)
    with pytest.raises(OSError, match="disk full"):
        export(store, "turtle", out)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["graph.ttl"]
    export(store, "turtle", out)
    assert out.read_text(encoding="utf-8").startswith("@prefix")
    assert os.listdir(tmp_path) == ["graph.ttl"]


def test_export_from_a_path_and_bad_format(tmp_path):
    out = export(SAMPLE, "nquads", tmp_path / "sub" / "g.nq")
    assert out.read_text(encoding="utf-8").count("\n") == 270
    with pytest.raises(UsageError, match="unknown export format 'rdfxml'"):
        export(SAMPLE, "rdfxml", tmp_path / "g.rdf")


def test_graphml_one_node_per_entity(store, tmp_path):
    out = export(store, "graphml", tmp_path / "g.graphml")
    g = nx.read_graphml(out)
    assert g.number_of_nodes() == 12
    hefei = g.nodes[B + "place/%E5%90%88%E8%82%A5%E5%B8%82"]
    assert (hefei["type"], hefei["label"], hefei["label_en"]) == ("City", "合肥市", "Hefei")
    assert g.nodes[B + "org/%E6%98%9F%E7%81%AB%E6%99%BA%E8%83%BD%E7%A7%91%E6%8A%80%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8"][
        "label_en"
    ] == "Spark AI <script>alert(1)</script>"
    labels = sorted(d["label"] for _, _, d in g.edges(data=True))
    assert labels == ["heldIn", "issued", "locatedIn", "locatedIn", "locatedIn",
                      "memberOf", "memberOf", "memberOf", "organizer", "subOrganizationOf"]
    edge = next(d for _, _, d in g.edges(data=True) if d["label"] == "issued")
    assert edge["sources"] == B + "article/sample-001"


def test_graphml_with_observations(store, tmp_path):
    out = export(store, "graphml", tmp_path / "g.graphml", observations=True)
    g = nx.read_graphml(out)
    obs = [n for n, d in g.nodes(data=True) if d["type"] == "Observation"]
    assert len(obs) == 4 and g.number_of_nodes() == 16
    assert g.nodes[B + "observation/3fb327ca9bef"]["value"] == "580000000000"


def test_rapper_reads_the_turtle(store, tmp_path):
    if shutil.which("rapper") is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    out = export(store, "turtle", tmp_path / "g.ttl")
    run = subprocess.run(["rapper", "-i", "turtle", "-c", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "returned 258 triples" in run.stderr


def test_written_file_has_ordinary_permissions(store, tmp_path):
    out = export(store, "nquads", tmp_path / "g.nq")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
