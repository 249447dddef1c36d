"""Observations: area, value, unit, qualifier, period and status of the numbers an article gives.

Sentences are invented, of the kinds the genre writes: a provincial figure
with its growth, a target for a future year, a forecast, an as-of date, a
figure with no time, a scope word (全省/全市/我国) resolved against the article.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.evaluate import same_period

LEAD = "江西省人工智能产业加快发展。"  # names the article's province for 全省
CITY_LEAD = "南昌市人工智能产业加快发展。"


def find(ex, value: str, unit: str):
    hits = [o for o in ex.observations if Decimal(o.quantity.value) == Decimal(value) and o.quantity.unit == unit]
    assert hits, f"no observation of {value} {unit}: " + "; ".join(
        f"{o.area} {o.quantity.value} {o.quantity.unit}" for o in ex.observations
    )
    return hits[0]


# (text, pub_date, value, unit, area, qualifier, period, status)
OBSERVATIONS = [
    # a reported figure with its year, and the growth rate in the next clause
    (LEAD + "2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。", "2025-03-01",
     "120000000000", "CNY", "江西省", "exact", "2024", "reported"),
    (LEAD + "2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。", "2025-03-01",
     "15.2", "%", "江西省", "exact", "2024", "reported"),
    # 去年 resolved against the publication date
    (LEAD + "去年，全省人工智能核心产业规模达到1200亿元。", "2025-03-01",
     "120000000000", "CNY", "江西省", "exact", "2024", "reported"),
    # 到2027年 + 力争: a target for that year
    (LEAD + "到2027年，全省人工智能核心产业规模力争突破5000亿元。", "2024-06-01",
     "500000000000", "CNY", "江西省", "atLeast", "2027", "target"),
    (CITY_LEAD + "计划到2026年，全市智能算力规模达到50EFLOPS。", "2024-06-01",
     "50", "EFLOPS", "南昌市", "exact", "2026", "target"),
    (LEAD + "全省将培育10家以上人工智能领军企业。", "2025-03-01",
     "10", "家", "江西省", "atLeast", None, "target"),
    # 预计 … 有望: a forecast
    (LEAD + "预计今年全省人工智能产业规模有望达到2000亿元。", "2024-06-01",
     "200000000000", "CNY", "江西省", "exact", "2024", "forecast"),
    # as-of dates: 截至去年底 is the previous year's end
    (LEAD + "截至去年底，全省人工智能企业数量超过800家。", "2024-06-01",
     "800", "家", "江西省", "atLeast", "2023", "reported"),
    (LEAD + "截至上月底，全省累计建成5G基站8.6万个。", "2024-06-01",
     "86000", "个", "江西省", "exact", "2024-05", "reported"),
    (LEAD + "截至2024年12月31日，全省人工智能企业达到1020家。", "2025-03-01",
     "1020", "家", "江西省", "exact", "2024-12-31", "reported"),
    ("截至2024年6月底，南昌市已建成5G基站2.1万个。", "2024-08-01",
     "21000", "个", "南昌市", "exact", "2024-06", "reported"),
    # 目前 ties the figure to no period
    (LEAD + "目前，全省人工智能企业约650家。", "2024-06-01",
     "650", "家", "江西省", "approx", None, "reported"),
    (LEAD + "全省已有人工智能企业近700家。", "2024-06-01",
     "700", "家", "江西省", "approx", None, "reported"),
    # qualifiers
    (LEAD + "全省人工智能产业规模不超过900亿元。", "2024-06-01",
     "90000000000", "CNY", "江西省", "atMost", None, "reported"),
    (LEAD + "2023年全省智能终端产量接近3000万台。", "2024-06-01",
     "30000000", "台", "江西省", "approx", "2023", "reported"),
    # 我国 → 中国
    ("我国人工智能企业数量超过4500家。", "2024-06-01",
     "4500", "家", "中国", "atLeast", None, "reported"),
    # a company's results; USD kept as USD
    ("星河智能科技股份有限公司发布年报，公司全年营业收入达到35.6亿元，同比增长22.5%。", "2025-03-01",
     "3560000000", "CNY", "星河智能科技股份有限公司", "exact", None, "reported"),
    ("星河智能科技股份有限公司发布年报，公司海外营收达到1.2亿美元。", "2025-03-01",
     "120000000", "USD", "星河智能科技股份有限公司", "exact", None, "reported"),
    # 分别: areas and numbers paired in order
    ("江西省和湖南省人工智能企业分别为812家和765家。", "2024-06-01",
     "812", "家", "江西省", "exact", None, "reported"),
    ("江西省和湖南省人工智能企业分别为812家和765家。", "2024-06-01",
     "765", "家", "湖南省", "exact", None, "reported"),
]


@pytest.mark.parametrize("text,pub,value,unit,area,qualifier,period,status", OBSERVATIONS)
def test_observation(run, text, pub, value, unit, area, qualifier, period, status):
    o = find(run(text, pub), value, unit)
    assert o.area == area
    assert o.quantity.qualifier == qualifier
    assert o.status == status
    if period is None:
        assert o.period is None
    else:
        assert o.period is not None and same_period(period, o.period), o.period


def test_whole_city_is_the_city_the_article_names(run):
    text = (
        "南昌市召开人工智能产业推进会。\n"
        "会上透露，南昌市人工智能企业已有300余家。\n"
        "全市人工智能核心产业规模达到420亿元，同比增长18%。"
    )
    ex = run(text, "2024-06-01")
    for value, unit in (("300", "家"), ("42000000000", "CNY"), ("18", "%")):
        assert find(ex, value, unit).area == "南昌市"
    assert find(ex, "300", "家").quantity.qualifier == "atLeast"


def test_baseline_is_not_the_area(run):
    # 高于全国平均水平: the country is what the province is compared with
    ex = run(LEAD + "去年全省数字经济增加值增速高于全国平均水平约5个百分点。", "2024-06-01")
    o = find(ex, "5", "个百分点")
    assert o.area == "江西省"
    assert o.quantity.qualifier == "approx"
    assert all(o.area != "中国" for o in ex.observations)


def test_share_of_the_country_is_the_province(run):
    ex = run(LEAD + "全省人工智能产业规模为1500亿元，占全国的比重约为3%。", "2024-06-01")
    assert {o.area for o in ex.observations} == {"江西省"}


def test_threshold_in_a_description_is_not_an_observation(run):
    ex = run(LEAD + "全省年营收超百亿元的企业达到12家。", "2024-06-01")
    values = {(Decimal(o.quantity.value), o.quantity.unit) for o in ex.observations}
    assert (Decimal("10000000000"), "CNY") not in values
    assert find(ex, "12", "家").area == "江西省"


def test_per_capita_base_is_not_an_observation(run):
    ex = run(LEAD + "据统计，每10万人拥有人工智能人才120人。", "2024-06-01")
    values = {Decimal(o.quantity.value) for o in ex.observations}
    assert Decimal("100000") not in values
    assert Decimal("120") in values


def test_china_inside_another_word_is_no_area(run):
    ex = run(LEAD + "全省新增专精特新企业120家，其中国家级企业30家。", "2024-06-01")
    assert {o.area for o in ex.observations} == {"江西省"}
    assert find(ex, "120", "家").area == "江西省"


def test_scope_word_then_plan_is_the_province(run):
    # 全省计划新建智算中心5个: 全省 is the area, and 全省计划新建智算中心 is not
    # an organisation (fails today: the 中心 suffix swallows the clause)
    ex = run(LEAD + "全省计划新建智算中心5个。", "2024-06-01")
    o = find(ex, "5", "个")
    assert o.area == "江西省"
    assert o.status == "target"


def test_indicator_leaves_out_the_status_word(run):
    # 力争/有望 set the status; they are not part of what is measured
    # (fails today: the indicator reads 人工智能核心产业规模力争)
    ex = run(LEAD + "到2027年，全省人工智能核心产业规模力争突破5000亿元。", "2024-06-01")
    assert find(ex, "500000000000", "CNY").indicator == "人工智能核心产业规模"


@pytest.mark.parametrize(
    "text,value,unit,indicator",
    [
        (LEAD + "2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。", "120000000000", "CNY", "人工智能核心产业规模"),
        (LEAD + "2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。", "15.2", "%", "人工智能核心产业规模同比增长"),
        (LEAD + "截至去年底，全省人工智能企业数量超过800家。", "800", "家", "人工智能企业数量"),
        ("星河智能科技股份有限公司发布年报，公司海外营收达到1.2亿美元。", "120000000", "USD", "海外营收"),
    ],
)
def test_indicator(run, text, value, unit, indicator):
    assert find(run(text, "2025-03-01"), value, unit).indicator == indicator


def test_evidence_is_the_sentence_in_the_text(run):
    text = LEAD + "2024年全省人工智能核心产业规模达到1200亿元，同比增长15.2%。\n目前，全省人工智能企业约650家。"
    ex = run(text, "2025-03-01")
    assert len(ex.observations) == 3
    for o in ex.observations:
        ev = o.evidence
        assert text[ev.start : ev.end] == ev.text
        assert ev.doc_id == "t"
        assert 0 < ev.confidence <= 1
        # the sentence holds the number it reports
        assert "\n" not in ev.text
    assert find(ex, "650", "家").evidence.text == "目前，全省人工智能企业约650家。"


def test_no_observation_without_numbers(run):
    assert run(LEAD + "全省将加快人工智能产业布局。", "2024-06-01").observations == []


def test_years_and_dates_are_not_observations(run):
    ex = run("2024年5月20日，江西省人工智能大会在南昌开幕。", "2024-05-21")
    assert ex.observations == []
