"""Open and write the graph store: a pyoxigraph store on disk, or an RDF file.

`kg build` leaves a folder with `store/` (pyoxigraph, RocksDB) next to
`graph.trig`; every reader goes through `open_store`, so queries, exports and
the HTML view accept either the folder or any RDF file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .errors import InputError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    import rdflib

STORE_DIR = "store"

# File suffix → (pyoxigraph format name, rdflib format name)
_FORMATS = {
    ".ttl": ("TURTLE", "turtle"),
    ".turtle": ("TURTLE", "turtle"),
    ".trig": ("TRIG", "trig"),
    ".nq": ("N_QUADS", "nquads"),
    ".nquads": ("N_QUADS", "nquads"),
    ".nt": ("N_TRIPLES", "nt"),
    ".ntriples": ("N_TRIPLES", "nt"),
    ".jsonld": ("JSON_LD", "json-ld"),
    ".json": ("JSON_LD", "json-ld"),
    ".rdf": ("RDF_XML", "xml"),
    ".owl": ("RDF_XML", "xml"),
    ".xml": ("RDF_XML", "xml"),
}

# rdflib's name for a Dataset's default graph
_RDFLIB_DEFAULT = "urn:x-rdflib:default"

# The files a build folder may hold instead of a store, best first.
_FOLDER_FILES = ("graph.trig", "graph.nq", "graph.ttl")


def _missing(path: Path) -> UsageError:
    shown = f"{path}/" if not path.suffix else str(path)
    return UsageError(f"no graph at {shown}: run `kg build` first")


def _is_store_dir(path: Path) -> bool:
    # RocksDB always writes CURRENT; checking it avoids creating an empty
    # store by "opening" an unrelated folder.
    return path.is_dir() and (path / "CURRENT").is_file()


def _rdf_format(path: Path):
    import pyoxigraph as ox

    try:
        name = _FORMATS[path.suffix.lower()][0]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise UsageError(f"{path}: not an RDF file I can read (known suffixes: {known})") from None
    return getattr(ox.RdfFormat, name)


def _open_disk(path: Path) -> "pyoxigraph.Store":
    import pyoxigraph as ox

    try:
        # Read-only: several readers (query, viz, a running build's check) may
        # share a store, and a reader must never take RocksDB's write lock.
        if hasattr(ox.Store, "read_only"):
            return ox.Store.read_only(str(path))
        return ox.Store(str(path))  # pragma: no cover - pyoxigraph < 0.4
    except (OSError, RuntimeError) as e:  # RocksDB reports a damaged store as RuntimeError
        raise UsageError(f"{path}: cannot open the store ({' '.join(str(e).split())}); "
                         "run `kg build` again") from e


def _load_file(path: Path) -> "pyoxigraph.Store":
    import pyoxigraph as ox

    fmt = _rdf_format(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as e:
        raise InputError(str(path), f"not valid {fmt.name}: {_syntax_message(e)}") from e
    except (OSError, ValueError) as e:
        raise InputError(str(path), str(e)) from e
    _add_union(store)
    return store


# Why the default graph holds the union of the article graphs: pyoxigraph's
# `use_default_graph_as_union` does not remove duplicates, so a fact stated
# by k articles matches k times, and a join of n such patterns k**n times
# (an entity named by 300 articles made the `entities` query run for
# minutes). A real default graph is a set: every triple once. `GRAPH ?g`
# still reaches each article's own graph, and `dataset_quads` leaves the
# copy out of exports.
_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _add_union(store: "pyoxigraph.Store") -> None:
    if next(iter(store.named_graphs()), None) is not None:
        store.update(_UNION)


def _syntax_message(e: BaseException) -> str:
    # pyoxigraph parse errors carry their position in the message already
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def open_store(path: str | os.PathLike[str]) -> "pyoxigraph.Store":
    """Open a build folder's store, or load an RDF file into an in-memory store.

    ``path`` is a folder holding ``store/`` (opened read-only), a pyoxigraph
    store folder itself, a folder holding only ``graph.trig``/``graph.ttl``,
    or an RDF file (.ttl .trig .nq .nt .jsonld .rdf). TriG and N-Quads keep
    their named graphs; Turtle and N-Triples land in the default graph.
    The default graph also holds the union of the named graphs (see
    `_add_union`), so a query without ``GRAPH`` sees every fact once.

    When ``store/`` is missing because a build was killed while swapping it,
    the previous store it set aside is opened (see `_previous_store`).

    Raises UsageError when there is nothing there, InputError when a file
    does not parse.

    >>> open_store("tests/data/sample.trig")  # doctest: +SKIP
    """
    p = Path(path)
    if p.is_dir():
        if _is_store_dir(p / STORE_DIR):
            return _open_disk(p / STORE_DIR)
        if _is_store_dir(p):
            return _open_disk(p)
        previous = _previous_store(p)
        if previous is not None:
            return _open_disk(previous)
        for name in _FOLDER_FILES:
            if (p / name).is_file():
                return _load_file(p / name)
        raise _missing(p)
    if p.is_file():
        return _load_file(p)
    raise _missing(p)


def _previous_store(folder: Path) -> Path | None:
    """The complete store a swap set aside, when ``store/`` itself is gone.

    A store folder is replaced by two renames (``store`` → ``store.old``,
    then the new one → ``store``); a build killed between them leaves only
    ``store.old`` (`kg.build`) or ``store.old-<pid>`` (`write_store`), which
    still holds the previous graph whole.
    """
    olds = [d for d in folder.glob(f"{STORE_DIR}.old*") if _is_store_dir(d)]
    return max(olds, key=lambda d: d.stat().st_mtime) if olds else None


def _to_ox(term: Any):
    """An rdflib (or pyoxigraph) term as a pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph)):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _quads_from(data: Any) -> Iterable["pyoxigraph.Quad"]:
    """Quads from an rdflib Dataset/Graph, a pyoxigraph Store/Dataset, or an
    iterable of pyoxigraph Quads/Triples or (s, p, o[, g]) tuples of terms."""
    import pyoxigraph as ox

    try:
        import rdflib
    except ImportError:  # pragma: no cover
        rdflib = None
    if rdflib is not None and isinstance(data, rdflib.Graph):
        default_ids = {_RDFLIB_DEFAULT, str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)}
        if isinstance(data, rdflib.ConjunctiveGraph):  # Dataset too
            default = getattr(data, "default_graph", None)
            if default is None:  # rdflib < 7.1
                default = data.default_context
            default_ids.add(str(default.identifier))
            for s, p, o, g in data.quads((None, None, None, None)):
                gid = getattr(g, "identifier", g)
                graph = ox.DefaultGraph() if gid is None or str(gid) in default_ids else _to_ox(gid)
                yield ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph)
        else:
            for s, p, o in data:
                yield ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.DefaultGraph())
        return
    for q in data:
        if isinstance(q, ox.Quad):
            yield q
        elif isinstance(q, ox.Triple):
            yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        elif isinstance(q, tuple) and len(q) == 4:  # (s, p, o, graph) as kg.graph yields
            g = getattr(q[3], "identifier", q[3])
            graph = ox.DefaultGraph() if g is None or str(g) == _RDFLIB_DEFAULT else _to_ox(g)
            yield ox.Quad(_to_ox(q[0]), _to_ox(q[1]), _to_ox(q[2]), graph)
        elif isinstance(q, tuple) and len(q) == 3:
            yield ox.Quad(_to_ox(q[0]), _to_ox(q[1]), _to_ox(q[2]), ox.DefaultGraph())
        else:
            raise TypeError(f"not a quad: {q!r}")


