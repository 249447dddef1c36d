"""Write the graph in other formats: RDF serialisations and GraphML.

Output is deterministic (sorted statements, fixed prefixes), so two exports
of the same graph are byte-identical and a diff between builds means
something. Files are written to a temporary name beside the target and moved
into place, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pyoxigraph

FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "graphml")
SUFFIX = {
    "turtle": ".ttl",
    "trig": ".trig",
    "nquads": ".nq",
    "ntriples": ".nt",
    "jsonld": ".jsonld",
    "graphml": ".graphml",
}

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _prefixes() -> dict[str, str]:
    from .vocab import PREFIXES

    return {name: str(ns) for name, ns in PREFIXES.items()}


def _triple_key(t: Any) -> tuple:
    # N-Triples text of each term; rdf:type first in each subject block, as
    # people write Turtle
    return (str(t.subject), t.predicate.value != _RDF_TYPE, str(t.predicate), str(t.object))


def union_triples(store: "pyoxigraph.Store") -> list["pyoxigraph.Triple"]:
    """Every distinct triple of every graph, sorted."""
    import pyoxigraph as ox

    seen = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)}
    return sorted(seen, key=_triple_key)


def sorted_quads(store: "pyoxigraph.Store") -> list["pyoxigraph.Quad"]:
    """The dataset's quads (see `kg.store.dataset_quads`), grouped by graph
    (default graph first) and sorted."""
    import pyoxigraph as ox

    from .store import dataset_quads

    def key(q: Any) -> tuple:
        g = q.graph_name
        gk = (0, "") if isinstance(g, ox.DefaultGraph) else (1, str(g))
        return (gk, *_triple_key(q))

    return sorted(dataset_quads(store), key=key)


# -- by parts, for large builds: the same bytes as serialising the sorted list --
#
# A TriG serialiser groups statements by graph; fed one graph's sorted
# statements at a time, it writes the prefix lines and then exactly the text
# it would write for that graph inside the whole list. So `kg build` writes
# graph.trig graph by graph, in parallel, never sorting or holding it whole.

_RDF_FORMAT = {"turtle": "TURTLE", "trig": "TRIG"}


def _split_prefixes(data: bytes) -> tuple[bytes, bytes]:
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return data[:end], data[end:]


def prefix_header(fmt: str) -> bytes:
    """The ``@prefix`` lines that open a Turtle or TriG export."""
    import pyoxigraph as ox

    probe = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"), ox.NamedNode("urn:x:g"))
    data = ox.serialize([probe if fmt == "trig" else probe.triple], format=getattr(ox.RdfFormat, _RDF_FORMAT[fmt]),
                        prefixes=_prefixes())
    return _split_prefixes(data)[0]


def graph_block(nquads: str | bytes) -> bytes:
    """The TriG text of one named graph given as N-Quads, without the prefix
    lines: sorted as `sorted_quads` sorts, so that the blocks of all graphs
    in graph order after `prefix_header` make the export of `export`."""
    import pyoxigraph as ox

    # through a store, which writes literals of typed values in canonical
    # form (0.90 → 0.9) as every other export does
    mem = ox.Store()
    mem.load(nquads, format=ox.RdfFormat.N_QUADS)
    quads = sorted(mem, key=lambda q: (str(q.graph_name), *_triple_key(q)))
    if not quads:
        return b""
    return _split_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_prefixes()))[1]


def _atomic_write(out: Path, write: Callable[[Path], None]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    # same folder, so that the rename is atomic; a plain open (not mkstemp)
    # so the file gets the usual permissions
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _rdf_bytes(store: "pyoxigraph.Store", fmt: str) -> bytes:
    import pyoxigraph as ox

    if fmt == "turtle":
        return ox.serialize(union_triples(store), format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    if fmt == "ntriples":
        return ox.serialize(union_triples(store), format=ox.RdfFormat.N_TRIPLES)
    if fmt == "trig":
        return ox.serialize(sorted_quads(store), format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    if fmt == "nquads":
        return ox.serialize(sorted_quads(store), format=ox.RdfFormat.N_QUADS)
    if fmt == "jsonld":
        return _jsonld_bytes(store)
    raise AssertionError(fmt)


def _jsonld_bytes(store: "pyoxigraph.Store") -> bytes:
    # pyoxigraph writes JSON-LD with full IRIs only; rdflib compacts with a
    # @context, which is what makes JSON-LD worth reading.
    import pyoxigraph as ox
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=ox.serialize(sorted_quads(store), format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    text = ds.serialize(format="json-ld", context=_prefixes(), ensure_ascii=False)
    # rdflib emits nodes in set order; sort them (and multi-valued
    # properties, which are unordered in JSON-LD) so exports are repeatable.
    data = _sorted_jsonld(json.loads(text))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _sorted_jsonld(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        if key == "@list":  # an RDF list: order is meaning
            return items
        return sorted(
            items,
            key=lambda v: (
                v.get("@id", "") if isinstance(v, dict) else "",
                json.dumps(v, ensure_ascii=False, sort_keys=True),
            ),
        )
    return node


def to_networkx(store: "pyoxigraph.Store", *, observations: bool = False) -> "networkx.MultiDiGraph":
    """The entity graph: one node per entity, one edge per relation.

    Nodes are entity IRIs with ``type``, ``label`` and ``label_en``; edges
    carry ``label`` (the relation's plain name, as the `relations` query
    reports it) and ``sources`` (space-separated article IRIs). With
    ``observations``, each observation is a node of type ``Observation``
    with an edge ``refArea`` to its area.
    """
    import networkx as nx

    from .query import run_named

    g = nx.MultiDiGraph()
    for row in run_named(store, "entities").records():
        g.add_node(row["entity"], type=row["type"], label=row["label"], label_en=row["label_en"], kind="entity")
    sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for row in run_named(store, "relations").records():
        key = (row["subject"], row["relation"], row["object"])
        if row["source"]:
            sources[key].add(row["source"])
        else:
            sources.setdefault(key, set())
        names.setdefault(row["subject"], row["subject_name"])
        names.setdefault(row["object"], row["object_name"])
    for (s, rel, o), srcs in sorted(sources.items()):
        for node in (s, o):
            if node not in g:  # an endpoint with no entity class: keep the edge
                g.add_node(node, type="", label=names.get(node, ""), label_en="", kind="entity")
        g.add_edge(s, o, key=rel, label=rel, sources=" ".join(sorted(srcs)))
    if observations:
        result = run_named(store, "observations")
        for row in result.records():
            obs = row["observation"]
            label = f"{row['indicator']} {row['value']} {row['unit']}".strip()
            g.add_node(
                obs, type="Observation", label=label, label_en="", kind="observation",
                indicator=row["indicator"], value=row["value"], unit=row["unit"],
                qualifier=row["qualifier"], period=row["period"], status=row["status"],
            )
            if row["area"]:
                if row["area"] not in g:
                    g.add_node(row["area"], type="", label=row["area_name"], label_en="", kind="entity")
                g.add_edge(obs, row["area"], key="refArea", label="refArea", sources=row["source"])
    return g


def _graphml_bytes(store: "pyoxigraph.Store", observations: bool) -> bytes:
    import io

    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(to_networkx(store, observations=observations), buf, encoding="utf-8")
    return buf.getvalue()


def export(
    source: Union[str, os.PathLike[str], "pyoxigraph.Store"],
    fmt: str,
    out: Optional[Union[str, os.PathLike[str]]] = None,
    *,
    observations: bool = False,
) -> Union[Path, bytes]:
    """Export the graph at ``source`` (a path `open_store` accepts, or a store).

    ``fmt`` is one of `FORMATS`. Turtle and N-Triples hold the union of all
    article graphs (each triple once); TriG, N-Quads and JSON-LD keep the
    named graphs. GraphML is the entity graph of `to_networkx`
    (``observations`` adds observation nodes).

    Writes ``out`` atomically and returns its path; with ``out=None``
    returns the bytes. Raises UsageError for an unknown format.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")
    if isinstance(source, (str, os.PathLike)):
        from .store import open_store

        store = open_store(source)
    else:
        store = source
    data = _graphml_bytes(store, observations) if fmt == "graphml" else _rdf_bytes(store, fmt)
    if out is None:
        return data
    return _atomic_write(Path(out), lambda p: p.write_bytes(data))


def write(
    source: Union[str, os.PathLike[str], "pyoxigraph.Store"],
    fmt: str,
    out: Union[str, os.PathLike[str]],
    *,
    observations: bool = False,
) -> Path:
    """`export` to a file (``out`` required); returns the path written."""
    path = export(source, fmt, out, observations=observations)
    assert isinstance(path, Path)
    return path
