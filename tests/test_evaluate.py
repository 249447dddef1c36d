"""Scoring against gold: Score arithmetic, period agreement, and matching on a hand-made Gold and Output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.evaluate import (
    CATEGORIES,
    EXTRA_CATEGORIES,
    Gold,
    Output,
    Report,
    Score,
    compare,
    docs_for,
    load_gold,
    norm,
    render,
    same_period,
)


@pytest.mark.parametrize(
    "tp,fp,fn,p,r,f1",
    [
        (0, 0, 0, 1.0, 1.0, 1.0),
        (3, 1, 0, 0.75, 1.0, 6 / 7),
        (2, 2, 2, 0.5, 0.5, 0.5),
        (0, 2, 3, 0.0, 0.0, 0.0),
    ],
)
def test_score(tp, fp, fn, p, r, f1):
    s = Score(tp=tp, fp=fp, fn=fn)
    assert s.precision == pytest.approx(p)
    assert s.recall == pytest.approx(r)
    assert s.f1 == pytest.approx(f1)


@pytest.mark.parametrize(
    "want,got,same",
    [
        ("2024", "2024", True),
        ("", "", True),
        ("2024", "2024-12", True),  # a year-end written either way
        ("2024-12", "2024", True),
        ("2024", "2025", False),
        ("2024", "", False),
        ("", "2024", False),
        ("2024", "2024-06", False),
        ("2024-06", "2024-06-30", False),
        ("2024-12-31", "2024-12-31", True),
    ],
)
def test_same_period(want, got, same):
    assert same_period(want, got) is same


@pytest.mark.parametrize(
    "a,b",
    [
        ("工业和信息化部", " 工业和信息化部 "),
        ("《江西省数字经济发展规划》", "江西省数字经济发展规划"),
        ("１２０亿元", "120亿元"),
        ("江西省工業和信息化廳", "江西省工业和信息化厅"),
        ("DeepSeek", "deepseek"),
    ],
)
def test_norm(a, b):
    assert norm(a) == norm(b)


def test_norm_of_nothing():
    assert norm(None) == "" and norm("") == ""


def test_docs_for():
    docs = [Path("d/04.txt"), Path("d/04-gb18030.txt"), Path("d/040.txt"), Path("d/05.txt")]
    assert docs_for(Gold("04", {}), docs) == [Path("d/04.txt"), Path("d/04-gb18030.txt")]


def test_load_gold(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"id": "x1", "people": []}), encoding="utf-8")
    (g,) = load_gold([p])
    assert g.id == "x1"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="bad.json"):
        load_gold([bad])


GOLD = Gold(
    "g1",
    {
        "people": [
            {"name": "张某某", "titles": ["副厅长"], "orgs": ["江西省工业和信息化厅"]},
            {"name": "周立新", "titles": ["董事长", "总经理"], "orgs": ["星河智能科技有限公司"]},
            {"name": "王编辑", "titles": ["责任编辑"], "orgs": [], "optional": True},
        ],
        "organizations": [
            {"name": "江西省工业和信息化厅", "aliases": ["省工业和信息化厅"], "kind": "government"},
            {"name": "星河智能科技有限公司", "aliases": ["星河智能"], "kind": "company"},
        ],
        "places": [
            {"name": "江西省", "aliases": ["江西"], "kind": "province"},
            {"name": "南昌市", "aliases": ["南昌"], "kind": "city"},
        ],
        "observations": [
            {"area": "江西省", "indicator": "人工智能核心产业规模", "value": 120000000000, "unit": "CNY",
             "qualifier": "exact", "period": "2024", "status": "reported", "evidence": "…"},
            {"area": "星河智能科技有限公司", "indicator": "营收", "value": 5000000000, "unit": "CNY",
             "qualifier": "atLeast", "period": "2027", "status": "target", "evidence": "…"},
            {"area": "江西省", "indicator": "排名", "value": 3, "unit": "名", "optional": True, "evidence": "…"},
        ],
        "relations": [
            {"s": "星河智能科技有限公司", "p": "locatedIn", "o": "南昌市"},
            {"s": "南昌市", "p": "locatedIn", "o": "江西省", "optional": True},
        ],
        "noise_entities": ["热门排行"],
        "noise_values": [20240101],
    },
)


def _entity(label: str, type_: str, *aliases: str) -> dict:
    return {"label": label, "type": type_, "names": {norm(label)} | {norm(a) for a in aliases}, "date": None}


def _obs(area: str, value: str, unit: str, qualifier="exact", period="", status="reported") -> dict:
    return {"area_name": area, "value": value, "unit": unit, "qualifier": qualifier, "period": period,
            "status": status, "evidence": "…"}


def _report() -> Report:
    return Report(scores={c: Score() for c in CATEGORIES + EXTRA_CATEGORIES})


def _output(**over) -> Output:
    base = dict(
        entities=[
            _entity("张某某", "Person"),
            _entity("周立新", "Person"),
            _entity("江西省工业和信息化厅", "GovernmentOrganization"),
            _entity("星河智能科技有限公司", "Company", "星河智能"),
            _entity("江西省", "Province"),
            _entity("南昌", "City"),  # matched through the gold alias
        ],
        people=[
            {"name": "张某某", "title": "副厅长", "org_name": "江西省工业和信息化厅"},
            {"name": "周立新", "title": "董事长", "org_name": "星河智能"},
            {"name": "周立新", "title": "总经理", "org_name": "星河智能科技有限公司"},
        ],
        observations=[
            _obs("江西省", "120000000000", "CNY", period="2024"),
            _obs("星河智能科技有限公司", "5000000000.0", "CNY", "atLeast", "2027", "target"),
        ],
        relations=[
            {"relation": "locatedIn", "subject_name": "星河智能科技有限公司", "object_name": "南昌市"},
        ],
    )
    base.update(over)
    return Output(**base)


def test_perfect_output_scores_one():
    report = _report()
    compare(GOLD, _output(), report)
    for c in CATEGORIES:
        s = report.scores[c]
        assert (s.fp, s.fn) == (0, 0), (c, s.misses, s.extras)
        assert s.f1 == 1.0
    assert report.scores["people"].tp == 2  # the optional editor counts neither way
    assert report.scores["posts"].tp == 3
    assert report.scores["observations"].tp == 2
    assert report.attributes_right == report.attributes_total == 2
    assert report.noise == []


def test_missing_and_extra_items():
    out = _output(
        entities=_output().entities[1:] + [_entity("李某", "Person")],
        observations=[_obs("江西省", "120000000000", "CNY", period="2024"), _obs("江西省", "99", "家")],
        relations=[],
    )
    report = _report()
    compare(GOLD, out, report)
    people = report.scores["people"]
    assert (people.tp, people.fp, people.fn) == (1, 1, 1)
    assert people.misses == ["g1: 张某某"] and people.extras == ["g1: 李某"]
    obs = report.scores["observations"]
    assert (obs.tp, obs.fp, obs.fn) == (1, 1, 1)
    assert report.scores["relations"].fn == 1


def test_wrong_attributes_count_apart_from_the_match():
    out = _output(observations=[
        _obs("江西省", "120000000000", "CNY", period="2024-12"),  # year-end: still right
        _obs("星河智能科技有限公司", "5000000000", "CNY", "exact", "2027", "reported"),
    ])
    report = _report()
    compare(GOLD, out, report)
    assert report.scores["observations"].tp == 2
    assert (report.attributes_right, report.attributes_total) == (1, 2)
    assert "want ('atLeast', '2027', 'target') got ('exact', '2027', 'reported')" in report.attribute_errors[0]


def test_value_must_match_in_base_units():
    out = _output(observations=[_obs("江西省", "1200", "CNY", period="2024")])
    report = _report()
    compare(GOLD, out, report)
    assert report.scores["observations"].tp == 0 and report.scores["observations"].fp == 1


def test_post_at_the_wrong_organisation_is_wrong():
    out = _output(people=[{"name": "张某某", "title": "副厅长", "org_name": "星河智能科技有限公司"}])
    report = _report()
    compare(GOLD, out, report)
    assert report.scores["posts"].tp == 0
    assert report.scores["posts"].fp == 1


def test_noise_is_reported():
    out = _output(
        entities=_output().entities + [_entity("热门排行", "Organization")],
        observations=_output().observations + [_obs("江西省", "20240101", "个")],
    )
    report = _report()
    compare(GOLD, out, report)
    assert len(report.noise) == 2


def test_render_shows_every_category():
    report = _report()
    compare(GOLD, _output(), report)
    text = render(report)
    for c in CATEGORIES + EXTRA_CATEGORIES:
        assert c in text
    assert "2/2" in text