def write_store(dataset_quads: Any, folder: str | os.PathLike[str]) -> "pyoxigraph.Store":
    """Write a fresh on-disk store at ``folder/store``; return it opened read-only.

    ``folder`` is the build output folder, not the store folder itself.
    ``dataset_quads`` is an rdflib Dataset or Graph, a pyoxigraph Store or
    Dataset, an iterable of pyoxigraph Quads or of (s, p, o, graph) tuples
    of rdflib terms (as `kg.graph.quads` yields), or the path of an RDF file
    (parsed by pyoxigraph's bulk loader, the fastest way in).

    The default graph receives the union of the named graphs, as in
    `open_store`. The store is built beside the old one
    (``store.tmp-<pid>``) and renamed into place only when complete, so a
    failed build leaves the previous store readable.
    """
    import pyoxigraph as ox

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / STORE_DIR
    tmp = folder / f"{STORE_DIR}.tmp-{os.getpid()}"
    old = folder / f"{STORE_DIR}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        if isinstance(dataset_quads, (str, os.PathLike)):
            src = Path(dataset_quads)
            try:
                store.bulk_load(path=str(src), format=_rdf_format(src))
            except SyntaxError as e:
                raise InputError(str(src), f"not valid RDF: {_syntax_message(e)}") from e
        else:
            store.bulk_extend(_quads_from(dataset_quads))
        _add_union(store)
        store.flush()
        # RocksDB closes when the last reference goes; it must be closed
        # before the folder moves.
        del store
        if final.exists():
            os.replace(final, old)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not final.exists():
            os.replace(old, final)
        raise
    # with the new store in place, every set-aside store is debris, this
    # swap's and any a killed one left
    for stale in folder.glob(f"{STORE_DIR}.old*"):
        shutil.rmtree(stale, ignore_errors=True)
    return _open_disk(final)


