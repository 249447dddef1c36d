from __future__ import annotations

import json
import math
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from kg import viz
from kg.errors import LexiconError, UsageError
from kg.vocab import CLASS_OF_KIND, KG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE

SAMPLE = Path(__file__).parent / "data" / "sample.trig"
ID = Namespace("https://w3id.org/cnaikg/id/")

HOSTILE_LABEL = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = '据<a href="javascript:alert(1)">javascript:alert(1)</a>报道，</script><script>alert(2)</script>'


# -- helpers ---------------------------------------------------------------------------


def embedded(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no embedded data block"
    return json.loads(m.group(1))


def strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def entity_nodes(data: dict) -> list[dict]:
    return [n for n in data["nodes"] if n["kind"] == "e"]


def labels(data: dict) -> set[str]:
    return {data["details"][n["id"]]["zh"] for n in entity_nodes(data)}


@pytest.fixture(scope="module")
def sample() -> Dataset:
    ds = Dataset()
    ds.parse(SAMPLE, format="trig")
    return ds


@pytest.fixture(scope="module")
def sample_page(sample, tmp_path_factory) -> tuple[viz.VizSummary, str]:
    out = tmp_path_factory.mktemp("viz") / "graph.html"
    summary = viz.render(sample, out)
    return summary, out.read_text(encoding="utf-8")


def hostile_graph() -> Dataset:
    """A one-article graph whose names and sentence try to inject markup."""
    ds = Dataset()
    g = ds.graph(ID["graph/evil"])
    art, sent = ID["article/evil"], ID["article/evil/chars/0-40"]
    person, company, city = ID["person/x"], ID["org/y"], ID["place/z"]
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, SCHEMA.headline, Literal(HOSTILE_IMG + "标题", lang="zh")))
    g.add((art, KG.sourcePath, Literal("javascript:alert(3)")))
    g.add((sent, RDF.type, KG.Sentence))
    g.add((sent, SCHEMA.text, Literal(HOSTILE_SENTENCE, lang="zh")))
    g.add((sent, SCHEMA.isPartOf, art))
    g.add((person, RDF.type, SCHEMA.Person))
    g.add((person, SKOS.prefLabel, Literal(HOSTILE_LABEL, lang="zh")))
    g.add((company, RDF.type, SCHEMA.Corporation))
    g.add((company, SKOS.prefLabel, Literal(HOSTILE_IMG, lang="zh")))
    g.add((company, SKOS.altLabel, Literal("javascript:alert(1)", lang="en")))
    g.add((city, RDF.type, SCHEMA.City))
    g.add((city, SKOS.prefLabel, Literal("合肥市", lang="zh")))
    g.add((company, SCHEMA.location, city))
    for e in (person, company, city):
        g.add((art, SCHEMA.mentions, e))
    ms, role = ID["membership/1"], ID["role/x"]
    g.add((person, ORG.memberOf, company))
    g.add((ms, RDF.type, ORG.Membership))
    g.add((ms, ORG.member, person))
    g.add((ms, ORG.organization, company))
    g.add((ms, ORG.role, role))
    g.add((ms, PROV.wasDerivedFrom, sent))
    g.add((role, SKOS.prefLabel, Literal("</script>董事长", lang="zh")))
    obs, ind = ID["observation/1"], ID["indicator/x"]
    g.add((obs, RDF.type, QB.Observation))
    g.add((obs, SDMX_DIM.refArea, city))
    g.add((obs, KG.indicator, ind))
    g.add((ind, SKOS.prefLabel, Literal("<b onmouseover=alert(1)>产业规模</b>", lang="zh")))
    g.add((obs, SDMX_MEASURE.obsValue, Literal("580000000000", datatype=XSD.decimal)))
    g.add((obs, SDMX_ATTR.unitMeasure, ID["unit/CNY"]))
    g.add((ID["unit/CNY"], SKOS.notation, Literal("CNY")))
    g.add((obs, KG.qualifier, KG.approx))
    g.add((obs, PROV.wasDerivedFrom, sent))
    return ds


