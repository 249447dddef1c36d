"""One entity per real thing across articles, and never two things made one."""

from __future__ import annotations

from kg import types as t
from kg.resolve import resolve
from kg.types import Document, Entity, Evidence, Extraction, Membership, Observation, Quantity, Relation


def _doc(doc_id: str) -> Document:
    return Document(doc_id=doc_id, path=f"{doc_id}.txt", text="", paragraphs=())


def _ev(doc_id: str) -> Evidence:
    return Evidence(doc_id, 0, 0, "", "test")


def _ex(doc_id: str, *entities: Entity, **facts) -> Extraction:
    return Extraction(document=_doc(doc_id), entities={e.key: e for e in entities}, **facts)


def test_same_key_in_two_articles_is_one_entity():
    a = _ex("a", Entity("江西省", t.PROVINCE, ("江西",), "Jiangxi", confidence=1.0))
    b = _ex("b", Entity("江西省", t.PROVINCE, (), confidence=0.95))
    out, table = resolve([a, b])
    assert list(table) == ["江西省"]
    e = table["江西省"]
    assert e.kind == t.PROVINCE
    assert e.aliases == ("江西",)
    assert e.label_en == "Jiangxi"
    assert e.confidence == 1.0
    assert [list(ex.entities) for ex in out] == [["江西省"], ["江西省"]]


def test_legal_name_and_its_short_form_merge():
    legal = Entity("星河智能科技股份有限公司", t.COMPANY, ("星河智能",), confidence=0.9, rule="pattern.org-suffix")
    short = Entity("星河智能", t.COMPANY, (), confidence=0.7, rule="company.appositive")
    obs = Observation("星河智能", "营收", Quantity(0, 0, "3560000000", "CNY"), None, "reported", _ev("b"))
    out, table = resolve([_ex("a", legal), _ex("b", short, observations=[obs])])
    assert set(table) == {"星河智能科技股份有限公司"}
    assert table["星河智能科技股份有限公司"].aliases == ("星河智能",)
    assert table["星河智能科技股份有限公司"].rule == "pattern.org-suffix"
    # every fact of the other article now names the canonical key
    assert out[1].observations[0].area == "星河智能科技股份有限公司"
    assert list(out[1].entities) == ["星河智能科技股份有限公司"]


def test_merge_does_not_depend_on_article_order():
    legal = Entity("星河智能科技股份有限公司", t.COMPANY, ("星河智能",), confidence=0.9)
    short = Entity("星河智能", t.COMPANY, (), confidence=0.7)
    _, t1 = resolve([_ex("a", legal), _ex("b", short)])
    _, t2 = resolve([_ex("b", short), _ex("a", legal)])
    assert t1 == t2


def test_unit_alias_that_ends_its_parent_never_merges_ministries():
    # 科技司 is the short name of both; as an alias it is generic
    miit = Entity("工业和信息化部科技司", t.GOVERNMENT, ("工信部科技司", "科技司"), confidence=0.9)
    moe = Entity("教育部科技司", t.GOVERNMENT, ("科技司",), confidence=0.9)
    bare = Entity("科技司", t.GOVERNMENT, (), confidence=0.6)
    out, table = resolve([_ex("a", miit), _ex("b", moe), _ex("c", bare)])
    assert {"工业和信息化部科技司", "教育部科技司", "科技司"} <= set(table)
    assert [list(ex.entities) for ex in out] == [["工业和信息化部科技司"], ["教育部科技司"], ["科技司"]]


def test_places_and_organisations_do_not_merge():
    # a place and a body may share a name form; kinds of different groups stay apart
    city = Entity("南昌市", t.CITY, ("南昌",))
    org = Entity("南昌", t.COMPANY, ())
    _, table = resolve([_ex("a", city), _ex("b", org)])
    assert table["南昌市"].kind == t.CITY
    assert table["南昌"].kind == t.COMPANY


def test_the_more_specific_kind_wins():
    a = Entity("江南智能实验室", t.ORGANIZATION, (), confidence=0.9)
    b = Entity("江南智能实验室", t.RESEARCH, (), confidence=0.9)
    _, table = resolve([_ex("a", a), _ex("b", b)])
    assert table["江南智能实验室"].kind == t.RESEARCH


def test_memberships_and_relations_are_rewritten():
    legal = Entity("星河智能科技股份有限公司", t.COMPANY, ("星河智能",), confidence=0.9)
    short = Entity("星河智能", t.COMPANY, (), confidence=0.7)
    person = Entity("周立新", t.PERSON, (), confidence=0.9)
    city = Entity("南昌市", t.CITY, ())
    b = _ex(
        "b", short, person, city,
        memberships=[Membership("周立新", "董事长", "星河智能", _ev("b"))],
        relations=[Relation("星河智能", "locatedIn", "南昌市", _ev("b"))],
    )
    out, table = resolve([_ex("a", legal), b])
    assert out[1].memberships[0].organization == "星河智能科技股份有限公司"
    assert out[1].relations[0].subject == "星河智能科技股份有限公司"
    assert table["周立新"].label_en == "Zhou Lixin"


def test_resolve_across_extracted_articles(run):
    a = run("星河智能科技股份有限公司发布年报，公司全年营业收入达到35.6亿元。", "2025-03-01", doc_id="a")
    b = run("人工智能企业星河智能表示，将加大研发投入。", "2025-03-01", doc_id="b")
    c = run("工信部科技司副司长刘某某表示，要加快发展。", doc_id="c")
    d = run("教育部科技司司长李某某表示，要加快发展。", doc_id="d")
    out, table = resolve([a, b, c, d])
    assert "星河智能" not in table
    assert "星河智能" in table["星河智能科技股份有限公司"].aliases
    assert "星河智能科技股份有限公司" in out[1].entities
    assert {"工业和信息化部科技司", "教育部科技司"} <= set(table)
    assert {m.organization for ex in out for m in ex.memberships} == {"工业和信息化部科技司", "教育部科技司"}


def test_short_name_given_in_the_article_joins_its_legal_name(run):
    # 以下简称“星河公司”, then 星河公司董事长…: after resolve the post is at the legal name
    ex = run("南昌市的南昌星河智能科技有限公司(以下简称“星河公司”)发布新品。星河公司董事长周立新表示，营收增长。")
    out, table = resolve([ex])
    assert {(m.person, m.role, m.organization) for m in out[0].memberships} == {
        ("周立新", "董事长", "南昌星河智能科技有限公司")
    }
    assert "星河公司" in table["南昌星河智能科技有限公司"].aliases
