"""Bundled queries on the hand-made sample graph, and the query guard rails."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.query import (
    check_read_only,
    list_queries,
    parse_binding,
    resolve_query,
    run_named,
    run_query,
)
from kg.store import open_store

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample.trig"
B = "https://w3id.org/cnaikg/id/"
A1, A2 = B + "article/sample-001", B + "article/sample-002"


def iri(kind: str, name: str) -> str:
    return f"{B}{kind}/{quote(name)}"


ZHANG, WANG, LI = iri("person", "张明"), iri("person", "王芳"), iri("person", "李华")
MIIT, DEPT = iri("org", "工业和信息化部"), iri("org", "工业和信息化部科技司")
SPARK, ALLIANCE = iri("org", "星火智能科技有限公司"), iri("org", "中国人工智能产业发展联盟")
CHINA, ANHUI, HEFEI = iri("place", "中国"), iri("place", "安徽省"), iri("place", "合肥市")
POLICY = iri("policy", "人工智能产业创新发展行动计划")
EVENT = iri("event", "2024合肥人工智能大会")


@pytest.fixture(scope="module")
def store():
    return open_store(SAMPLE)


def rows(store, name):
    result = run_named(store, name)
    return result.columns, [tuple(r.values()) for r in result.records()]


def test_bundled_queries_are_listed_with_descriptions():
    listed = dict(list_queries())
    assert set(listed) == {"entities", "people", "observations", "relations", "indicators", "sources", "stats"}
    assert all(desc and "\n" not in desc for desc in listed.values())


def test_entities(store):
    cols, got = rows(store, "entities")
    assert cols == ["entity", "type", "label", "label_en"]
    assert got == [
        (HEFEI, "City", "合肥市", "Hefei"),
        (SPARK, "Company", "星火智能科技有限公司", "Spark AI <script>alert(1)</script>"),
        (CHINA, "Country", "中国", "China"),  # stated in both graphs, reported once
        (EVENT, "Event", "2024合肥人工智能大会", ""),
        (MIIT, "GovernmentOrganization", "工业和信息化部", "Ministry of Industry and Information Technology"),
        (DEPT, "GovernmentOrganization", "工业和信息化部科技司", ""),
        (ALLIANCE, "Organization", "中国人工智能产业发展联盟", "Artificial Intelligence Industry Alliance"),
        (ZHANG, "Person", "张明", "Zhang Ming"),
        (LI, "Person", "李华", "Li Hua"),
        (WANG, "Person", "王芳", ""),
        (POLICY, "Policy", "人工智能产业创新发展行动计划", ""),
        (ANHUI, "Province", "安徽省", "Anhui"),
    ]


def test_people(store):
    cols, got = rows(store, "people")
    assert cols == ["person", "name", "title", "organization", "org_name", "source"]
    assert got == [
        (ZHANG, "张明", "理事长", ALLIANCE, "中国人工智能产业发展联盟", A2),
        (ZHANG, "张明", "司长", DEPT, "工业和信息化部科技司", A1),
        (LI, "李华", "董事长", SPARK, "星火智能科技有限公司", A2),
        (WANG, "王芳", "记者", "", "", A1),
    ]


def test_observations(store):
    cols, got = rows(store, "observations")
    assert cols == [
        "observation", "area", "area_name", "indicator", "value", "unit",
        "qualifier", "period", "status", "source", "evidence",
    ]
    assert [r[1:10] for r in got] == [
        (CHINA, "中国", "人工智能企业数量", "4400", "家", "atLeast", "2023-12", "reported", A1),
        (CHINA, "中国", "人工智能核心产业规模", "580000000000", "CNY", "approx", "2023", "reported", A1),
        (HEFEI, "合肥市", "算力规模", "100", "EFLOPS", "exact", "", "target", A2),
        (ANHUI, "安徽省", "人工智能产业增速", "35", "%", "approx", "2024", "reported", A2),
    ]
    assert got[1][0] == B + "observation/3fb327ca9bef"
    assert got[1][10] == "工业和信息化部科技司司长张明介绍，2023年我国人工智能核心产业规模约5800亿元。"
    assert got[2][10] == "合肥市提出算力规模达到100 EFLOPS的目标。"


def test_relations(store):
    cols, got = rows(store, "relations")
    assert cols == ["subject", "subject_name", "relation", "object", "object_name", "source"]
    assert got == [
        (EVENT, "2024合肥人工智能大会", "heldIn", HEFEI, "合肥市", A2),
        (MIIT, "工业和信息化部", "issued", POLICY, "人工智能产业创新发展行动计划", A1),
        (HEFEI, "合肥市", "locatedIn", ANHUI, "安徽省", A2),
        (ANHUI, "安徽省", "locatedIn", CHINA, "中国", A2),
        (SPARK, "星火智能科技有限公司", "locatedIn", HEFEI, "合肥市", A2),
        (ZHANG, "张明", "memberOf", ALLIANCE, "中国人工智能产业发展联盟", A2),
        (ZHANG, "张明", "memberOf", DEPT, "工业和信息化部科技司", A1),
        (LI, "李华", "memberOf", SPARK, "星火智能科技有限公司", A2),
        (EVENT, "2024合肥人工智能大会", "organizer", ALLIANCE, "中国人工智能产业发展联盟", A2),
        (DEPT, "工业和信息化部科技司", "subOrganizationOf", MIIT, "工业和信息化部", A1),
    ]


def test_relations_one_row_per_source(tmp_path):
    # the same triple read from two articles is two rows, one per source
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "    # 人工智能产业创新发展行动计划\n",
        "    place:%E5%90%88%E8%82%A5%E5%B8%82 schema:containedInPlace place:%E5%AE%89%E5%BE%BD%E7%9C%81 .\n",
        1,
    )
    path = tmp_path / "two.trig"
    path.write_text(text, encoding="utf-8")
    got = [r for r in run_named(open_store(path), "relations").records() if r["subject"] == HEFEI]
    assert [(r["object"], r["source"]) for r in got] == [(ANHUI, A1), (ANHUI, A2)]


def test_indicators_sources_stats(store):
    cols, got = rows(store, "indicators")
    assert cols == ["indicator", "label", "observations"]
    assert [r[1:] for r in got] == [
        ("人工智能产业增速", "1"), ("人工智能企业数量", "1"), ("人工智能核心产业规模", "1"), ("算力规模", "1"),
    ]
    cols, got = rows(store, "sources")
    assert cols == ["article", "headline", "date", "path", "triples"]
    assert got == [
        (A1, "工信部：我国人工智能核心产业规模约5800亿元", "2024-07-05", "tests/data/sample-001.txt", "122"),
        (A2, "合肥：人工智能产业增速约35%，算力目标100 EFLOPS", "2025-01-10", "tests/data/sample-002.txt", "148"),
    ]
    cols, got = rows(store, "stats")
    assert cols == ["kind", "count"]
    assert dict(got) == {
        "articles": "2", "entities": "12", "graphs": "2", "indicators": "4",
        "memberships": "3", "observations": "4", "sentences": "8", "triples": "258",
        # each article graph's triples, as graph.trig holds them: 122 + 148
        "quads": "270",
    }
    assert [k for k, _ in got] == sorted(k for k, _ in got)


def test_turtle_input_has_no_graphs_but_answers(tmp_path):
    # a Turtle file puts everything in the default graph: queries still see it
    ttl = tmp_path / "g.ttl"
    open_store(SAMPLE).dump(str(ttl), ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(B + "graph/sample-002"))
    store = open_store(ttl)
    assert len(run_named(store, "entities")) == 8
    rel = run_named(store, "relations").records()
    assert len(rel) == 7 and all(r["source"] == "" for r in rel)
    obs = run_named(store, "observations").records()
    assert [r["source"] for r in obs] == [A2, A2]  # from the evidence sentence


def test_results_are_deterministic(store):
    for name, _ in list_queries():
        assert run_named(store, name).records() == run_named(store, name).records()


def test_resolve_query(tmp_path):
    assert resolve_query("people").startswith("# People")
    f = tmp_path / "mine.rq"
    f.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    assert resolve_query(str(f)).startswith("SELECT")
    assert resolve_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="unknown query 'nosuch'.*entities"):
        resolve_query("nosuch")
    with pytest.raises(QueryError, match="missing.rq: no such query file"):
        resolve_query(str(tmp_path / "missing.rq"))


def test_bindings_go_through_the_engine(store):
    q = "SELECT ?e ?name WHERE { ?e skos:prefLabel ?l FILTER(STR(?l) = ?name) }"
    got = run_query(store, q, bindings={"name": "合肥市"}).records()
    assert {r["e"] for r in got} == {HEFEI}
    # text that would break out of a pasted query is just a value here
    assert len(run_query(store, q, bindings={"name": '") } DROP ALL #'})) == 0
    got = run_query(store, "SELECT ?e ?l WHERE { ?e skos:prefLabel ?l }", bindings={"?e": parse_binding(HEFEI)})
    assert sorted(r["l"] for r in got.records()) == ["Hefei", "合肥市"]
    with pytest.raises(QueryError, match="nope"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", bindings={"nope": 1})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<http://x/y>", ox.NamedNode("http://x/y")),
        ("https://w3id.org/cnaikg/id/place/x", ox.NamedNode("https://w3id.org/cnaikg/id/place/x")),
        ('"合肥市"@zh', ox.Literal("合肥市", language="zh")),
        ("42", ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ("合肥市", ox.Literal("合肥市")),
    ],
)
def test_parse_binding(text, expected):
    assert parse_binding(text) == expected


@pytest.mark.parametrize(
    "sparql, line",
    [
        ("SELECT * WHERE { ?s ?p }", 1),
        ("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER( }", 4),
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER", 1),
    ],
)
def test_syntax_errors_say_where(store, sparql, line):
    # the column is pyoxigraph's, which points just past the offending token
    with pytest.raises(QueryError) as e:
        run_query(store, sparql)
    msg = str(e.value)
    assert re.match(rf"query: line {line}, column \d+ after '.+': expected ", msg), msg
    assert "\n" not in msg


def test_unknown_prefix_is_named(store):
    with pytest.raises(QueryError, match="unknown prefix"):
        run_query(store, "SELECT ?s WHERE { ?s foo:bar ?o }")


def test_syntax_error_names_the_file(store, tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text("SELECT ?s WHERE {\n ?s ?p ?o .\n FILTER( }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"bad\.rq: line \d+, column \d+ after 'FILTER\( }'"):
        run_named(store, str(f))


@pytest.mark.parametrize(
    "sparql",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX ex: <http://ex/>\n# a comment with SELECT\ndelete where { ?s ?p ?o }",
        "LOAD <http://example.org/x.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://a>",
        "BASE <http://ex/> CREATE GRAPH <g>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ADD DEFAULT TO <http://g>",
        "MOVE <http://a> TO <http://b>",
        "COPY <http://a> TO <http://b>",
    ],
)
def test_updates_are_refused(store, sparql):
    with pytest.raises(QueryError, match="is a SPARQL update"):
        run_query(store, sparql)
    assert len(store) == 270 + 258


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE {\n ?s ?p ?o .\n service silent <http://x> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_unless_allowed(store, sparql):
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(store, sparql)
    check_read_only(sparql, allow_service=True)  # no complaint when allowed


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT ?insert ?service WHERE { BIND("DELETE SERVICE" AS ?insert) }',
        "SELECT ?s WHERE { ?s <http://x/SERVICE#insert> ?o }",
        "# INSERT\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
    ],
)
def test_keywords_in_names_strings_and_comments_are_fine(store, sparql):
    run_query(store, sparql)


def test_ask_and_construct(store):
    ask = run_query(store, "ASK { ?s a schema:Person }")
    assert ask.columns == ["ask"] and ask.records() == [{"ask": "true"}]
    con = run_query(store, "CONSTRUCT { ?s a schema:City } WHERE { ?s a schema:City }")
    assert con.columns == ["subject", "predicate", "object"]
    assert {r["subject"] for r in con.records()} == {HEFEI}


@pytest.mark.parametrize("name", [n for n, _ in list_queries()])
def test_bundled_queries_stand_alone(name):
    # they declare their own prefixes, so other SPARQL tools can run them
    list(ox.Store().query(resolve_query(name)))


def test_store_without_union_copy_still_answers():
    # a store loaded by other means keeps only the named graphs
    bare = ox.Store()
    bare.load(path=str(SAMPLE))
    assert run_named(bare, "entities").records() == run_named(open_store(SAMPLE), "entities").records()
    assert run_named(bare, "relations").records() == run_named(open_store(SAMPLE), "relations").records()


@given(st.text(max_size=200))
def test_read_only_check_never_crashes(text):
    try:
        check_read_only(text)
    except QueryError:
        pass