def big_graph(n: int = 3000) -> Graph:
    """n entities: 40 cities in 4 provinces, the rest companies in those cities."""
    g = Graph()
    provinces = [ID[f"place/p{i}"] for i in range(4)]
    cities = [ID[f"place/c{i}"] for i in range(40)]
    for i, p in enumerate(provinces):
        g.add((p, RDF.type, KG.Province))
        g.add((p, SKOS.prefLabel, Literal(f"省{i}", lang="zh")))
    for i, c in enumerate(cities):
        g.add((c, RDF.type, SCHEMA.City))
        g.add((c, SKOS.prefLabel, Literal(f"市{i}", lang="zh")))
        g.add((c, SCHEMA.containedInPlace, provinces[i % 4]))
    for i in range(n - 44):
        e = ID[f"org/e{i:05d}"]
        g.add((e, RDF.type, SCHEMA.Corporation))
        g.add((e, SKOS.prefLabel, Literal(f"企业{i}", lang="zh")))
        g.add((e, SCHEMA.location, cities[i % 40]))
    return g


# -- the page loads nothing from outside ------------------------------------------------------


def test_page_is_offline(sample_page):
    _, html = sample_page
    assert not re.search(r"""\b(?:src|href|action|srcset|poster)\s*=\s*["']?\s*(?:https?:|//)""", html, re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert "@import" not in html
    assert "sourceMappingURL" not in html
    for m in re.finditer(r"url\(\s*['\"]?([^'\")]*)", html):
        assert m.group(1).startswith("data:"), m.group(0)
    # vis-network itself is in the page
    assert "vis-network" in html and "new vis.Network(" in html


def test_physics_stops_after_stabilising(sample_page):
    _, html = sample_page
    data = embedded(html)
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    assert data["options"]["layout"]["randomSeed"] == 20240601
    assert re.search(r'"stabilizationIterationsDone".*?setOptions\(\{physics: false\}\)', html, re.S)


# -- article text stays text ----------------------------------------------------------------


def test_hostile_text_is_only_escaped(tmp_path):
    out = tmp_path / "evil.html"
    viz.render(hostile_graph(), out)
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "</script>董事长" not in html
    assert not re.search(r"<[^<>]*\bon(?:error|mouseover)\s*=", html, re.I)
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    # … and the same text arrives intact, to be shown with textContent
    data = embedded(html)
    found = set(strings(data))
    for s in (HOSTILE_LABEL, HOSTILE_IMG, HOSTILE_SENTENCE, "javascript:alert(3)", "</script>董事长"):
        assert s in found, s
    assert labels(data) == {HOSTILE_LABEL, HOSTILE_IMG, "合肥市"}
    member = next(d for d in data["details"].values() if d.get("rel") == "memberOf")
    assert member["roles"] == ["</script>董事长"]
    assert member["evidence"][0]["text"] == HOSTILE_SENTENCE
    # the page script never hands data to an HTML parser
    script = html.rsplit("<script>", 1)[1]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script


def test_sample_hostile_label_is_escaped(sample_page):
    _, html = sample_page
    assert "<script>alert" not in html


def test_script_json_escapes_markup():
    s = viz.script_json({"a": "</script><!-- & \u2028 合肥"})
    assert "</" not in s and "<!--" not in s and "&" not in s
    assert "合肥" in s
    assert json.loads(s) == {"a": "</script><!-- & \u2028 合肥"}


# -- what is drawn ------------------------------------------------------------------------------


def sample_entities(ds: Dataset) -> set[str]:
    classes = set(CLASS_OF_KIND.values())
    return {str(s) for s, _, o, _ in ds.quads((None, RDF.type, None, None)) if o in classes}


def test_one_node_per_entity(sample, sample_page):
    summary, html = sample_page
    data = embedded(html)
    nodes = entity_nodes(data)
    expected = sample_entities(sample)
    assert len(nodes) == len(expected) == summary.nodes == summary.total
    assert {data["details"][n["id"]]["iri"] for n in nodes} == expected
    assert len({n["id"] for n in data["nodes"]}) == len(data["nodes"])


def test_nodes_styled_by_type_and_sized(sample_page):
    _, html = sample_page
    data = embedded(html)
    styles = viz.load_styles()["entity"]
    for n in entity_nodes(data):
        st = styles[n["type"]]
        assert (n["color"], n["shape"]) == (st.color, st.shape)
        assert 10 <= n["size"] <= 36
    by_label = {data["details"][n["id"]]["zh"]: n for n in entity_nodes(data)}
    assert by_label["王芳"]["size"] < by_label["合肥市"]["size"]  # isolated vs hub


def test_relation_edges_with_chinese_labels(sample_page):
    summary, html = sample_page
    data = embedded(html)
    zh = {n["id"]: data["details"][n["id"]].get("zh") for n in entity_nodes(data)}
    rel = {(zh[e["from"]], e["label"], zh[e["to"]]) for e in data["edges"] if e["kind"] == "r"}
    assert ("张明", "司长", "工业和信息化部科技司") in rel
    assert ("工业和信息化部科技司", "隶属于", "工业和信息化部") in rel
    assert ("工业和信息化部", "发布", "人工智能产业创新发展行动计划") in rel  # body → policy
    assert ("合肥市", "位于", "安徽省") in rel
    assert summary.edges == len(rel)
    member = next(d for d in data["details"].values() if d.get("rel") == "memberOf" and d["roles"] == ["司长"])
    assert member["relEn"] == "member of"
    assert member["evidence"][0]["text"].startswith("工业和信息化部科技司司长")
    assert member["evidence"][0]["article"]["path"] == "tests/data/sample-001.txt"
    located = next(d for d in data["details"].values() if d.get("rel") == "locatedIn" and d["from"] == "合肥市")
    assert [a["path"] for a in located["sources"]] == ["tests/data/sample-002.txt"]


def test_observation_nodes(sample_page):
    summary, html = sample_page
    data = embedded(html)
    obs = [n for n in data["nodes"] if n["kind"] == "o"]
    assert len(obs) == summary.observations > 0
    texts = {n["label"] for n in obs}
    assert "人工智能核心产业规模\n≈5800亿元 (2023)" in texts
    assert "人工智能企业数量\n≥4400家 (2023-12)" in texts
    for n in obs:
        assert any(e["from"] == n["area"] and e["to"] == n["id"] for e in data["edges"])
    d = next(data["details"][n["id"]] for n in obs if n["label"].startswith("人工智能核心"))
    assert d["area"] == "中国" and d["evidence"][0]["article"]["title"].startswith("工信部")
    assert 'id="show-obs"' in html


def test_without_observations(sample, tmp_path):
    s = viz.render(sample, tmp_path / "g.html", show_observations=False)
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert s.observations == 0
    assert all(n["kind"] == "e" for n in embedded(html)["nodes"])
    assert 'id="show-obs"' not in html


def test_legend_lists_types_present(sample, sample_page):
    _, html = sample_page
    styles = viz.load_styles()["entity"]
    legend = re.search(r'<div class="legend" id="legend">(.*?)</div>', html, re.S).group(1)
    shown = set(re.findall(r'class="type-filter" value="([^"]+)"', legend))
    present = {n["type"] for n in entity_nodes(embedded(html))}
    assert shown == present
    assert "University" not in shown
    for key in present:
        assert styles[key].zh in legend and styles[key].en in legend


def test_union_of_graph_and_dataset_agree(sample, tmp_path):
    flat = Graph()
    for s, p, o, _ in sample.quads((None, None, None, None)):
        flat.add((s, p, o))
    a = viz.render(sample, tmp_path / "a.html")
    b = viz.render(flat, tmp_path / "b.html")
    assert (a.nodes, a.edges, a.observations) == (b.nodes, b.edges, b.observations)


# -- focus, types, reduction --------------------------------------------------------------------


@pytest.mark.parametrize(
    "focus, depth, expected",
    [
        ("合肥市", 0, {"合肥市"}),
        ("合肥", 1, {"合肥市", "安徽省", "星火智能科技有限公司", "2024合肥人工智能大会"}),
        ("工信部", 1, {"工业和信息化部", "工业和信息化部科技司", "人工智能产业创新发展行动计划"}),
        ("Ministry of Industry and Information Technology", 2,
         {"工业和信息化部", "工业和信息化部科技司", "人工智能产业创新发展行动计划", "张明"}),
        ("https://w3id.org/cnaikg/id/place/%E5%90%88%E8%82%A5%E5%B8%82", 0, {"合肥市"}),
    ],
)
def test_focus_gives_ego_network(sample, tmp_path, focus, depth, expected):
    out = tmp_path / "f.html"
    s = viz.render(sample, out, focus=focus, depth=depth)
    html = out.read_text(encoding="utf-8")
    data = embedded(html)
    assert labels(data) == expected
    assert s.nodes == len(expected) and not s.reduced
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert f"showing {len(expected)} of {s.total} entities" in html


def test_unknown_focus_is_a_usage_error(sample, tmp_path):
    with pytest.raises(UsageError, match="no entity"):
        viz.render(sample, tmp_path / "x.html", focus="不存在的机构")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("types", [{"Person"}, {"人物"}, {"person"}])
def test_types_restrict_nodes(sample, tmp_path, types):
    out = tmp_path / "t.html"
    s = viz.render(sample, out, types=types)
    data = embedded(out.read_text(encoding="utf-8"))
    assert {n["type"] for n in entity_nodes(data)} == {"Person"}
    assert s.nodes == 3


def test_types_keep_the_focus(sample, tmp_path):
    out = tmp_path / "t.html"
    viz.render(sample, out, focus="工业和信息化部科技司", depth=2, types={"Person"})
    assert labels(embedded(out.read_text(encoding="utf-8"))) == {"工业和信息化部科技司", "张明"}


def test_bad_options(sample, tmp_path):
    with pytest.raises(UsageError, match="unknown type"):
        viz.render(sample, tmp_path / "x.html", types={"Planet"})
    with pytest.raises(UsageError, match="max-nodes"):
        viz.render(sample, tmp_path / "x.html", max_nodes=0)
    with pytest.raises(UsageError, match="depth"):
        viz.render(sample, tmp_path / "x.html", focus="合肥市", depth=-1)


def test_reduction_keeps_most_central(tmp_path):
    g = big_graph(3000)
    out = tmp_path / "big.html"
    start = time.perf_counter()
    s = viz.render(g, out, max_nodes=300)
    elapsed = time.perf_counter() - start
    html = out.read_text(encoding="utf-8")
    data = embedded(html)
    assert s.reduced and s.nodes == 300 and s.total == 3000
    assert len(entity_nodes(data)) == 300
    kept = labels(data)
    assert {f"省{i}" for i in range(4)} <= kept and {f"市{i}" for i in range(40)} <= kept
    assert "showing 300 of 3000 entities; use kg viz --focus … or --max-nodes …" in html
    assert elapsed < 10, elapsed


def test_no_reduction_below_limit(sample_page):
    summary, html = sample_page
    assert not summary.reduced
    assert 'id="reduction-note"' not in html


# -- output file --------------------------------------------------------------------------------


def test_rebuild_gives_identical_bytes(sample, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    viz.render(sample, a)
    viz.render(sample, b)
    assert a.read_bytes() == b.read_bytes()


def test_write_is_atomic_and_replaces(sample, tmp_path):
    out = tmp_path / "sub" / "graph.html"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    s = viz.render(sample, out)
    assert s.path == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in out.parent.iterdir()) == ["graph.html"]
    assert out.stat().st_mode & 0o777 == 0o644


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, qualifier, expected",
    [
        ("580000000000", "CNY", "exact", "5800亿元"),
        ("580000000000", "CNY", "approx", "≈5800亿元"),
        ("2350000000000", "CNY", "exact", "2.35万亿元"),
        ("1000000000000", "CNY", "atLeast", "≥1万亿元"),
        ("50000000", "CNY", "atMost", "≤5000万元"),
        ("215000000", "CNY", "exact", "2.15亿元"),
        ("1.5", "CNY", "exact", "1.5元"),
        ("9999", "CNY", "exact", "9999元"),
        ("123456789", "CNY", "exact", "1.2346亿元"),
        ("160000000", "USD", "approx", "≈1.6亿美元"),
        ("3000000000", "HKD", "exact", "30亿港元"),
        ("100000000", "MOP", "exact", "1亿澳门元"),
        ("35", "%", "exact", "35%"),
        ("25.4", "%", "exact", "25.4%"),
        ("-3.50", "%", "exact", "-3.5%"),
        ("2", "个百分点", "exact", "2个百分点"),
        ("4400", "家", "atLeast", "≥4400家"),
        ("12000", "家", "exact", "1.2万家"),
        ("1700000", "个", "exact", "170万个"),
        ("274000", "架", "exact", "27.4万架"),
        ("100", "EFLOPS", "atLeast", "≥100EFLOPS"),
        ("3000", "PFLOPS", "exact", "3000PFLOPS"),
        ("2", "rank", "exact", "第2"),
        ("0", "CNY", "exact", "0元"),
        ("n/a", "CNY", "exact", "n/aCNY"),
    ],
)
def test_human_value(value, unit, qualifier, expected):
    assert viz.human_value(value, unit, qualifier) == expected


