"""Where a build's time goes, stage by stage, on one core.

    python bench/stages.py CORPUS [--limit N]

Runs the stages of `kg build` in this one process over the first N files of
CORPUS (a folder from bench/generate.py, or any articles) under cProfile,
and prints the seconds spent in each stage and in the segmenter, beside the
characters read: the profile behind the throughput numbers of `make bench`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, module file, function): cumulative time of each, as cProfile counts it
STAGES = [
    ("ingest (read, decode, furniture)", "kg/ingest.py", "read_document"),
    ("entities (recognizers)", "kg/entities.py", "recognize"),
    ("  of which segmentation", "kg/segment.py", "_tokens"),
    ("relations", "kg/relations.py", "recognize"),
    ("metrics (numbers, observations)", "kg/metrics.py", "recognize"),
    ("resolve", "kg/resolve.py", "resolve"),
    ("quads (Python terms)", "kg/graph.py", "quads"),
    ("N-Quads text", "kg/graph.py", "nquads"),
    ("TriG block (sorting)", "kg/export.py", "graph_block"),
]


def run(corpus: Path, limit: int) -> tuple[int, float]:
    import pyoxigraph as ox

    from kg import ingest, pipeline, resolve
    from kg.export import graph_block
    from kg.graph import nquads, quads
    from kg.vocab import Minter

    files = list(ingest.iter_inputs([corpus]))[:limit]
    started = time.perf_counter()
    extractions, chars = [], 0
    for path in files:
        doc = ingest.read_document(path)
        chars += len(doc.text)
        extractions.append(pipeline.extract(doc))
    resolved, table = resolve.resolve(extractions)
    minter = Minter()
    blocks = []
    for ex in resolved:
        text = nquads(list(quads([ex], table, minter)))
        graph_block(text)  # for its time only: the build writes this TriG block
        blocks.append(text.encode("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(tmp)
        t = time.perf_counter()
        store.bulk_load(b"".join(blocks), format=ox.RdfFormat.N_QUADS)
        load = time.perf_counter() - t
        del store
    n = sum(b.count(b"\n") for b in blocks)
    print(f"store bulk_load (pyoxigraph, in Rust: {n:,} quads of the article graphs; a build loads their union too): {load:.1f} s")
    return chars, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=1000, help="files to read (default 1000)")
    a = ap.parse_args(argv)
    prof = cProfile.Profile()
    chars, seconds = prof.runcall(run, a.corpus, a.limit)
    stats = pstats.Stats(prof).stats
    print(f"{chars:,} characters in {seconds:.1f} s on one core, under cProfile "
          f"({chars / seconds / 1e3:.0f} k chars/s; the profiler adds about a third)")
    for label, file, func in STAGES:
        cum = sum(v[3] for (f, _, name), v in stats.items() if f.endswith(file) and name == func)
        print(f"  {label:36} {cum:7.1f} s  {cum / seconds:5.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