def count_triples(store: "pyoxigraph.Store") -> int:
    """Distinct triples over all graphs (each fact once, whatever its sources)."""
    from .query import run_query

    result = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    return int(result.rows[0][0].value)


def to_rdflib(store: "pyoxigraph.Store") -> "rdflib.Dataset":
    """A pyoxigraph store as an rdflib Dataset (``default_union=True``),
    with the named graphs as written (see `dataset_quads`)."""
    import pyoxigraph as ox
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    data = ox.serialize(dataset_quads(store), format=ox.RdfFormat.N_QUADS)
    ds.parse(data=data.decode("utf-8"), format="nquads")
    return ds


def dataset_quads(store: "pyoxigraph.Store") -> Iterable["pyoxigraph.Quad"]:
    """The quads of the dataset as written: every named-graph quad, and the
    default-graph triples that are not in any named graph (the union copy
    `open_store` and `write_store` keep in the default graph is left out).
    """
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    for q in store.quads_for_pattern(None, None, None, None):
        if q.graph_name != default:
            yield q
        elif not any(
            other.graph_name != default
            for other in store.quads_for_pattern(q.subject, q.predicate, q.object, None)
        ):
            yield q


def load_rdflib(path: str | os.PathLike[str]) -> "rdflib.Dataset":
    """The graph at ``path`` (as for `open_store`) as an rdflib Dataset.

    The Dataset has ``default_union=True``: graph-level code (the HTML view,
    GraphML export) sees every triple without caring about named graphs.
    """
    import rdflib

    p = Path(path)
    ds = rdflib.Dataset(default_union=True)
    src: Path | None = None
    if p.is_file():
        src = p
    elif p.is_dir():
        src = next((p / n for n in _FOLDER_FILES if (p / n).is_file()), None)
    if src is not None:
        try:
            fmt = _FORMATS[src.suffix.lower()][1]
        except KeyError:
            raise UsageError(f"{src}: not an RDF file I can read") from None
        try:
            ds.parse(str(src), format=fmt)
        except Exception as e:  # rdflib raises many parser-specific kinds
            detail = " ".join(str(e).split())  # one line, however the parser writes it
            raise InputError(str(src), f"not valid {fmt}: {detail[:300]}") from e
        return ds
    # a folder with only a store: go through N-Quads, which keeps the graphs
    return to_rdflib(open_store(p))