_BACK = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "": Decimal(1)}


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**16), st.sampled_from(["CNY", "USD", "家"]))
def test_human_value_reads_back(n, unit):
    text = viz.human_value(str(n), unit)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万亿|亿|万|)(元|美元|家)", text)
    assert m, text
    back = Decimal(m.group(1)) * _BACK[m.group(2)]
    assert abs(back - n) <= _BACK[m.group(2)] * Decimal("0.00005")
    assert Decimal(m.group(1)) < 10000 or m.group(2) == "万亿"


@given(st.text(max_size=20), st.text(max_size=8))
def test_human_value_never_raises(value, unit):
    assert isinstance(viz.human_value(value, unit), str)


# -- styles file ----------------------------------------------------------------------------------


def test_styles_cover_every_kind():
    styles = viz.load_styles()
    from kg import types as t

    assert set(styles["entity"]) == set(t.ENTITY_KINDS)
    assert {"locatedIn", "subOrganizationOf", "memberOf", "issued", "organizer"} <= set(styles["relation"])
    assert {q.mark for q in styles["qualifier"].values()} == {"", "≈", "≥", "≤"}


@pytest.mark.parametrize(
    "row, message",
    [
        ("entity\tPerson\t人物\tPerson\tred\tdot\t-", "colour"),
        ("entity\tPerson\t人物\tPerson\t#e15759\tblob\t-", "shape"),
        ("entity\tPerson\t人物\tPerson\t#e15759\tdot", "7 tab-separated"),
        ("colour\tPerson\t人物\tPerson\t#e15759\tdot\t-", "unknown section"),
    ],
)
def test_bad_styles_name_file_and_line(tmp_path, row, message):
    path = tmp_path / "styles.tsv"
    path.write_text("# comment\nsection\tkey\tzh\ten\tcolor\tshape\tmark\n" + row + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"styles\.tsv:3: .*{message}"):
        viz.load_styles(path)


