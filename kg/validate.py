"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pyshacl).

Violations come back as small records with the focus node's label, so that a
user reads "观测 …: an observation needs one value" rather than a report graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SHAPES = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.label or self.focus}{where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]


def validate_graph(graph) -> ValidationReport:
    """Validate an rdflib Graph or Dataset (its union) against the shapes."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDFS, SH, SKOS

    data = Graph()
    for prefix, ns in graph.namespaces():
        data.bind(prefix, ns)
    for triple in graph.triples((None, None, None)) if not hasattr(graph, "quads") else ((s, p, o) for s, p, o, _ in graph.quads()):
        data.add(triple)
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        msgs = [m for m in report.objects(result, SH.resultMessage)]
        msg = next((str(m) for m in msgs if getattr(m, "language", None) == "en"), str(msgs[0]) if msgs else "")
        label = data.value(focus, SKOS.prefLabel) or data.value(focus, RDFS.label) or ""
        out.append(Violation(str(focus), str(label), _short(path, data), msg))
    out.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), tuple(out))


def validate(path) -> ValidationReport:
    """Validate the graph of a build folder or RDF file."""
    from .store import load_rdflib

    return validate_graph(load_rdflib(path))


def _short(term, graph) -> str:
    if term is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:  # a path that is not an IRI (a sequence path)
        return str(term)
