"""`kg build --jobs N`: articles extracted in parallel processes give the same bytes as one process."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from kg.build import _CHUNK, build
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds, enough generated articles that the work is split into
    several chunks, and two files with one stem (ids made apart)."""
    src = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, src / "seeds")
    gen = _generator()
    pools = gen.Pools()
    for i in range(3 * _CHUNK):
        suffix, text = gen.article(i, 7, pools)
        (src / "gen").mkdir(exist_ok=True)
        (src / "gen" / f"g{i:03d}{suffix}").write_text(text, encoding="utf-8")
    (src / "other").mkdir()
    shutil.copy(src / "gen" / "g000.txt", src / "other" / "g000.txt")
    return src


def _quads(out: Path) -> set[str]:
    return {str(q) for q in open_store(out)}


def test_jobs_give_the_same_bytes(corpus, tmp_path):
    one = build([corpus], tmp_path / "one", jobs=1, html=False)
    two = build([corpus], tmp_path / "two", jobs=2, html=False)
    assert one.read == two.read == 4 + 3 * _CHUNK + 1
    assert one.extracted == two.extracted == one.read
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert _quads(tmp_path / "one") == _quads(tmp_path / "two")
    assert (one.entities_by_type, one.observations, one.triples) == (two.entities_by_type, two.observations, two.triples)
    # both files named g000 are in the graph, apart
    graphs = {str(g) for g in open_store(tmp_path / "two").named_graphs()}
    assert sum("/graph/g000" in g for g in graphs) == 2


def test_parallel_build_equals_the_sorted_export(corpus, tmp_path):
    """graph.trig, written article by article in worker processes, is the
    export of the store it was built with (the export sorts the whole graph)."""
    from kg.export import export

    build([corpus], tmp_path / "b", jobs=2, html=False, validate=False)
    assert (tmp_path / "b" / "graph.trig").read_bytes() == export(tmp_path / "b", "trig")


def test_nquads_text_is_the_quads():
    """The N-Quads text the build loads holds exactly the quads of kg.graph.quads."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    from kg.graph import nquads, to_oxigraph

    g = URIRef("https://example.org/g")
    s = URIRef("https://example.org/s")
    qs = [
        (s, URIRef("https://example.org/p"), Literal('引号"与\\反斜杠\n换行\r', lang="zh"), g),
        (s, URIRef("https://example.org/n"), Literal("0.90", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"),
                                                     normalize=False), g),
        (s, URIRef("https://example.org/q"), Literal("plain"), g),
        (s, URIRef("https://example.org/r"), URIRef("https://example.org/o"), g),
    ]
    parsed = list(ox.parse(nquads(qs), format=ox.RdfFormat.N_QUADS))
    assert parsed == to_oxigraph(qs)


def test_jobs_must_be_positive(tmp_path):
    from kg.errors import UsageError

    with pytest.raises(UsageError):
        build([SEEDS], tmp_path, jobs=0)
