"""`kg build`: articles → graph files, store and HTML, written atomically.

The work is a short cascade:
1. find the inputs and read each one (a file that cannot be read is skipped
   with its reason, and the build goes on);
2. extract each article on its own (``pipeline.extract``), in ``jobs``
   worker processes, each result stored in the extraction cache
   (`kg.cache`) so that the next build into the same folder re-extracts only
   new or changed files;
3. unify entities across articles (``resolve.cluster``), from each
   article's entities alone;
4. turn each article into quads, one named graph per article (``graph``),
   again in the workers, which read the article from the cache and write its
   N-Quads and its TriG block; the main process streams the N-Quads into
   pyoxigraph's bulk loader and the blocks into graph.trig, in graph order;
5. graph.ttl from the store; graph.html and the SHACL check from all the
   articles of a small build, a sample of a large one; everything is written
   into a temporary folder and moved into place only when complete, so an
   interrupted build leaves the previous outputs intact.

Memory holds the entity table and, per article, a cache key, never the
corpus's text; results come back in input order, so the outputs are the
same bytes whatever the number of jobs.
"""

from __future__ import annotations

import io
import os
import pickle
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from . import ingest, pipeline, resolve
from . import types as t
from .errors import InputError, UsageError
from .graph import quads as make_quads
from .vocab import DEFAULT_BASE, PREFIXES, Minter

DEFAULT_MIN_CONFIDENCE = 0.6

Progress = Callable[[int, int, str], None]


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class Built:
    """A graph assembled in memory (what `build` writes and `eval` queries)."""

    extractions: list[t.Extraction]
    entities: dict[str, t.Entity]
    quads: list
    skipped: list[Skipped] = field(default_factory=list)
    read: int = 0


@dataclass
class BuildSummary:
    out: Path
    read: int
    skipped: list[Skipped]
    entities_by_type: dict[str, int]
    observations: int
    triples: int
    seconds: float
    files: dict[str, Path]
    violations: tuple = ()
    validated: bool = False
    extracted: int = 0  # articles read and extracted now (the others came from the cache)
    unchanged: bool = False  # nothing changed since the last build: the outputs are as they were
    checked_articles: int = 0  # articles the SHACL check read (a sample of a large build)
    phases: dict = field(default_factory=dict)  # seconds per stage, for `make bench`


def assemble(
    paths: Iterable[str | Path],
    *,
    base: str = DEFAULT_BASE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    progress: Optional[Progress] = None,
    max_bytes: int = ingest.MAX_BYTES,
) -> Built:
    """Read, extract, resolve and turn into quads; nothing is written.

    Files larger than ``max_bytes`` are skipped unread, texts too long to
    extract after reading (`kg.ingest.check_extractable`)."""
    files = ingest.iter_inputs(paths)
    roots = [Path(p) for p in paths]
    extractions: list[t.Extraction] = []
    skipped: list[Skipped] = []
    seen_ids: dict[str, str] = {}
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), str(path))
        try:
            doc = ingest.read_document(path, root=_root_of(path, roots), max_bytes=max_bytes)
            ingest.check_extractable(doc, str(path))
        except InputError as err:
            skipped.append(Skipped(str(path), err.reason))
            continue
        if doc.doc_id in seen_ids:
            # two files with one stem: keep both, apart
            from .vocab import digest

            doc = _with_id(doc, f"{doc.doc_id}-{digest(doc.path, size=6)}")
        seen_ids[doc.doc_id] = doc.path
        extractions.append(pipeline.extract(doc))
    if progress:
        progress(len(files), len(files), "")
    resolved, table = resolve.resolve(extractions)
    minter = Minter(base)
    qs = list(make_quads(resolved, table, minter, min_confidence))
    return Built(resolved, table, qs, skipped, len(extractions))


def _with_id(doc: t.Document, doc_id: str) -> t.Document:
    from dataclasses import replace

    return replace(doc, doc_id=doc_id)


def _root_of(path: Path, roots: list[Path]) -> Optional[Path]:
    for r in roots:
        if r.is_dir():
            try:
                path.relative_to(r)
                return r.parent if r.parent != r else r
            except ValueError:
                continue
    return None


