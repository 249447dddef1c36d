"""`pipeline.extract`: the contract every Extraction keeps, on invented text, real files and random text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import ingest, pipeline
from kg import types as t

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = (
    "江西省工业和信息化厅副厅长张某某表示，2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。\n"
    "南昌大学信息工程学院教授刘洋在会上说，要加快发展。\n"
    "星河智能科技有限公司总部位于浙江省杭州市，到2027年，公司营收力争突破50亿元。\n"
    "记者 张三丰"
)


def check_contract(ex: t.Extraction) -> None:
    """What `resolve` and `graph` rely on."""
    doc = ex.document
    ents = ex.entities
    for key, e in ents.items():
        assert e.key == key
        assert e.kind in t.ENTITY_KINDS, e
        assert 0 < e.confidence <= 1
    last_end = -1
    for m in ex.mentions:
        assert m.kind in t.ENTITY_KINDS
        assert m.key in ents
        assert doc.text[m.start : m.end] == m.text
        assert m.start >= last_end, "mentions overlap"
        last_end = m.end
    for ms in ex.memberships:
        assert ms.person in ents and ents[ms.person].kind == t.PERSON
        assert ms.role
        assert ms.organization == "" or ms.organization in ents
    for r in ex.relations:
        assert r.subject in ents and r.object in ents
        assert r.predicate in {"locatedIn", "subOrganizationOf", "issued", "organizer", "heldAt"}
    for o in ex.observations:
        assert o.area in ents
        assert o.status in t.STATUSES
        assert o.quantity.qualifier in t.QUALIFIERS
        Decimal(o.quantity.value)  # a plain decimal string
        assert "E" not in o.quantity.value.upper()
    for ev in [o.evidence for o in ex.observations] + [m.evidence for m in ex.memberships] + [
        r.evidence for r in ex.relations
    ]:
        assert doc.text[ev.start : ev.end] == ev.text
        assert ev.doc_id == doc.doc_id


def test_contract_on_an_invented_article(run):
    ex = run(ARTICLE, "2025-03-01")
    check_contract(ex)
    assert {e.kind for e in ex.entities.values()} >= {t.PERSON, t.GOVERNMENT, t.COMPANY, t.UNIVERSITY, t.PROVINCE}


def test_titles_are_not_entities(run):
    ex = run(ARTICLE, "2025-03-01")
    assert "副厅长" not in ex.entities and "教授" not in ex.entities


def test_name_inside_a_longer_name_is_not_declared(run):
    # 南昌 inside 南昌大学 is part of the university's name
    ex = run("南昌大学信息工程学院教授刘洋在会上说，要加快发展。")
    assert "南昌市" not in ex.entities


def test_extract_is_deterministic(doc_factory):
    doc = doc_factory(ARTICLE, "2025-03-01")
    assert pipeline.extract(doc) == pipeline.extract(doc)


@pytest.mark.parametrize("text", ["", "\n\n", "hello world", "。，、；", "1234567"])
def test_nothing_to_read(run, text):
    ex = run(text)
    check_contract(ex)
    assert ex.observations == [] and ex.memberships == []


def _articles() -> list[Path]:
    paths = ingest.iter_inputs([ROOT / "seeds", ROOT / "tests" / "data" / "dev"])
    return [p for p in paths if p.suffix.lower() in ingest.SUPPORTED and p.name != "README.md"]


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_contract_on_every_annotated_article(path):
    doc = ingest.read_document(path, root=ROOT)
    ex = pipeline.extract(doc)
    check_contract(ex)
    assert ex.entities


# Random articles assembled from the pieces the recognizers look for.
_PIECES = [
    "江西省", "南昌", "南昌市", "杭州", "余杭", "我国", "全省", "全市", "省", "市", "其中国家级",
    "工信部", "科技司", "工业和信息化厅", "发展和改革委员会", "人民政府", "高新区",
    "星河", "云帆", "数据", "智能", "科技有限公司", "股份有限公司", "大学", "学院", "研究院", "实验室", "中心",
    "副厅长", "院长", "董事长", "兼", "、", "记者", " ", "张某某", "欧阳明", "李", "说", "表示",
    "总部位于", "位于", "的", "印发", "《", "》", "新闻发布会", "博览会",
    "2024年", "去年底", "截至", "到2027年", "力争", "预计", "有望", "目前", "同比增长",
    "1200亿元", "15.2%", "超过", "约", "800家", "5个百分点", "百亿元", "(以下简称“", "”)",
    "，", "。", "\n",
]


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_extract_never_raises_and_keeps_the_contract(doc_factory, text):
    check_contract(pipeline.extract(doc_factory(text, "2025-03-01")))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.text(max_size=80))
def test_extract_on_arbitrary_text(doc_factory, text):
    check_contract(pipeline.extract(doc_factory(text)))


# Legal company names: a place or none, two invented name words, a legal suffix.
# A word holding a function character (数据, 鼎为) comes second: a name that
# opens with X为 reads as "X is …" and is ambiguous to a human reader too.
_COMPANY = st.tuples(
    st.sampled_from(["", "江西", "南昌", "苏州", "合肥"]),
    st.sampled_from(["星河", "云帆", "光年", "天工"]),
    st.sampled_from(["数据", "智能", "鼎为", "与创", "星河"]),
    st.sampled_from(["科技有限公司", "股份有限公司", "信息技术有限公司"]),
).filter(lambda p: p[1] != p[2]).map(lambda p: "".join(p))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_COMPANY)
def test_legal_company_name_is_read_whole(doc_factory, name):
    # whatever the words of the name, the whole legal name is the company
    ex = pipeline.extract(doc_factory(name + "发布了新品。"))
    check_contract(ex)
    assert ex.entities.get(name) is not None and ex.entities[name].kind == t.COMPANY