def test_missing_entity_style_is_reported(tmp_path):
    path = tmp_path / "styles.tsv"
    path.write_text("entity\tPerson\t人物\tPerson\t#e15759\tdot\t-\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="no entity style for"):
        viz.load_styles(path)


def test_labels_are_bounded(tmp_path):
    g = Graph()
    e = URIRef(ID["policy/long"])
    g.add((e, RDF.type, KG.PolicyDocument))
    g.add((e, RDFS.label, Literal("关于加快推进人工智能产业高质量发展的若干政策措施", lang="zh")))
    out = tmp_path / "l.html"
    viz.render(g, out)
    data = embedded(out.read_text(encoding="utf-8"))
    (node,) = data["nodes"]
    assert len(node["label"]) == 16 and node["label"].endswith("…")
    assert data["details"][node["id"]]["zh"] == "关于加快推进人工智能产业高质量发展的若干政策措施"


# -- the chart ------------------------------------------------------------------------------------


def chart_graph() -> Dataset:
    """One indicator for two areas over three years, a target, an undated figure; a
    second indicator in another unit; a figure with neither period nor article date."""
    ds = Dataset()
    g = ds.graph(ID["graph/c"])
    art, sent = ID["article/c"], ID["article/c/chars/0-9"]
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, SCHEMA.headline, Literal("多地人工智能产业规模", lang="zh")))
    g.add((art, SCHEMA.datePublished, Literal("2025-02-15", datatype=XSD.date)))
    g.add((sent, SCHEMA.text, Literal("北京人工智能核心产业规模突破3000亿元。", lang="zh")))
    g.add((sent, SCHEMA.isPartOf, art))
    areas = {"bj": "北京市", "sh": "上海市", "cn": "中国"}
    for key, name in areas.items():
        g.add((ID[f"place/{key}"], RDF.type, SCHEMA.City if key != "cn" else SCHEMA.Country))
        g.add((ID[f"place/{key}"], SKOS.prefLabel, Literal(name, lang="zh")))
    g.add((ID["unit/CNY"], SKOS.notation, Literal("CNY")))
    g.add((ID["unit/pct"], SKOS.notation, Literal("%")))
    for key, ind in (("core", "人工智能核心产业规模"), ("growth", "增速")):
        g.add((ID[f"indicator/{key}"], SKOS.prefLabel, Literal(ind, lang="zh")))
    rows = [  # area, indicator, value, unit, qualifier, period, status
        ("bj", "core", "200000000000", "CNY", "exact", "2022", "reported"),
        ("bj", "core", "250000000000", "CNY", "approx", "2023", "reported"),
        ("bj", "core", "300000000000", "CNY", "atLeast", "2024", "reported"),
        ("bj", "core", "1000000000000", "CNY", "atLeast", "2027", "target"),
        ("sh", "core", "400000000000", "CNY", "atLeast", "2024-12", "reported"),
        ("sh", "core", "380000000000", "CNY", "exact", None, "reported"),
        ("cn", "growth", "35", "%", "approx", "2024", "reported"),
    ]
    for i, (area, ind, value, unit, qual, period, status) in enumerate(rows):
        o = ID[f"observation/{i}"]
        g.add((o, RDF.type, QB.Observation))
        g.add((o, SDMX_DIM.refArea, ID[f"place/{area}"]))
        g.add((o, KG.indicator, ID[f"indicator/{ind}"]))
        g.add((o, SDMX_MEASURE.obsValue, Literal(value, datatype=XSD.decimal)))
        g.add((o, SDMX_ATTR.unitMeasure, ID["unit/CNY" if unit == "CNY" else "unit/pct"]))
        g.add((o, KG.qualifier, KG[qual]))
        g.add((o, KG.status, KG[status]))
        if period:
            g.add((o, SDMX_DIM.refPeriod, Literal(period)))
        g.add((o, PROV.wasDerivedFrom, sent))
    lost = ID["observation/lost"]  # no period, no sentence: nowhere on a time axis
    g.add((lost, RDF.type, QB.Observation))
    g.add((lost, SDMX_DIM.refArea, ID["place/cn"]))
    g.add((lost, KG.indicator, ID["indicator/growth"]))
    g.add((lost, SDMX_MEASURE.obsValue, Literal("20", datatype=XSD.decimal)))
    return ds