def build(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    base: str = DEFAULT_BASE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    html: bool = True,
    validate: bool = True,
    progress: Optional[Progress] = None,
    max_bytes: int = ingest.MAX_BYTES,
    jobs: Optional[int] = None,
) -> BuildSummary:
    """Build the graph of ``paths`` into the folder ``out``; validate it against the SHACL shapes.

    ``jobs`` processes extract articles and write their quads (default: one
    per core); the outputs are the same bytes whatever the number. Articles
    extracted by an earlier build into the same ``out`` come from its cache
    (`kg.cache`); when no input, option or code changed, nothing is redone.
    Raises UsageError for a bad option, KgError when an output cannot be written.
    """
    from . import cache as kc

    started = time.perf_counter()
    paths = list(paths)
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:  # a mistyped path must not replace the outputs with an empty graph
        raise UsageError(f"{missing[0]}: no such file or folder")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _clear_killed_builds(out)
    files = ingest.iter_inputs(paths)
    roots = [Path(p) for p in paths]
    file_roots = [_root_of(f, roots) for f in files]
    cache = kc.Cache(out / kc.CACHE_DIR)
    keys = [kc.file_key(f, r, max_bytes) for f, r in zip(files, file_roots)]
    options = {"base": base, "min_confidence": min_confidence, "html": html, "validate": validate,
               "version": kc.version()}
    last = cache.manifest()
    if (last and last.get("options") == options and last.get("keys") == keys
            and all((out / name).exists() for name in last["summary"]["files"])):
        return _unchanged(last["summary"], out, started)
    cache.drop_manifest()  # until this build completes, the outputs are not the manifest's

    phases = {"hash": time.perf_counter() - started}
    # 1. read and extract, in parallel, what the cache does not hold
    articles, skipped, extracted = _extract_all(files, file_roots, keys, cache, jobs, max_bytes, progress)
    phases["extract"] = time.perf_counter() - started - sum(phases.values())
    # 2. one entity per real thing, across articles
    table, mapping = resolve.cluster(a.entities for a in articles)
    for a in articles:
        a.entities = {}  # only the table is needed from here on
    phases["resolve"] = time.perf_counter() - started - sum(phases.values())
    # 3-5. quads and outputs
    result = _write_outputs(articles, table, mapping, out, cache, jobs=jobs, base=base,
                            min_confidence=min_confidence, html=html, validate=validate, phases=phases,
                            progress=progress)
    cache.prune(set(keys))
    summary = BuildSummary(
        out=out,
        read=len(articles),
        skipped=skipped,
        entities_by_type=result.entities_by_type,
        observations=result.observations,
        triples=result.triples,
        seconds=time.perf_counter() - started,
        files=result.files,
        violations=result.violations,
        validated=result.validated,
        extracted=extracted,
        checked_articles=result.checked_articles,
        phases=phases,
    )
    cache.write_manifest({"options": options, "keys": keys, "summary": _summary_json(summary)})
    return summary


