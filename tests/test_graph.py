"""Extractions → RDF: the classes and properties of ontology/MODEL.md, with provenance."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from kg import types as t
from kg.graph import decimal_literal, period_literal, quads
from kg.ingest import read_document
from kg.resolve import resolve
from kg.vocab import CLASS_OF_KIND, DEFAULT_BASE, KG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, Minter

ARTICLE = (
    "江西省工业和信息化厅副厅长张某某表示，2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。\n"
    "6月18日，江西省工业和信息化厅印发《江西省促进人工智能产业发展若干措施》。\n"
    "星河智能科技有限公司总部位于浙江省杭州市，公司董事长兼总经理周立新表示，到2027年，公司营收力争突破50亿元。\n"
    "截至2024年6月底，江西省已建成5G基站2.1万个。\n"
    "2024年5月20日，江西省工业和信息化厅举行新闻发布会。\n"
    "记者 张三丰"
)
SECOND = "工信部科技司副司长刘某某表示，我国人工智能企业数量超过4500家。"

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
CLASSES = set(CLASS_OF_KIND.values())


@pytest.fixture(scope="module")
def built(run):
    exs = [run(ARTICLE, "2025-03-01", doc_id="a1"), run(SECOND, "2024-06-01", doc_id="a2")]
    resolved, table = resolve(exs)
    qs = list(quads(resolved, table, Minter()))
    return resolved, table, qs


@pytest.fixture(scope="module")
def union(built) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _ in built[2]:
        g.add((s, p, o))
    return g


def _zh(g, node) -> str:
    return next(str(o) for o in g.objects(node, SKOS.prefLabel) if o.language == "zh")


def test_every_quad_is_in_its_article_graph(built):
    resolved, _, qs = built
    graphs = {Minter().graph(ex.document.doc_id) for ex in resolved}
    assert {g for *_, g in qs} == graphs


def test_article_node(union):
    art = URIRef(DEFAULT_BASE + "article/a1")
    assert (art, RDF.type, SCHEMA.NewsArticle) in union
    assert (art, RDF.type, PROV.Entity) in union
    assert (art, SCHEMA.datePublished, Literal("2025-03-01", datatype=XSD.date)) in union
    assert (art, KG.sourcePath, Literal("a1.txt")) in union


def test_each_entity_has_exactly_one_class_of_its_kind(built, union):
    _, table, _ = built
    m = Minter()
    for key, e in table.items():
        node = m.entity(e.kind, key)
        classes = set(union.objects(node, RDF.type)) & CLASSES
        assert classes == {CLASS_OF_KIND[e.kind]}, key
        assert (node, RDFS.label, Literal(key, lang="zh")) in union
        assert (node, SKOS.prefLabel, Literal(key, lang="zh")) in union


@pytest.mark.parametrize(
    "kind,key,segment",
    [
        (t.PERSON, "张某某", "person"),
        (t.GOVERNMENT, "江西省工业和信息化厅", "org"),
        (t.COMPANY, "星河智能科技有限公司", "org"),
        (t.PROVINCE, "江西省", "place"),
        (t.CITY, "杭州市", "place"),
        (t.POLICY, "江西省促进人工智能产业发展若干措施", "policy"),
        (t.EVENT, "江西省工业和信息化厅新闻发布会", "event"),
    ],
)
def test_entity_iris(union, kind, key, segment):
    node = Minter().entity(kind, key)
    assert str(node).startswith(f"{DEFAULT_BASE}{segment}/")
    assert (node, RDF.type, CLASS_OF_KIND[kind]) in union


def test_short_forms_are_alt_labels(union):
    node = Minter().entity(t.COMPANY, "星河智能科技有限公司")
    assert (node, SKOS.altLabel, Literal("星河智能", lang="zh")) in union


def test_membership(union):
    m = Minter()
    person = m.entity(t.PERSON, "张某某")
    org = m.entity(t.GOVERNMENT, "江西省工业和信息化厅")
    assert (person, ORG.memberOf, org) in union
    ms = m.membership("张某某", "副厅长", "江西省工业和信息化厅")
    assert (ms, RDF.type, ORG.Membership) in union
    assert (ms, ORG.member, person) in union
    assert (ms, ORG.organization, org) in union
    role = m.role("副厅长")
    assert (ms, ORG.role, role) in union
    assert (role, RDF.type, ORG.Role) in union
    assert (role, SKOS.prefLabel, Literal("副厅长", lang="zh")) in union
    assert len(list(union.objects(ms, PROV.wasDerivedFrom))) == 1


def test_title_without_organisation_is_a_job_title(union):
    person = Minter().entity(t.PERSON, "张三丰")
    assert (person, SCHEMA.jobTitle, Literal("记者", lang="zh")) in union
    assert not list(union.objects(person, ORG.memberOf))


@pytest.mark.parametrize(
    "s_kind,s,prop,o_kind,o",
    [
        (t.CITY, "杭州市", SCHEMA.containedInPlace, t.PROVINCE, "浙江省"),
        (t.COMPANY, "星河智能科技有限公司", SCHEMA.location, t.CITY, "杭州市"),
        (t.GOVERNMENT, "工业和信息化部科技司", ORG.subOrganizationOf, t.GOVERNMENT, "工业和信息化部"),
        # a policy names its publisher
        (t.POLICY, "江西省促进人工智能产业发展若干措施", SCHEMA.publisher, t.GOVERNMENT, "江西省工业和信息化厅"),
        (t.EVENT, "江西省工业和信息化厅新闻发布会", SCHEMA.organizer, t.GOVERNMENT, "江西省工业和信息化厅"),
    ],
)
def test_relation_triples(union, s_kind, s, prop, o_kind, o):
    m = Minter()
    assert (m.entity(s_kind, s), prop, m.entity(o_kind, o)) in union


def test_policy_and_event_dates(union):
    m = Minter()
    policy = m.entity(t.POLICY, "江西省促进人工智能产业发展若干措施")
    assert (policy, SCHEMA.name, Literal("江西省促进人工智能产业发展若干措施", lang="zh")) in union
    assert (policy, SCHEMA.datePublished, Literal("2025-06-18", datatype=XSD.date)) in union
    event = m.entity(t.EVENT, "江西省工业和信息化厅新闻发布会")
    assert (event, SCHEMA.startDate, Literal("2024-05-20", datatype=XSD.date)) in union


def test_observations(built, union):
    resolved, _, _ = built
    obs = list(union.subjects(RDF.type, QB.Observation))
    assert len(obs) == sum(len(ex.observations) for ex in resolved) == 5
    for o in obs:
        assert (o, QB.dataSet, URIRef(DEFAULT_BASE + "dataset/observations")) in union
        area = union.value(o, SDMX_DIM.refArea)
        assert set(union.objects(area, RDF.type)) & CLASSES
        ind = union.value(o, KG.indicator)
        assert (ind, RDF.type, SKOS.Concept) in union and (ind, SKOS.inScheme, KG.indicators) in union
        value = union.value(o, SDMX_MEASURE.obsValue)
        assert value.datatype == XSD.decimal
        assert PLAIN_DECIMAL.fullmatch(str(value)), str(value)
        unit = union.value(o, SDMX_ATTR.unitMeasure)
        assert (unit, SKOS.inScheme, KG.units) in union and union.value(unit, SKOS.notation) is not None
        assert union.value(o, KG.qualifier) in {KG[q] for q in t.QUALIFIERS}
        assert union.value(o, KG.status) in {KG[s] for s in t.STATUSES}
        assert union.value(o, KG.rule) is not None
        assert 0 <= Decimal(str(union.value(o, KG.confidence))) <= 1


def test_observation_values(union):
    def find(value: str):
        for o in union.subjects(SDMX_MEASURE.obsValue, Literal(value, datatype=XSD.decimal, normalize=False)):
            return o
        raise AssertionError(f"no observation of {value}")

    o = find("120000000000")
    assert _zh(union, union.value(o, SDMX_DIM.refArea)) == "江西省"
    assert union.value(o, SDMX_DIM.refPeriod) == Literal("2024", datatype=XSD.gYear)
    assert str(union.value(union.value(o, SDMX_ATTR.unitMeasure), SKOS.notation)) == "CNY"
    assert union.value(o, KG.qualifier) == KG.exact and union.value(o, KG.status) == KG.reported
    o = find("5000000000")
    assert union.value(o, KG.qualifier) == KG.atLeast and union.value(o, KG.status) == KG.target
    o = find("21000")
    assert union.value(o, SDMX_DIM.refPeriod) == Literal("2024-06", datatype=XSD.gYearMonth)
    o = find("15.2")
    assert str(union.value(union.value(o, SDMX_ATTR.unitMeasure), SKOS.notation)) == "%"


def test_every_fact_points_to_a_sentence_of_its_article(built, union):
    resolved, _, _ = built
    texts = {str(Minter().article(ex.document.doc_id)): ex.document.text for ex in resolved}
    facts = list(union.subjects(RDF.type, QB.Observation)) + list(union.subjects(RDF.type, ORG.Membership))
    assert facts
    for fact in facts:
        sentence = union.value(fact, PROV.wasDerivedFrom)
        assert (sentence, RDF.type, KG.Sentence) in union
        text = str(union.value(sentence, SCHEMA.text))
        doc = texts[str(union.value(sentence, SCHEMA.isPartOf))]
        start, end = int(union.value(sentence, KG.startChar)), int(union.value(sentence, KG.endChar))
        assert text and text in doc
        assert doc[start:end] == text


def test_min_confidence_leaves_out_guesses(built):
    resolved, table, _ = built
    strict = list(quads(resolved, table, Minter(), min_confidence=0.95))
    nodes = {s for s, *_ in strict}
    m = Minter()
    # the province is read from the lexicon (1.0); a person after a title is a 0.9 guess
    assert m.entity(t.PROVINCE, "江西省") in nodes
    assert m.entity(t.PERSON, "张某某") not in nodes
    assert not any(p == ORG.memberOf for _, p, _, _ in strict)


def test_base_iri(built):
    resolved, table, _ = built
    qs = list(quads(resolved, table, Minter("http://example.org/kg")))
    assert all(str(s).startswith("http://example.org/kg/") for s, *_ in qs)


def test_turtle_export_parses(built):
    from kg.build import memory_store
    from kg.export import export

    _, _, qs = built
    data = export(memory_store(qs), "turtle")
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format="turtle")
    assert len(g) == len({(s, p, o) for s, p, o, _ in qs})
    for value in g.objects(None, SDMX_MEASURE.obsValue):
        assert value.datatype == XSD.decimal and PLAIN_DECIMAL.fullmatch(str(value))


@pytest.mark.parametrize(
    "value,lexical",
    [("580000000000", "580000000000"), ("1.2E+11", "120000000000"), ("15.2", "15.2"), ("0.5", "0.5"), ("7", "7")],
)
def test_decimal_literal_is_plain(value, lexical):
    lit = decimal_literal(value)
    assert str(lit) == lexical and lit.datatype == XSD.decimal


@pytest.mark.parametrize(
    "period,datatype",
    [("2024", "gYear"), ("2024-06", "gYearMonth"), ("2024-12-31", "date"), ("2025-Q1", None)],
)
def test_period_literal(period, datatype):
    lit = period_literal(period)
    assert str(lit) == period
    assert lit.datatype == (XSD[datatype] if datatype else None)


def test_seed_observations_are_derived_from_sentences_of_their_article(seeds_build):
    """In the built seeds graph, every observation's sentence is text of its article."""
    _, out = seeds_build
    ds = rdflib.Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    texts = {}
    for path in sorted(SEEDS.iterdir()):
        doc = read_document(path, root=SEEDS.parent)
        texts[str(Minter().article(doc.doc_id))] = doc.text
    seen = 0
    for o in ds.subjects(RDF.type, QB.Observation):
        seen += 1
        sentence = ds.value(o, PROV.wasDerivedFrom)
        assert sentence is not None
        text = str(ds.value(sentence, SCHEMA.text))
        doc = texts[str(ds.value(sentence, SCHEMA.isPartOf))]
        assert text in doc
        start, end = int(ds.value(sentence, KG.startChar)), int(ds.value(sentence, KG.endChar))
        assert doc[start:end] == text
    assert seen >= 20
