"""`make bench`: how fast `kg` builds and answers, measured in one run, beside the targets.

    python bench/run.py [--quick] [--sizes 10,30,100] [--jobs N] [--workdir DIR] [--keep]

Generates corpora with bench/generate.py (10, 30 and 100 MB; --quick: 1, 3
and 10 MB), builds each in a child process (the work of `kg build`, with
its stages timed), and measures on the same text single-core jieba.lcut and
jieba.posseg (and rjieba, with its agreement with jieba); then, on the
smallest build of at least a million triples, `kg query` cold (a new
process, as a user runs it) and warm (in one process) for each bundled
query and a point lookup, the time to open the store, an unchanged and a
one-article rebuild, and the start-up of `kg --help` and `kg query`.

On a 2-core machine the full run takes about 45 minutes (mostly the 100 MB
build), --quick about 5; the corpora and builds need about 10 GB of disk
(removed at the end unless --keep).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

TARGETS = {
    "throughput_ratio": 3.0,  # build chars/s with all cores ÷ single-core jieba.lcut chars/s
    "linearity": 0.15,  # seconds per MB, largest vs smallest corpus
    "point_p50_ms": 20.0,
    "bundled_ms": 300.0,
    "cold_query_s": 1.0,
    "rss_gb_per_mtriples": 2.0,
    "startup_s": 0.5,
}

# The child that builds: the work of `kg build` (library call), its stage
# times, and the peak RSS of the main process and of its workers.
_BUILD_CHILD = r"""
import json, resource, sys, time
from kg.build import build
jobs = int(sys.argv[3]) or None
t = time.perf_counter()
s = build([sys.argv[1]], sys.argv[2], jobs=jobs)
wall = time.perf_counter() - t
print(json.dumps({
    "seconds": wall, "triples": s.triples, "read": s.read, "extracted": s.extracted,
    "unchanged": s.unchanged, "phases": s.phases, "observations": s.observations,
    "rss_main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "rss_worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""

_OPEN_CHILD = r"""
import sys, time
t = time.perf_counter()
from kg.store import open_store
st = open_store(sys.argv[1])
next(iter(st.quads_for_pattern(None, None, None, None)), None)
print(time.perf_counter() - t)
"""


def say(*parts) -> None:
    print(*parts, flush=True)


def mark(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1e6:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cores} cores ({model or platform.processor()}){mem}, Python {platform.python_version()}, {platform.system()}"


def corpus_text(folder: Path, limit_chars: int | None = None) -> tuple[str, int]:
    """The characters of every input file (decoded), and their count; ``limit_chars`` caps the text returned."""
    parts, total, kept = [], 0, 0
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            text = p.read_text(encoding="utf-8", errors="replace")
            total += len(text)
            if limit_chars is None or kept < limit_chars:
                parts.append(text)
                kept += len(text)
    return "".join(parts), total


def run_build(corpus: Path, out: Path, jobs: int) -> dict:
    proc = subprocess.run([sys.executable, "-c", _BUILD_CHILD, str(corpus), str(out), str(jobs)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"build of {corpus} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def segmentation(text: str) -> dict:
    """Single-core throughput (chars/s) of jieba.lcut, jieba.posseg and rjieba on ``text``."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    lines = [x for x in text.splitlines() if x.strip()]
    n = sum(map(len, lines))
    out = {"chars": n}
    t = time.perf_counter()
    for x in lines:
        jieba.lcut(x)
    out["lcut"] = n / (time.perf_counter() - t)
    # posseg is 6-7 times slower: a third of the text is enough for its rate
    third = lines[: max(1, len(lines) // 3)]
    m = sum(map(len, third))
    jieba.posseg.lcut("预热")
    t = time.perf_counter()
    for x in third:
        jieba.posseg.lcut(x)
    out["posseg"] = m / (time.perf_counter() - t)
    try:
        import rjieba

        t = time.perf_counter()
        for x in lines:
            rjieba.cut(x)
        out["rjieba"] = n / (time.perf_counter() - t)
    except ImportError:
        out["rjieba"] = None
    return out


def agreement(folders: list[Path], limit: int = 20000) -> tuple[int, int]:
    """Sentences that kg's rjieba and jieba segmenters (same user words, no HMM) cut alike."""
    from kg import ingest, segment
    from kg.entities import sentence_span

    fast, ref = segment._tokenizer(), segment._jieba_cut()
    same = total = 0
    for p in ingest.iter_inputs(folders):
        try:
            doc = ingest.read_document(p)
        except Exception:
            continue
        text = doc.norm or doc.text
        i = 0
        while i < len(text) and total < limit:
            s, e = sentence_span(text, i)
            if e > s:
                total += 1
                same += fast(text[s:e]) == ref(text[s:e])
            i = max(e, i + 1)
    return same, total


def wall(cmd: list[str], repeat: int = 1) -> float:
    """Median wall time of a command (output discarded)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def query_bench(out: Path) -> dict:
    from kg import query, store

    res: dict = {"bundled": {}, "cold": {}}
    t = time.perf_counter()
    st = store.open_store(out)
    res["open_warm"] = time.perf_counter() - t
    res["open_cold"] = float(subprocess.run([sys.executable, "-c", _OPEN_CHILD, str(out)], capture_output=True,
                                            text=True, cwd=ROOT).stdout.strip() or "nan")
    for name, _ in query.list_queries():
        times = []
        for _ in range(3):
            t = time.perf_counter()
            rows = len(query.run_named(st, name).rows)
            times.append(time.perf_counter() - t)
            if times[-1] > 10:
                break
        res["bundled"][name] = (statistics.median(times), rows)
    # point lookups: everything said about one entity, over random entities
    ents = [str(r[0].value) for r in st.query(
        "SELECT ?e WHERE { ?e a <https://schema.org/Person> } LIMIT 5000")]
    ents += [str(r[0].value) for r in st.query(
        "SELECT ?e WHERE { ?e a <https://schema.org/Corporation> } LIMIT 5000")]
    rng = random.Random(1)
    sample = rng.sample(ents, min(300, len(ents)))
    point = "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"  # a bound variable must be projected
    times = []
    for iri in sample:
        t = time.perf_counter()
        query.run_query(st, point, bindings={"e": store_iri(iri)})
        times.append(time.perf_counter() - t)
    times.sort()
    res["point_p50"] = times[len(times) // 2]
    res["point_p95"] = times[int(len(times) * 0.95)]
    kg = str(BIN / "kg")
    for name, _ in query.list_queries():
        res["cold"][name] = wall([kg, "query", name, "-g", str(out), "--format", "csv"])
    one = sample[0]
    res["cold"]["point lookup"] = wall([kg, "query", f"SELECT ?p ?o WHERE {{ <{one}> ?p ?o }}", "-g", str(out),
                                        "--format", "csv"], repeat=3)
    return res


def store_iri(iri: str):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def startup(small: Path) -> dict:
    kg = str(BIN / "kg")
    res = {
        "help": wall([kg, "--help"], repeat=5),
        "query_small": wall([kg, "query", "stats", "-g", str(small), "--format", "csv"], repeat=5),
        "python": wall([sys.executable, "-c", "pass"], repeat=5),
    }
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kg.cli"], capture_output=True, text=True,
                          cwd=ROOT)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [x.strip() for x in line.split(":", 1)[1].split("|")]
            if parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
    res["imports"] = sorted(rows, reverse=True)[:6]
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="kg benchmarks (not timed tests)")
    ap.add_argument("--quick", action="store_true", help="1, 3 and 10 MB instead of 10, 30 and 100")
    ap.add_argument("--sizes", help="comma-separated corpus sizes in MB")
    ap.add_argument("--jobs", type=int, default=0, help="build processes (default: one per core)")
    ap.add_argument("--workdir", help="where corpora and builds go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and builds")
    a = ap.parse_args(argv)
    sizes = [float(x) for x in a.sizes.split(",")] if a.sizes else ([1, 3, 10] if a.quick else [10, 30, 100])
    work = Path(a.workdir) if a.workdir else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    say(f"kg bench, {datetime.date.today().isoformat()}, {machine()}")
    say(f"corpora: {', '.join(f'{s:g} MB' for s in sizes)} (bench/generate.py, seed 1); work folder {work}")
    try:
        report(sizes, work, a.jobs)
    finally:
        if not a.keep and not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
    say(f"\nbench took {(time.perf_counter() - started) / 60:.1f} min")
    return 0


def report(sizes: list[float], work: Path, jobs: int) -> None:
    builds = {}
    for size in sizes:
        corpus = work / f"corpus-{size:g}MB"
        n, nbytes = generate.generate(size, corpus)
        _, chars = corpus_text(corpus)
        out = work / f"build-{size:g}MB"
        shutil.rmtree(out, ignore_errors=True)
        r = run_build(corpus, out, jobs)
        r.update(size=size, bytes=nbytes, chars=chars, corpus=corpus, out=out, articles=n)
        builds[size] = r
        say(f"\nbuild {size:g} MB: {n} articles, {chars / 1e6:.1f} M chars -> {r['triples']:,} triples "
            f"in {r['seconds']:.1f} s ({chars / r['seconds'] / 1e3:.0f} k chars/s, "
            f"{r['seconds'] / (nbytes / 1e6):.2f} s/MB); peak RSS main {r['rss_main_kb'] / 1e6:.2f} GB, "
            f"worker {r['rss_worker_kb'] / 1e6:.2f} GB")
        say("  stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in r["phases"].items()))

    big = builds[max(sizes)]
    text, _ = corpus_text(big["corpus"], limit_chars=1_000_000)
    seg = segmentation(text)
    build_cps = big["chars"] / big["seconds"]
    ratio = build_cps / seg["lcut"]
    say("\n1. throughput (characters per second), same generated text")
    say(f"   kg build, all cores ({max(sizes):g} MB): {build_cps / 1e3:9.0f} k")
    say(f"   jieba.lcut, one core:            {seg['lcut'] / 1e3:9.0f} k   build/lcut = {ratio:.2f}")
    say(f"   jieba.posseg, one core:          {seg['posseg'] / 1e3:9.0f} k   lcut/posseg = {seg['lcut'] / seg['posseg']:.1f}")
    if seg["rjieba"]:
        say(f"   rjieba.cut, one core:            {seg['rjieba'] / 1e3:9.0f} k   rjieba/lcut = {seg['rjieba'] / seg['lcut']:.1f}")
    same, total = agreement([ROOT / "seeds", ROOT / "tests" / "data" / "dev"])
    gsame, gtotal = agreement([big["corpus"]], limit=5000)
    say(f"   rjieba and jieba (kg's user words, no HMM) cut alike: seeds+dev {same}/{total} sentences, "
        f"corpus {gsame}/{gtotal}")
    say(f"   [{mark(ratio >= TARGETS['throughput_ratio'])}] target: build >= {TARGETS['throughput_ratio']:g} x lcut")

    say("\n2. build time by size")
    for s, r in builds.items():
        say(f"   {s:6g} MB  {r['seconds']:8.1f} s  {r['seconds'] / (r['bytes'] / 1e6):6.2f} s/MB  {r['triples']:>12,} triples")
    lo, hi = builds[min(sizes)], builds[max(sizes)]
    drift = (hi["seconds"] / hi["bytes"]) / (lo["seconds"] / lo["bytes"]) - 1
    say(f"   [{mark(abs(drift) <= TARGETS['linearity'])}] target: linear within 15 % "
        f"(s/MB at {max(sizes):g} MB vs {min(sizes):g} MB: {drift:+.0%})")

    say("\n3. peak memory (RSS)")
    for s, r in builds.items():
        per = max(r["rss_main_kb"], r["rss_worker_kb"]) / 1e6 / (r["triples"] / 1e6)
        say(f"   {s:6g} MB  main {r['rss_main_kb'] / 1e6:5.2f} GB, each worker <= {r['rss_worker_kb'] / 1e6:5.2f} GB,"
            f"  {per:.2f} GB per million triples")
    per = max(hi["rss_main_kb"], hi["rss_worker_kb"]) / 1e6 / (hi["triples"] / 1e6)
    say(f"   [{mark(per <= TARGETS['rss_gb_per_mtriples'])}] target: <= 2 GB per million triples")

    # incremental: nothing changed, then one article changed (on the smallest corpus)
    r = run_build(big["corpus"], big["out"], jobs)
    say(f"\n   rebuild, nothing changed ({max(sizes):g} MB): {r['seconds']:.2f} s (unchanged={r['unchanged']})")
    small = builds[min(sizes)]
    victim = sorted(small["corpus"].rglob("*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace("人工智能", "人工智能技术", 1), encoding="utf-8")
    r = run_build(small["corpus"], small["out"], jobs)
    say(f"   rebuild, one article changed ({min(sizes):g} MB): {r['seconds']:.1f} s, re-extracted {r['extracted']} "
        f"(full build {small['seconds']:.1f} s)")

    qb = next((b for s, b in sorted(builds.items()) if b["triples"] >= 1_000_000), None)
    if qb is None:
        say("\n4. no build reached 1,000,000 triples: query latency not measured (use larger --sizes)")
    else:
        q = query_bench(qb["out"])
        say(f"\n4. kg query on the {qb['size']:g} MB build ({qb['triples']:,} triples)")
        say(f"   {'query':14} {'rows':>7} {'warm ms':>9} {'cold s':>8}")
        for name, (sec, rows) in q["bundled"].items():
            say(f"   {name:14} {rows:7} {sec * 1e3:9.0f} {q['cold'][name]:8.2f}")
        say(f"   {'point lookup':14} {'':7} {q['point_p50'] * 1e3:9.1f} {q['cold']['point lookup']:8.2f}"
            f"   (p50; p95 {q['point_p95'] * 1e3:.1f} ms)")
        worst = max(sec for sec, _ in q["bundled"].values())
        say(f"   [{mark(q['point_p50'] * 1e3 <= TARGETS['point_p50_ms'])}] target: warm point lookup p50 <= 20 ms")
        say(f"   [{mark(worst * 1e3 <= TARGETS['bundled_ms'])}] target: each bundled query <= 300 ms warm "
            f"(slowest {worst * 1e3:.0f} ms)")
        coldest = max(q["cold"].values())
        say(f"   [{mark(coldest <= TARGETS['cold_query_s'])}] target: cold kg query <= 1 s (slowest {coldest:.2f} s; "
            f"point lookup {q['cold']['point lookup']:.2f} s)")
        say(f"\n5. opening the store: {q['open_cold'] * 1e3:.0f} ms in a new process (imports included), "
            f"{q['open_warm'] * 1e3:.1f} ms again in a warm one")

    seeds_out = work / "build-seeds"
    run_build(ROOT / "seeds", seeds_out, jobs)
    s = startup(seeds_out)
    say(f"\n6. start-up (python itself: {s['python']:.2f} s)")
    say(f"   [{mark(s['help'] <= TARGETS['startup_s'])}] kg --help: {s['help']:.2f} s")
    say(f"   [{mark(s['query_small'] <= TARGETS['startup_s'])}] kg query stats on the seeds build: {s['query_small']:.2f} s")
    say("   slowest imports of kg.cli (python -X importtime, cumulative us): "
        + ", ".join(f"{name} {us}" for us, name in s["imports"]))


if __name__ == "__main__":
    sys.exit(main())
