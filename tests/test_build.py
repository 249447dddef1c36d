"""`kg.build.build`: the files it writes, files it skips, and the same bytes on every run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib

from kg.build import assemble, build
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OUTPUTS = ("graph.ttl", "graph.trig", "graph.html", "store")


def test_build_writes_every_output(seeds_build):
    summary, out = seeds_build
    for name in OUTPUTS:
        assert (out / name).exists(), name
        assert summary.files[name] == out / name
    assert (out / "store").is_dir()
    assert summary.read == 4
    assert summary.skipped == []
    # nothing of the build's temporary folder is left behind (.cache is the
    # incremental builds' extraction cache, see kg.cache)
    assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == sorted(OUTPUTS)


def test_build_summary_counts(seeds_build):
    summary, out = seeds_build
    assert summary.validated and summary.violations == ()
    assert summary.observations > 0
    assert summary.entities_by_type.get("Person", 0) >= 16
    g = rdflib.Graph()
    g.parse(out / "graph.ttl", format="turtle")
    assert len(g) == summary.triples


def test_trig_has_one_graph_per_article(seeds_build):
    _, out = seeds_build
    ds = rdflib.Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {n.rsplit("/", 1)[1] for n in names if "/graph/" in n} == {p.stem for p in SEEDS.glob("*.txt")}


def test_store_answers_queries(seeds_store):
    from kg.query import run_named

    result = run_named(seeds_store, "people")
    assert len(result) >= 16


def test_graph_html_is_a_page(seeds_build):
    _, out = seeds_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html[:500].lower()


def test_two_builds_give_identical_bytes(seeds_build, tmp_path):
    _, first = seeds_build
    build([SEEDS], tmp_path / "again")
    for name in ("graph.ttl", "graph.trig"):
        assert (first / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A folder with one good article and files that are not articles."""
    src = tmp_path_factory.mktemp("mixed")
    good = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(good, src / good.name)
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("   \n\n  \n", encoding="utf-8")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (src / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    out = tmp_path_factory.mktemp("mixed-out")
    return src, good, build([src], out, html=False, validate=False), out


def test_bad_files_are_skipped_with_a_reason(mixed):
    src, good, summary, out = mixed
    skipped = {Path(s.path).name: s.reason for s in summary.skipped}
    assert set(skipped) == {"empty.txt", "blank.txt", "binary.txt", "picture.txt"}
    assert all(reason.strip() for reason in skipped.values())
    assert "empty" in skipped["empty.txt"]
    assert summary.read == 1


def test_the_rest_is_built(mixed):
    src, good, summary, out = mixed
    assert (out / "graph.ttl").is_file() and (out / "graph.trig").is_file()
    assert not (out / "graph.html").exists()
    store = open_store(out)
    from kg.query import run_named

    sources = run_named(store, "sources")
    assert len(sources) == 1


def test_rebuild_replaces_outputs(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    out = tmp_path / "out"
    build(seeds[:1], out, html=False, validate=False)
    one = len(rdflib.Graph().parse(out / "graph.ttl", format="turtle"))
    summary = build(seeds[:2], out, html=False, validate=False)
    two = len(rdflib.Graph().parse(out / "graph.ttl", format="turtle"))
    assert summary.read == 2 and two > one
    assert not any(p.name.startswith(".build-") or p.name.endswith(".old") for p in out.iterdir())


def test_iris_survive_adding_articles():
    # an entity's IRI depends on its name, not on what else was built
    seeds = sorted(SEEDS.glob("*.txt"))
    small = {s for s, *_ in assemble(seeds[:2]).quads}
    large = {s for s, *_ in assemble(seeds).quads}
    people = {s for s in small if "/person/" in str(s)}
    assert people and people <= large
