"""SHACL validation: the sample graph conforms; a broken observation is named."""

from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import SKOS

from kg.validate import validate, validate_graph

SAMPLE = Path(__file__).parent / "data" / "sample.trig"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
KG = "https://w3id.org/cnaikg/ns#"


def _sample() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(SAMPLE, format="trig")
    return ds


def test_sample_conforms():
    report = validate(SAMPLE)
    assert report.conforms, [v.line() for v in report.violations]


def test_observation_without_value_is_named():
    ds = _sample()
    obs = next(s for s, _, _ in ds.triples((None, URIRef(SDMX_MEASURE), None)))
    ds.remove((obs, URIRef(SDMX_MEASURE), None))
    report = validate_graph(ds)
    assert not report.conforms
    assert any(v.focus == str(obs) and "value" in v.message for v in report.violations)
    assert all(v.line() for v in report.violations)


def test_wrong_qualifier_and_missing_label():
    ds = _sample()
    obs = next(s for s, _, _ in ds.triples((None, URIRef(KG + "qualifier"), None)))
    ds.remove((obs, URIRef(KG + "qualifier"), None))
    ds.add((obs, URIRef(KG + "qualifier"), URIRef(KG + "roughly")))
    person = next(s for s, _, o in ds.triples((None, None, URIRef("https://schema.org/Person"))))
    ds.remove((person, SKOS.prefLabel, None))
    report = validate_graph(ds)
    messages = {(v.focus, v.message) for v in report.violations}
    assert any(f == str(obs) and "qualifier" in m for f, m in messages)
    assert any(f == str(person) and "label" in m for f, m in messages)