@pytest.fixture(scope="module")
def chart(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("chart") / "c.html"
    viz.render(chart_graph(), out)
    return embedded(out.read_text(encoding="utf-8"))["chart"]


def test_chart_one_series_per_indicator_and_unit(chart):
    names = [(s["indicator"], s["unit"]) for s in chart["series"]]
    assert names == [("人工智能核心产业规模", "CNY"), ("增速", "%")]  # most areas first
    core = chart["series"][0]
    assert [a["zh"] for a in core["areas"]] == ["北京市", "上海市"]
    assert core["unitZh"] == "元"
    assert chart["leftOff"] == 1


def test_chart_points_keep_qualifiers_status_and_time(chart):
    core = chart["series"][0]
    bj = [p for p in core["points"] if p["area"] == 0]
    assert [(p["when"], p["value"], p["status"]) for p in bj] == [
        ("2022", "2000亿元", "reported"),
        ("2023", "≈2500亿元", "reported"),
        ("2024", "≥3000亿元", "reported"),
        ("2027", "≥1万亿元", "target"),
    ]
    assert [p["x"] for p in bj] == [2022.5, 2023.5, 2024.5, 2027.5]
    assert bj[3]["statusZh"] == "目标值" and bj[1]["qualifierEn"] == "about"
    assert bj[0]["evidence"].startswith("北京") and bj[0]["article"]["title"] == "多地人工智能产业规模"
    undated = next(p for p in core["points"] if not p["dated"])
    assert undated["when"] == "2025-02-15" and undated["area"] == 1  # placed at its article's date


def test_chart_ticks_are_round_and_in_words(chart):
    ticks = chart["series"][0]["yTicks"]
    assert ticks[0] == {"y": 0.0, "label": "0元"}
    assert [t["label"] for t in ticks][-1] == "1万亿元"
    steps = {round(b["y"] - a["y"]) for a, b in zip(ticks, ticks[1:])}
    assert steps == {200_000_000_000}


def test_chart_follows_focus(tmp_path):
    out = tmp_path / "f.html"
    viz.render(chart_graph(), out, focus="上海市", depth=0)
    series = embedded(out.read_text(encoding="utf-8"))["chart"]["series"]
    assert [(s["indicator"], [a["zh"] for a in s["areas"]]) for s in series] == [("人工智能核心产业规模", ["上海市"])]


def test_chart_tab_and_key_on_page(tmp_path):
    out = tmp_path / "c.html"
    viz.render(chart_graph(), out)
    html = out.read_text(encoding="utf-8")
    assert 'id="tab-chart"' in html and 'id="chart-view"' in html
    for mark in ("≥ 不少于", "≈ 约", "目标值"):
        assert mark in re.sub(r"<[^>]+>", "", html)
    out2 = tmp_path / "none.html"
    viz.render(hostile_graph(), out2)  # its one figure has no period and no article date
    assert re.search(r'id="tab-chart"[^>]*disabled', out2.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "period, year",
    [("2024", 2024.5), ("2024-12", 2024 + 11.5 / 12), ("2025-Q1", 2025.125), ("2024-07-01", 2024 + 6 / 12 + 0.5 / 360),
     ("2024-13", None), ("今年", None), ("", None)],
)
def test_decimal_year(period, year):
    got = viz.decimal_year(period)
    assert got == (None if year is None else pytest.approx(year, abs=1e-3))


@given(st.decimals(min_value=-10**6, max_value=10**14, allow_nan=False, places=2),
       st.decimals(min_value=0, max_value=10**14, allow_nan=False, places=2))
def test_nice_ticks_cover_and_are_round(lo, span):
    hi = lo + span
    ticks = viz._nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 2 <= len(ticks) <= 12
    step = ticks[1] - ticks[0]
    assert all(b - a == step for a, b in zip(ticks, ticks[1:]))
    assert str(step.normalize().as_tuple().digits[0]) in "125" and len(step.normalize().as_tuple().digits) == 1


# -- the page's scripts and large graphs -------------------------------------------------------------


def test_csp_allows_only_the_page_scripts(sample_page):
    import base64
    import hashlib
    import html as htmllib

    _, html = sample_page
    csp = htmllib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1))
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert "'unsafe-inline'" not in script_src and "default-src 'none'" in csp
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 2
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    assert set(script_src) == hashes


