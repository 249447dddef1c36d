"""Incremental builds: re-running `kg build` into the same folder re-extracts
only new or changed articles, drops removed ones, and gives the graph a fresh
build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import cache
from kg.build import build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEV = ROOT / "tests" / "data" / "dev"


@pytest.fixture()
def corpus(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:3] + sorted(DEV.glob("0[1-3].txt")):
        shutil.copy(p, src / p.name)
    return src


def _same_graph(a: Path, b: Path) -> None:
    for name in ("graph.ttl", "graph.trig"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_no_change_rebuild_keeps_everything(corpus, tmp_path):
    out = tmp_path / "out"
    first = build([corpus], out, html=False, jobs=1)
    assert first.extracted == 6 and not first.unchanged
    before = {n: (out / n).stat().st_mtime_ns for n in ("graph.ttl", "graph.trig")}
    again = build([corpus], out, html=False, jobs=1)
    assert again.unchanged and again.extracted == 0
    assert (again.read, again.triples, again.entities_by_type) == (first.read, first.triples, first.entities_by_type)
    assert {n: (out / n).stat().st_mtime_ns for n in before} == before


def test_add_remove_change_equals_a_fresh_build(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, html=False, jobs=1)
    names = sorted(p.name for p in corpus.iterdir())
    (corpus / names[0]).unlink()  # removed
    changed = corpus / names[1]
    changed.write_text(changed.read_text(encoding="utf-8").replace("人工智能", "人工智能技术", 1), encoding="utf-8")
    shutil.copy(DEV / "05.txt", corpus / "05.txt")  # added
    again = build([corpus], out, html=False, jobs=1)
    assert again.extracted == 2 and again.read == 6
    fresh = build([corpus], tmp_path / "fresh", html=False, jobs=1)
    _same_graph(out, tmp_path / "fresh")
    assert again.triples == fresh.triples
    # the removed article's graph is gone, and so is its cache entry
    from kg.store import open_store

    assert not any(str(g).endswith("/graph/" + Path(names[0]).stem) for g in open_store(out).named_graphs())
    assert len(list((out / cache.CACHE_DIR / "x").glob("*.pkl"))) == 6


def test_option_change_rebuilds(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, html=False, jobs=1)
    again = build([corpus], out, html=False, jobs=1, min_confidence=0.9)
    assert not again.unchanged and again.extracted == 0  # same extractions, new graph
    fresh = build([corpus], tmp_path / "fresh", html=False, jobs=1, min_confidence=0.9)
    _same_graph(out, tmp_path / "fresh")


def test_lexicon_change_reextracts(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([corpus], out, html=False, validate=False, jobs=1)
    lex = tmp_path / "lexicons"
    shutil.copytree(ROOT / "ontology" / "lexicons", lex)
    with open(lex / "non_names.txt", "a", encoding="utf-8") as f:
        f.write("某某\n")
    monkeypatch.setenv("KG_LEXICONS", str(lex))
    cache.version.cache_clear()
    try:
        again = build([corpus], out, html=False, validate=False, jobs=1)
    finally:
        cache.version.cache_clear()
    assert again.extracted == 6


def test_a_damaged_cache_entry_is_extracted_again(corpus, tmp_path):
    out = tmp_path / "out"
    first = build([corpus], out, html=False, validate=False, jobs=1)
    entries = sorted((out / cache.CACHE_DIR / "x").glob("*.pkl"))
    entries[0].write_bytes(b"not a pickle")
    (out / cache.CACHE_DIR / cache.MANIFEST).unlink()
    again = build([corpus], out, html=False, validate=False, jobs=1)
    assert again.extracted == 1
    assert again.triples == first.triples


def test_cli_says_what_it_reused(corpus, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--no-html", "--jobs", "2"])
    assert first.exit_code == 0, first.output
    assert "read 6 article(s)" in first.output
    second = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--no-html", "--jobs", "2"])
    assert second.exit_code == 0 and "nothing changed since the last build" in second.output
    shutil.copy(DEV / "05.txt", corpus / "05.txt")
    third = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--no-html", "--jobs", "1"])
    assert third.exit_code == 0 and "extracted 1, the others unchanged since the last build" in third.output
