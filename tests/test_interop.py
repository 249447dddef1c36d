"""A graph other tools trust: independent parsers, the ontology behind every term, --base."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg import query, store
from kg.build import build

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"
KG = "https://w3id.org/cnaikg/ns#"

rapper_required = os.environ.get("CI") == "true"


def _stats(out) -> dict[str, int]:
    result = query.run_named(store.open_store(out), "stats")
    return {r[0].value: int(r[1].value) for r in result.rows}


@pytest.mark.skipif(shutil.which("rapper") is None and not rapper_required,
                    reason="rapper (Debian raptor2-utils) is not installed; .ci/run installs it")
@pytest.mark.parametrize("name,syntax,kind", [("graph.ttl", "turtle", "triples"), ("graph.trig", "trig", "quads")])
def test_rapper_counts_what_kg_stats_reports(seeds_build, name, syntax, kind):
    out = seeds_build[1]
    done = subprocess.run(["rapper", "-i", syntax, "-c", str(out / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    counted = int(done.stderr.strip().splitlines()[-1].split("returned")[1].split()[0])
    assert counted == _stats(out)[kind]


def test_every_term_of_ours_is_defined_with_both_labels(seeds_build):
    data = Graph().parse(seeds_build[1] / "graph.ttl")
    onto = Graph().parse(ONTOLOGY)
    used = {t for triple in data for t in triple if isinstance(t, URIRef) and str(t).startswith(KG)}
    used |= {o for _, _, o in data.triples((None, RDF.type, None)) if str(o).startswith(KG)}
    assert used, "the graph uses no kg: term"
    for term in sorted(used):
        defined = set(onto.objects(term, RDF.type))
        assert defined, f"{term} is not defined in ontology/kg.ttl"
        langs = {lit.language for lit in onto.objects(term, RDFS.label)} | {
            lit.language for lit in onto.objects(term, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
        assert {"zh", "en"} <= langs, f"{term} needs zh and en labels"
        assert list(onto.objects(term, RDFS.comment)), f"{term} needs a comment"


def test_our_classes_refine_standard_ones():
    onto = Graph().parse(ONTOLOGY)
    for cls in onto.subjects(RDF.type, OWL.Class):
        supers = list(onto.objects(cls, RDFS.subClassOf))
        assert supers and all(not str(s).startswith(KG) for s in supers), cls


def test_base_changes_every_data_iri(tmp_path):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    one = sorted(seeds.glob("*.txt"))[:1]
    build(one, tmp_path, base="http://example.org/kg/", html=False, validate=False)
    text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    assert "http://example.org/kg/article/" in text
    assert "https://w3id.org/cnaikg/id/" not in text
