"""`kg build`: articles → graph files, store and HTML, written atomically.

The work is a short cascade:
1. find the inputs and read each one (a file that cannot be read is skipped
   with its reason, and the build goes on);
2. extract each article on its own (``pipeline.extract``);
3. unify entities across articles (``resolve``);
4. turn everything into quads, one named graph per article (``graph``);
5. write the store, graph.ttl, graph.trig and graph.html into a temporary
   folder and move each into place only when all of them are complete, so an
   interrupted build leaves the previous outputs intact.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from . import ingest, pipeline, resolve
from . import types as t
from .errors import InputError
from .graph import quads as make_quads
from .vocab import DEFAULT_BASE, Minter

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


def assemble(
    paths: Iterable[str | Path],
    *,
    base: str = DEFAULT_BASE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    progress: Optional[Progress] = None,
) -> Built:
    """Read, extract, resolve and turn into quads; nothing is written."""
    files = ingest.iter_inputs(paths)
    roots = [Path(p) for p in paths]
    extractions: list[t.Extraction] = []
    skipped: list[Skipped] = []
    seen_ids: dict[str, str] = {}
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), str(path))
        try:
            doc = ingest.read_document(path, root=_root_of(path, roots))
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
) -> BuildSummary:
    """Build the graph of ``paths`` into the folder ``out``; validate it against the SHACL shapes."""
    from . import export, store, viz
    from .validate import validate_graph

    started = time.perf_counter()
    paths = list(paths)
    built = assemble(paths, base=base, min_confidence=min_confidence, progress=progress)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".build-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        mem = memory_store(built.quads)
        export.export(mem, "turtle", tmp / "graph.ttl")
        export.export(mem, "trig", tmp / "graph.trig")
        triples = len(export.union_triples(mem))
        store.write_store(mem, tmp)
        rdf = store.load_rdflib(tmp / "graph.trig") if (html or validate) else None
        if html:
            viz.render(rdf, tmp / "graph.html")
        report = validate_graph(rdf) if validate else None
        del mem
        files = {}
        for name in ("graph.ttl", "graph.trig", "graph.html", "store"):
            src = tmp / name
            if src.exists():
                files[name] = _move_into_place(src, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    counts = Counter()
    for key, e in built.entities.items():
        if any(key in ex.entities and ex.entities[key].confidence >= min_confidence for ex in built.extractions):
            counts[e.kind] += 1
    observations = sum(
        1 for ex in built.extractions for o in ex.observations if o.evidence.confidence >= min_confidence
    )
    return BuildSummary(
        out=out,
        read=built.read,
        skipped=built.skipped,
        entities_by_type=dict(sorted(counts.items())),
        observations=observations,
        triples=triples,
        seconds=time.perf_counter() - started,
        files=files,
        violations=report.violations if report else (),
        validated=report is not None,
    )


def memory_store(qs: list):
    """An in-memory pyoxigraph store holding the quads."""
    import pyoxigraph as ox

    from .graph import to_oxigraph

    mem = ox.Store()
    mem.bulk_extend(to_oxigraph(qs))
    return mem


def _move_into_place(src: Path, dst: Path) -> Path:
    """Replace ``dst`` by ``src``; a folder is swapped by two renames."""
    if src.is_dir():
        old = dst.with_name(dst.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if dst.exists():
            os.replace(dst, old)
        os.replace(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, dst)
    return dst