def test_balloon_layout_separates_nodes():
    import networkx as nx

    g = nx.balanced_tree(4, 4)  # 341 nodes
    g.add_edges_from([(1000, 1001), (1001, 1002)])  # a second component
    g.add_node(2000)
    pos = viz.balloon_layout(g, {n: 1.0 / (1 + n) for n in g})
    assert set(pos) == set(g)
    pts = sorted(pos.values())
    assert len(set(pts)) == len(pts)
    nearest = min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1: i + 40])
    assert nearest > 15, nearest
    assert viz.balloon_layout(g, {n: 1.0 / (1 + n) for n in g}) == pos  # deterministic
    # the small components sit outside the big one's circle
    centre = pos[0]
    reach = max(math.dist(centre, pos[n]) for n in nx.node_connected_component(g, 0))
    assert all(math.dist(centre, pos[n]) > reach for n in (1000, 1001, 1002, 2000))


def test_large_graph_gets_positions_and_few_rounds(tmp_path):
    out = tmp_path / "big.html"
    viz.render(big_graph(1000), out, max_nodes=600)
    data = embedded(out.read_text(encoding="utf-8"))
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 50
    viz.render(big_graph(100), out)  # small graphs: vis-network lays them out itself
    assert not any("x" in n for n in embedded(out.read_text(encoding="utf-8"))["nodes"])