def default_jobs() -> int:
    """One process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# -- 1. extraction ---------------------------------------------------------------

# Files per task sent to a worker: large enough that the pipe is not the
# bottleneck, small enough that the progress line moves.
_CHUNK = 8


@dataclass
class _Article:
    """What the build keeps of an article between the passes: not its text,
    only the cache entry that holds its extraction."""

    key: str
    doc_id: str
    entities: dict


def _read(path: Path, root: Optional[Path], max_bytes: int) -> t.Document:
    doc = ingest.read_document(path, root=root, max_bytes=max_bytes)
    ingest.check_extractable(doc, str(path))
    return doc


def _extract_task(task: tuple) -> tuple:
    """Worker: read and extract one file, store the record in the cache, return it."""
    path, root, max_bytes, key, cache_folder = task
    from . import cache as kc

    try:
        doc = _read(Path(path), Path(root) if root else None, max_bytes)
    except InputError as err:
        record: tuple = ("skip", err.reason)
    else:
        ex = pipeline.extract(doc)
        # the graph needs the evidence sentences, not the whole text
        slim = replace(ex, document=replace(doc, text="", norm="", paragraphs=()), mentions=[])
        record = ("ok", doc.doc_id, doc.path, ex.entities, pickle.dumps(slim, protocol=5))
    kc.Cache(Path(cache_folder)).store(key, record)
    return record


def _extract_all(files, file_roots, keys, cache, jobs, max_bytes, progress):
    """Records of every file, from the cache or extracted now, in file order."""
    records: list = [None] * len(files)
    todo = []
    for i, key in enumerate(keys):
        rec = cache.load(key) if cache.has(key) else None
        if rec is None:
            todo.append(i)
        else:
            records[i] = rec[:4]  # the extraction itself is read again, from the cache, by pass 2
    if todo and jobs > 1 and len(todo) > _CHUNK:
        _warm_up()  # once here rather than in every worker
    tasks = [(str(files[i]), str(file_roots[i]) if file_roots[i] else "", max_bytes, keys[i], str(cache.folder))
             for i in todo]
    done = len(files) - len(todo)
    for i, rec in zip(todo, _ordered_map(_extract_task, tasks, jobs)):
        records[i] = rec[:4]
        done += 1
        if progress:
            progress(done, len(files), str(files[i]))
    if progress:
        progress(len(files), len(files), "")
    articles: list[_Article] = []
    skipped: list[Skipped] = []
    seen_ids: dict[str, str] = {}
    for path, key, rec in zip(files, keys, records):
        if rec[0] == "skip":
            skipped.append(Skipped(str(path), rec[1]))
            continue
        _, doc_id, doc_path, entities = rec
        if doc_id in seen_ids:
            # two files with one stem: keep both, apart (as `assemble` does)
            from .vocab import digest

            doc_id = f"{doc_id}-{digest(doc_path, size=6)}"
        seen_ids[doc_id] = doc_path
        articles.append(_Article(key, doc_id, entities))
    return articles, skipped, len(todo)


def _warm_up() -> None:
    """Load the lexicons and the segmenter in this process, so that forked workers share them."""
    from . import segment

    text = "2024年，北京市人工智能企业数量超过100家。"
    pipeline.extract(t.Document("warm-up", "", text, (t.Paragraph(0, len(text)),), norm=text))
    segment.tokens("人工智能")


def _ordered_map(fn: Callable, items: list, jobs: int, initializer: Optional[Callable] = None,
                 initargs: tuple = ()) -> Iterator:
    """``fn`` over ``items`` in ``jobs`` processes, results in input order.

    A few chunks are in flight at a time, so that results wait in memory only
    as long as the consumer needs to take them. With one job (or little work)
    everything runs here, through the same functions.
    """
    if jobs <= 1 or len(items) <= _CHUNK:
        if initializer is not None:
            initializer(*initargs)
        try:
            yield from map(fn, items)
        finally:
            if initializer is not None:
                initializer(*[None] * len(initargs))
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers start with the parent's lexicons, segmenter and state
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    chunks = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=initializer, initargs=initargs) as pool:
        pending: deque = deque()
        upcoming = iter(chunks)
        for chunk in upcoming:
            pending.append(pool.submit(_run_chunk, fn, chunk))
            if len(pending) >= 3 * jobs:
                break
        while pending:
            yield from pending.popleft().result()
            nxt = next(upcoming, None)
            if nxt is not None:
                pending.append(pool.submit(_run_chunk, fn, nxt))


def _run_chunk(fn: Callable, chunk: list) -> list:
    return [fn(x) for x in chunk]


# -- 3-5. quads, store and files -------------------------------------------------

# graph.html and the SHACL check read the graph through rdflib, which holds
# about a kilobyte per triple and takes about 20 s per 100,000 triples to draw
# and validate; a larger build gives them an evenly spread sample of at most
# this many articles, and stops adding to it at this many quads.
SAMPLE_ARTICLES = 100
SAMPLE_QUADS = 30_000


@dataclass
class _Written:
    files: dict[str, Path]
    entities_by_type: dict[str, int]
    observations: int
    triples: int
    violations: tuple
    validated: bool
    checked_articles: int


# what a worker of the second pass needs besides the article: set by _init_graph
_GRAPH_STATE: Optional[tuple] = None


def _init_graph(state: Optional[tuple]) -> None:
    global _GRAPH_STATE
    _GRAPH_STATE = state


def _graph_task(task: tuple) -> tuple:
    """Worker: one article's quads as N-Quads (its graph and the union's copy)
    and its TriG block, sorted as `kg.export` sorts."""
    cache_file, doc_id = task
    mapping, table, base, floor = _GRAPH_STATE
    from .export import graph_block
    from .graph import nquads

    with open(cache_file, "rb") as f:
        record = pickle.load(f)
    ex = pickle.loads(record[4])
    if ex.document.doc_id != doc_id:
        ex = _with_doc_id(ex, doc_id)
    ex = resolve.rewrite(ex, mapping)
    minter = Minter(base)
    named = nquads(make_quads([ex], table, minter, floor))
    graph_nt = f"<{minter.graph(doc_id)}>"
    union = named.replace(f" {graph_nt} .\n", " .\n")
    kept = sorted(k for k, e in ex.entities.items() if k in table and e.confidence >= floor)
    observations = sum(1 for o in ex.observations if o.evidence.confidence >= floor)
    return named.encode("utf-8"), union.encode("utf-8"), graph_block(named), kept, observations


def _with_doc_id(ex: t.Extraction, doc_id: str) -> t.Extraction:
    def ev(e: t.Evidence) -> t.Evidence:
        return replace(e, doc_id=doc_id)

    return replace(
        ex,
        document=replace(ex.document, doc_id=doc_id),
        memberships=[replace(m, evidence=ev(m.evidence)) for m in ex.memberships],
        relations=[replace(r, evidence=ev(r.evidence)) for r in ex.relations],
        observations=[replace(o, evidence=ev(o.evidence)) for o in ex.observations],
    )


class _Stream(io.RawIOBase):
    """A binary file over an iterator of byte chunks (what the bulk loader reads)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._buf:
            nxt = next(self._chunks, None)
            if nxt is None:
                return 0
            self._buf = nxt
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _write_outputs(articles, table, mapping, out: Path, cache, *, jobs, base, min_confidence, html,
                   validate, phases: dict, progress: Optional[Progress] = None) -> _Written:
    """Quads of every article into the store and graph.trig (one pass, in
    parallel), then graph.ttl from the store, then graph.html and the SHACL
    report from a sample; all in a temporary folder moved into place at the end."""
    import pyoxigraph as ox

    from . import export
    from .errors import KgError

    minter = Minter(base)
    # graph.trig lists the graphs in the order of their IRIs as N-Triples
    # terms (<…/04-x> before <…/04>), as `kg export` does
    order = sorted(articles, key=lambda a: f"<{minter.graph(a.doc_id)}>")
    n = len(order)
    sample = set(range(n)) if n <= SAMPLE_ARTICLES else {k * n // SAMPLE_ARTICLES for k in range(SAMPLE_ARTICLES)}
    sampled_quads = 0
    tasks = [(str(cache.path(a.key)), a.doc_id) for a in order]
    kept: set[str] = set()
    observations = 0
    sampled: list[bytes] = []

    tmp = out / f".build-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = now - clock
        clock = now

    try:
        with open(tmp / "graph.trig", "wb") as trig:

            def chunks() -> Iterator[bytes]:
                nonlocal observations, sampled_quads
                results = _ordered_map(_graph_task, tasks, jobs, _init_graph, ((mapping, table, base, min_confidence),))
                first = True
                for i, (named, union, block, keys, n_obs) in enumerate(results):
                    if first:
                        trig.write(export.prefix_header("trig"))
                        first = False
                    trig.write(block)
                    kept.update(keys)
                    observations += n_obs
                    if progress:
                        progress(i + 1, n, f"writing the graph of {order[i].doc_id}")
                    if i in sample and (not sampled or sampled_quads < SAMPLE_QUADS):
                        sampled.append(named)
                        sampled_quads += named.count(b"\n")
                    yield named
                    yield union

            store = ox.Store(str(tmp / "store"))
            try:
                store.bulk_load(io.BufferedReader(_Stream(chunks()), 1 << 20), format=ox.RdfFormat.N_QUADS)
            except SyntaxError as e:  # a --base that makes no IRI
                raise KgError(f"the graph's IRIs do not parse ({str(e).splitlines()[0]}): check --base") from e
        lap("quads+store+trig")
        # the union, each triple once, as the store holds it (grouped by
        # subject, in index order: deterministic, and written by pyoxigraph
        # without a Python object per triple; `kg export` sorts instead)
        store.dump(str(tmp / "graph.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                   prefixes={k: str(v) for k, v in PREFIXES.items()})
        triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)
        store.flush()
        del store  # RocksDB closes with its last reference; it must be closed before the move
        lap("ttl")
        report = None
        if html or validate:
            rdf = _rdflib_dataset(b"".join(sampled))
            if html:
                from . import viz

                viz.render(rdf, tmp / "graph.html")
                lap("html")
            if validate:
                from .validate import validate_graph

                report = validate_graph(rdf)
                lap("shacl")
        files = {}
        # the store first: a kill while it is swapped leaves every old output
        for name in ("store", "graph.ttl", "graph.trig", "graph.html"):
            src = tmp / name
            if src.exists():
                files[name] = _move_into_place(src, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    counts = Counter(table[k].kind for k in kept)
    return _Written(files, dict(sorted(counts.items())), observations, triples,
                    report.violations if report else (), report is not None,
                    len(sampled) if report is not None else 0)


def _rdflib_dataset(nquads: bytes):
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    if nquads:
        ds.parse(data=nquads.decode("utf-8"), format="nquads")
    return ds


# -- the manifest's copy of a summary ----------------------------------------------

def _summary_json(s: BuildSummary) -> dict:
    return {
        "read": s.read,
        "skipped": [[k.path, k.reason] for k in s.skipped],
        "entities_by_type": s.entities_by_type,
        "observations": s.observations,
        "triples": s.triples,
        "files": {name: str(p) for name, p in s.files.items()},
        "violations": [[v.focus, v.label, v.path, v.message] for v in s.violations],
        "validated": s.validated,
        "checked_articles": s.checked_articles,
    }


def _unchanged(d: dict, out: Path, started: float) -> BuildSummary:
    from .validate import Violation

    return BuildSummary(
        out=out,
        read=d["read"],
        skipped=[Skipped(p, r) for p, r in d["skipped"]],
        entities_by_type=d["entities_by_type"],
        observations=d["observations"],
        triples=d["triples"],
        seconds=time.perf_counter() - started,
        files={name: Path(p) for name, p in d["files"].items()},
        violations=tuple(Violation(*v) for v in d["violations"]),
        validated=d["validated"],
        extracted=0,
        unchanged=True,
        checked_articles=d.get("checked_articles", 0),
    )


def memory_store(qs: list):
    """An in-memory pyoxigraph store holding the quads."""
    import pyoxigraph as ox

    from .graph import to_oxigraph

    mem = ox.Store()
    mem.bulk_extend(to_oxigraph(qs))
    return mem


def _move_into_place(src: Path, dst: Path) -> Path:
    """Replace ``dst`` by ``src``; a folder is swapped by two renames.

    Between the renames only ``dst.old`` exists, and `kg.store.open_store`
    reads it; so ``dst.old`` is removed only when ``dst`` is there (a build
    killed mid-swap leaves ``dst.old`` as the only complete store).
    """
    if src.is_dir():
        old = dst.with_name(dst.name + ".old")
        if old.exists() and dst.exists():
            shutil.rmtree(old)
        if dst.exists():
            os.replace(dst, old)
        os.replace(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, dst)
    return dst


def _clear_killed_builds(out: Path) -> None:
    """Remove the temporary folders of builds that were killed (their
    process is gone); a build still running keeps its own."""
    for d in out.glob(".build-*"):
        pid = d.name.removeprefix(".build-")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or no way to tell: leave it
    return True