def test_observation_nodes_give_way_to_entities(tmp_path):
    g = chart_graph()
    out = tmp_path / "o.html"
    for budget, drawn, note in ((20, 8, None), (8, 5, "latest figure per indicator"), (4, 0, "left out of this large")):
        s = viz.render(g, out, max_nodes=budget)
        html = out.read_text(encoding="utf-8")
        assert s.observations == drawn, budget
        assert (note is None and 'id="obs-note"' not in html) or (note and note in html)
        assert len(embedded(html)["chart"]["series"][0]["points"]) == 6  # the chart keeps them all


# -- kg viz, end to end ---------------------------------------------------------------------------


def test_cli_focus_types_and_reduction(seeds_build, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    _, built = seeds_build
    run = CliRunner().invoke
    out = tmp_path / "f.html"
    r = run(app, ["viz", "-g", str(built), "-o", str(out), "--focus", "工业和信息化部", "--depth", "1"])
    assert r.exit_code == 0, r.output
    data = embedded(out.read_text(encoding="utf-8"))
    focus = [d for d in data["details"].values() if d.get("focus")]
    assert [d["zh"] for d in focus] == ["工业和信息化部"]
    assert "focus: 工业和信息化部" in out.read_text(encoding="utf-8")

    r = run(app, ["viz", "-g", str(built), "-o", str(out), "--types", "Person,GovernmentOrganization"])
    assert r.exit_code == 0, r.output
    assert {n["type"] for n in entity_nodes(embedded(out.read_text(encoding="utf-8")))} == {"Person", "GovernmentOrganization"}

    r = run(app, ["viz", "-g", str(built), "-o", str(out), "--max-nodes", "20"])
    assert r.exit_code == 0 and "(20 nodes" in r.output and "reduced from" in r.output
    html = out.read_text(encoding="utf-8")
    assert re.search(r"showing 20 of \d+ entities; use kg viz --focus … or --max-nodes … \(now 20\)", html)

    r = run(app, ["viz", "-g", str(built), "-o", str(out), "--focus", "没有这个机构"])
    assert r.exit_code == 2 and "no entity has this label" in r.output
