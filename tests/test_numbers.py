"""Tests for kg.numbers: numbers, units, qualifiers, times and status cues."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import numbers as n
from kg.errors import LexiconError

DATA = Path(__file__).parent / "data"
GOLD_FILES = sorted((DATA / "dev").glob("*.json")) + sorted((DATA / "gold").glob("*.json"))


def normalize(s: str, traditional: bool = False) -> str:
    """Per-character NFKC (full-width → ASCII), then traditional → simplified when asked."""
    s = "".join(unicodedata.normalize("NFKC", c) for c in s)
    if traditional:
        import opencc

        s = opencc.OpenCC("t2s").convert(s)
    return s


def triples(text: str) -> list[tuple[str, str, str]]:
    return [(q.value, q.unit, q.qualifier) for q in n.find_quantities(text)]


# -- parse_number / format_decimal ------------------------------------------------------

@pytest.mark.parametrize(
    "s, expected",
    [
        ("5800", "5800"),
        ("3,126", "3126"),
        ("2.35", "2.35"),
        ("4.2万", "42000"),
        ("2万亿", "2000000000000"),
        ("2.35万亿", "2350000000000"),
        ("千亿", "100000000000"),
        ("百亿", "10000000000"),
        ("3200万", "32000000"),
        ("一千零八十", "1080"),
        ("二十一", "21"),
        ("十", "10"),
        ("十二", "12"),
        ("两", "2"),
        ("两千", "2000"),
        ("四", "4"),
        ("一万二", "12000"),
        ("三千五", "3500"),
        ("一百零一", "101"),
        ("一亿二千万", "120000000"),
        ("五千八百亿", "580000000000"),
        ("二十万亿", "20000000000000"),
        ("三点五", "3.5"),
        ("零点五", "0.5"),
        ("-5", "-5"),
        ("+103.8", "103.8"),
    ],
)
def test_parse_number(s, expected):
    assert n.parse_number(s) == Decimal(expected)


@pytest.mark.parametrize("s", ["十几", "几十", "二三", "七成", "", "abc", "亿万", "十百", "5%", "1.2.3", "万一"])
def test_parse_number_rejects(s):
    assert n.parse_number(s) is None


@pytest.mark.parametrize(
    "d, expected",
    [
        (Decimal("5.8E+11"), "580000000000"),
        (Decimal("23.50"), "23.5"),
        (Decimal("8.6"), "8.6"),
        (Decimal("0.5"), "0.5"),
        (Decimal("210000.0"), "210000"),
        (Decimal("1E+2"), "100"),
        (Decimal("-0"), "0"),
        (Decimal("0E-7"), "0"),
        (Decimal("1.50"), "1.5"),
    ],
)
def test_format_decimal(d, expected):
    assert n.format_decimal(d) == expected


def test_format_decimal_refuses_nan():
    with pytest.raises(ValueError):
        n.format_decimal(Decimal("NaN"))


# -- find_quantities: values and units ---------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        # money
        ("产业规模已接近5800亿元人民币", ("580000000000", "CNY", "approx")),
        ("30亿港元的资助计划", ("3000000000", "HKD", "exact")),
        ("投入约1亿澳门元", ("100000000", "MOP", "approx")),
        ("收入12亿美元", ("1200000000", "USD", "exact")),
        ("利用外资约4.2亿美元", ("420000000", "USD", "approx")),
        ("融资5亿欧元", ("500000000", "EUR", "exact")),
        ("投资300亿日元", ("30000000000", "JPY", "exact")),
        ("募资20亿港币", ("2000000000", "HKD", "exact")),
        ("规模首破千亿元", ("100000000000", "CNY", "atLeast")),
        ("年营收超百亿元", ("10000000000", "CNY", "atLeast")),
        ("带动相关产业规模超2万亿元", ("2000000000000", "CNY", "atLeast")),
        ("地区生产总值达到2.35万亿元", ("2350000000000", "CNY", "exact")),
        ("最高支持3000万元", ("30000000", "CNY", "atMost")),
        ("投资3000多万元", ("30000000", "CNY", "atLeast")),
        ("五千八百亿元", ("580000000000", "CNY", "exact")),
        ("资金5亿人民币", ("500000000", "CNY", "exact")),
        ("净利润1.50元", ("1.5", "CNY", "exact")),
        # percent and ratios
        ("同比增长35%", ("35", "%", "exact")),
        ("同比增长约35%", ("35", "%", "approx")),
        ("| +103.8% |", ("103.8", "%", "exact")),
        ("同比下降-5%", ("-5", "%", "exact")),
        ("智能算力占比超过90%", ("90", "%", "atLeast")),
        ("比重达到45%左右", ("45", "%", "approx")),
        ("占比保持在90%以上", ("90", "%", "atLeast")),
        ("增速控制在20%以内", ("20", "%", "atMost")),
        ("约占全球的60%", ("60", "%", "approx")),
        ("占全省比重近七成", ("70", "%", "approx")),
        ("企业约占全市的六成", ("60", "%", "approx")),
        ("其中六成来自外省", ("60", "%", "exact")),
        ("较两年前增加约四成", ("40", "%", "approx")),
        ("八成以上", ("80", "%", "atLeast")),
        ("百分之三十五", ("35", "%", "exact")),
        ("高于全国平均水平约8个百分点", ("8", "个百分点", "approx")),
        ("提高2.5百分点", ("2.5", "个百分点", "exact")),
        ("营收同比增长近3倍", ("3", "倍", "approx")),
        # compute, kept in the unit written
        ("算力达到100EFLOPS", ("100", "EFLOPS", "exact")),
        ("首阶段算力为1300PFLOPS", ("1300", "PFLOPS", "exact")),
        ("单卡50TFLOPS", ("50", "TFLOPS", "exact")),
        ("约12 EFlops", ("12", "EFLOPS", "approx")),
        ("达到8.6EFLOPS", ("8.6", "EFLOPS", "exact")),
        # counts with a measure word
        ("核心企业4400家", ("4400", "家", "exact")),
        ("已建成5G基站170万个", ("1700000", "个", "exact")),
        ("连接工业设备超过7800万台(套)", ("78000000", "台", "atLeast")),
        ("新增载体面积约5万平方米", ("50000", "平方米", "approx")),
        ("超过3200万核时", ("32000000", "核时", "atLeast")),
        ("已累计发布四批清单", ("4", "批", "exact")),
        ("专利授权1.2万件", ("12000", "件", "exact")),
        ("从业人员近12万人", ("120000", "人", "approx")),
        ("培育十家龙头企业", ("10", "家", "exact")),
        ("两家企业", ("2", "家", "exact")),
        ("旅客吞吐量突破5000万人次", ("50000000", "人次", "atLeast")),
        ("大模型105款", ("105", "款", "exact")),
        ("发明专利312项", ("312", "项", "exact")),
        ("医疗器械三类证40余张", ("40", "张", "atLeast")),
        ("标准机架4.2万架", ("42000", "架", "exact")),
        ("员工总数3260人", ("3260", "人", "exact")),
        ("博士研究生400多名", ("400", "名", "atLeast")),
        ("企业2000余家", ("2000", "家", "atLeast")),
        ("企业1.2万余家", ("12000", "家", "atLeast")),
        ("百余家企业", ("100", "家", "atLeast")),
        ("3,126家", ("3126", "家", "exact")),
        ("合计约3,260亿元", ("326000000000", "CNY", "approx")),
        # qualifiers
        ("企业超过1500家", ("1500", "家", "atLeast")),
        ("从业人员超10万人", ("100000", "人", "atLeast")),
        ("增加到2024年底的逾900家", ("900", "家", "atLeast")),
        ("产业规模突破1.6万亿元", ("1600000000000", "CNY", "atLeast")),
        ("培育10家以上龙头企业", ("10", "家", "atLeast")),
        ("数据集不少于50个", ("50", "个", "atLeast")),
        ("研发投入不低于12亿元", ("1200000000", "CNY", "atLeast")),
        ("不超过3亿元", ("300000000", "CNY", "atMost")),
        ("最高5000万元算力券", ("50000000", "CNY", "atMost")),
        ("至多3家", ("3", "家", "atMost")),
        ("大约300家", ("300", "家", "approx")),
        ("约为25%", ("25", "%", "approx")),
        ("由2023年底的近700家", ("700", "家", "approx")),
        ("突破了1000家", ("1000", "家", "atLeast")),
        ("共签约87个项目", ("87", "个", "exact")),
        ("超三成", ("30", "%", "atLeast")),
        ("10余个国家", ("10", "个", "atLeast")),
        ("截至2025年3月末,全国累计建成5G基站超过440万个", ("4400000", "个", "atLeast")),
        ("最高可达5000万元", ("50000000", "CNY", "atMost")),
        # ranges: the lower bound, at least
        ("建设3-5个孵化器", ("3", "个", "atLeast")),
        ("建设3至5个孵化器", ("3", "个", "atLeast")),
        ("建设三至五个孵化器", ("3", "个", "atLeast")),
        ("占比10%-20%", ("10", "%", "atLeast")),
        ("投资3-5亿元", ("300000000", "CNY", "atLeast")),
    ],
)
def test_find_quantities(text, expected):
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年",
        "2023—2025年",
        "3月22日",
        "15:00—16:30",
        "2025年5月31日前",
        "发布时间:2025-01-16 07:30",
        "国数发〔2025〕7号",
        "〔2025〕",
        "天枢3.0",
        "股票代码688725",
        "688725.SH",
        "电话:010-12345678",
        "沪ICP备12034567号",
        "沪公网安备31010402008821号",
        "5G",
        "十四五",
        "第46届",
        "12号线",
        "三十余年",
        "30余年",
        "2至3年",
        "两周",
        "三个月",
        "8个年头",
        "第二",
        "第三批",
        "居全国第三",
        "每10股派发现金红利1.50元(含税)",
        "一是",
        "二、",
        "一家家企业",
        "十几家",
        "数百家",
        "几十万人",
        "千家万户",
        "百家号",
        "H800芯片",
        "GPT-4个版本",
        "v1.2.3",
        "上午10时",
        "15日上午",
        "近3年",
        "7纳米",
        "世界500强",
        "一成不变",
        "三成为",
        "规模以上企业",
        "人工智能元宇宙",
    ],
)
def test_find_quantities_excludes(text):
    assert n.find_quantities(text) == []


def test_quantity_span_and_text():
    text = "全市集聚企业2000余家，占比近七成。"
    qs = n.find_quantities(text)
    assert [q.text for q in qs] == ["2000余家", "近七成"]
    for q in qs:
        assert text[q.start : q.end] == q.text
    # a ratio in words carries no digit, so a caller can lower its confidence
    assert not any(ch.isdigit() for ch in qs[1].text)


def test_quantities_in_order_with_exclusions():
    text = "截至2024年12月31日，公司员工总数3260人，其中研发人员2183人，占比接近67%。每10股派发现金红利1.50元。"
    assert triples(text) == [("3260", "人", "exact"), ("2183", "人", "exact"), ("67", "%", "approx")]


def test_list_of_counts():
    text = "江苏省、浙江省和安徽省分别为812家、765家和502家"
    assert [q.value for q in n.find_quantities(text)] == ["812", "765", "502"]


# -- gold evidence -------------------------------------------------------------------------

def _gold_cases():
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for i, o in enumerate(gold.get("observations", [])):
            if o.get("optional"):
                continue
            yield pytest.param(path.name, o, id=f"{path.stem}-{i}")


def _table_cells(row: str) -> list[str]:
    """A Markdown table row as the metrics stage reads it: the header unit (万架) joins each bare number."""
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    unit = ""
    if "(" in cells[0] and cells[0].endswith(")"):
        unit = cells[0][cells[0].index("(") + 1 : -1]
    return [c + unit if n.parse_number(c) is not None else c for c in cells[1:]]


@pytest.mark.parametrize("name, obs", list(_gold_cases()))
def test_gold_observation_values(name, obs):
    evidence = normalize(obs["evidence"], traditional=name == "06.json")
    want = (n.format_decimal(Decimal(str(obs["value"]))), obs["unit"], obs["qualifier"])
    if evidence.startswith("|"):
        found = [t for cell in _table_cells(evidence) for t in triples(cell)]
    else:
        found = triples(evidence)
    assert want in found, f"{evidence!r}: {found}"


def test_gold_noise_free_furniture():
    # stock codes, ICP numbers and click counts have no unit and never become quantities
    for text in ["点击量:3862", "股票代码:688725", "沪ICP备12034567号-1", "点击:1,024", "(688725.SH)"]:
        assert n.find_quantities(text) == []


# -- find_times -------------------------------------------------------------------------------

def governing_period(text: str, pub_date, year_end_month: bool = False):
    """The period of the last time expression, as the metrics stage picks it for a number at the end."""
    chosen = None
    for te in n.find_times(text, pub_date, year_end_month=year_end_month):
        if te.kind not in ("range", "duration"):
            chosen = te
    if chosen is None or chosen.kind == "now":
        return None
    return chosen.period


# (evidence from the gold files or their articles, pub_date, period annotated in the gold)
GOLD_PERIODS = [
    ("2024年，安徽省人工智能核心产业规模达到1080亿元", "2025-01-16", "2024"),
    ("截至去年底，全省人工智能相关企业超过1500家", "2025-01-16", "2024"),
    ("截至2024年底，全省在用算力总规模约12EFLOPS", "2025-01-16", "2024"),
    ("到2027年，全省人工智能核心产业规模力争达到3000亿元", "2025-01-16", "2027"),
    ("2024年合肥市人工智能产业规模约720亿元", "2025-01-16", "2024"),
    ("位于合肥的合肥先进计算中心累计对外提供算力服务超过3200万核时", "2025-01-16", None),
    ("2024年公司实现营业收入38.62亿元", "2025-04-17", "2024"),
    ("截至2024年12月31日，公司员工总数3260人", "2025-04-17", "2024-12-31"),
    ("2025年计划研发投入不低于12亿元", "2025-04-17", "2025"),
    ("公司于2024年11月8日发布的“天枢3.0”多模态大模型，已在金融、制造、政务等领域落地超过600个项目", "2025-04-17", None),
    ("当前，我国人工智能产业快速发展，核心产业规模已接近6000亿元", "2025-03-24", None),
    ("到2027年底，每个试点城市建设高质量行业数据集不少于50个", "2025-03-24", "2027"),
    ("人工智能企业数量由2023年底的近700家", "2025-02-26", "2023"),
    ("增加到2024年底的逾900家", "2025-02-26", "2024"),
    ("成都智算中心2023年算力规模为300PFLOPS", "2025-02-26", "2023"),
    ("目前全市人工智能从业人员超10万人", "2025-02-26", None),
    ("公司去年10月完成5亿元B轮融资", "2025-02-26", "2024-10"),
    ("公司去年10月完成5亿元B轮融资，员工已近800人", "2025-02-26", None),
    ("明确到2026年，全市人工智能核心产业规模力争突破1500亿元", "2025-02-26", "2026"),
    ("我们研究院去年与企业合作的项目经费约3.2亿元", "2025-04-08", "2024"),
    ("截至今年4月底已批出资助项目42个", "2025-05-12", "2025-04"),
    ("香港目前有人工智能及数据科学相关企业超过1100家", "2025-05-12", None),
    ("澳门科学技术发展基金今年将投入约1亿澳门元", "2025-05-12", "2025"),
    ("预计今年内扩展至3000PFLOPS", "2025-05-12", "2025"),
    ("昨日在香港会议展览中心举行，来自香港、深圳等地的学者逾800人出席", "2025-05-12", "2025-05-11"),
    ("截至去年底，全市人工智能重点企业超过1100家，累计有82款大模型完成备案", "2025-06-20", "2024"),
    ("截至2024年底，贵州算力总规模达到58.3EFLOPS", "2025-03-18", "2024"),
    ("今年新区将新增智能算力规模10EFLOPS以上", "2025-03-18", "2025"),
    ("去年全市人工智能核心产业规模达到1035亿元", "2025-04-03", "2024"),
    ("今年一季度全市规模以上人工智能企业实现营业收入268亿元", "2025-04-03", "2025-Q1"),
    ("截至上月底全市已建成智算中心11个", "2025-04-03", "2025-03"),
    ("今年以来，全市已累计发布人工智能应用场景需求45项，首批“算力券”已向62家中小企业发放", "2025-04-03", "2025"),
    ("目前东湖新技术开发区集聚人工智能企业超过600家", "2025-04-03", None),
    ("到2025年底，区域人工智能企业数量有望达到3,600家", "2025-05-28", "2025"),
    ("截至6月底,已建成5G基站170万个", "2022-07-26", "2022-06"),
]

# the seed gold writes year-ends as months
SEED_PERIODS = [
    ("到2024年底,深圳人工智能产业规模达3600亿元", "2025-02-15", "2024-12"),
    ("截至去年底,上海已累计完成60款生成式人工智能服务大模型备案", "2025-02-15", "2024-12"),
    ("据2023年底的统计,我国人工智能核心企业数量已超过4400家", None, "2023-12"),
]


@pytest.mark.parametrize("text, pub, expected", GOLD_PERIODS)
def test_gold_periods(text, pub, expected):
    assert governing_period(text, pub) == expected


@pytest.mark.parametrize("text, pub, expected", SEED_PERIODS)
def test_seed_periods_year_end_as_month(text, pub, expected):
    assert governing_period(text, pub, year_end_month=True) == expected


@pytest.mark.parametrize(
    "text, pub, expected",
    [
        ("2024年", "2025-03-01", [("2024", "year")]),
        ("2024年底", "2025-03-01", [("2024", "end")]),
        ("2024年末", "2025-03-01", [("2024", "end")]),
        ("截至2024年底", "2025-03-01", [("2024", "end")]),
        ("去年", "2025-03-01", [("2024", "year")]),
        ("去年底", "2025-03-01", [("2024", "end")]),
        ("今年", "2025-03-01", [("2025", "year")]),
        ("明年", "2025-03-01", [("2026", "year")]),
        ("今年一季度", "2025-03-01", [("2025-Q1", "quarter")]),
        ("一季度", "2025-03-01", [("2025-Q1", "quarter")]),
        ("2024年第三季度", "2025-03-01", [("2024-Q3", "quarter")]),
        ("上半年", "2025-08-01", [("2025", "half")]),
        ("2024年上半年", "2025-08-01", [("2024", "half")]),
        ("前三季度", "2025-10-20", [("2025", "part")]),
        ("今年1-5月", "2025-06-20", [("2025", "part")]),
        ("截至6月底", "2022-07-26", [("2022-06", "end")]),
        ("上月底", "2025-04-03", [("2025-03", "end")]),
        ("截至上月底", "2025-01-10", [("2024-12", "end")]),
        ("上月", "2025-04-03", [("2025-03", "month")]),
        ("5月末", "2025-06-03", [("2025-05", "end")]),
        ("截至2024年12月31日", "2025-04-17", [("2024-12-31", "day")]),
        ("到2027年", "2025-01-16", [("2027", "target")]),
        ("到2027年底", "2025-01-16", [("2027", "target")]),
        ("到2024年底", "2025-02-15", [("2024", "end")]),
        ("2025年至2027年", "2025-03-24", [(None, "range")]),
        ("2023—2025年", "2025-03-24", [(None, "range")]),
        ("昨日", "2025-05-12", [("2025-05-11", "day")]),
        ("昨天", "2025-03-01", [("2025-02-28", "day")]),
        ("今年4月底", "2025-05-12", [("2025-04", "end")]),
        ("去年10月", "2025-02-26", [("2024-10", "month")]),
        ("4月2日", "2025-04-03", [("2025-04-02", "date")]),
        ("12月30日", "2025-01-05", [("2024-12-30", "date")]),
        ("2024年9月20日", "2025-01-16", [("2024-09-20", "day")]),
        ("2025年05月12日", None, [("2025-05-12", "day")]),
        ("2025-01-16 07:30", None, [("2025-01-16", "day")]),
        ("二〇二四年", None, [("2024", "year")]),
        ("今年以来", "2025-04-03", [("2025", "year")]),
        ("今年年初", "2025-04-03", [("2025", "year")]),
        ("目前", "2025-04-03", [(None, "now")]),
        ("当前", "2025-04-03", [(None, "now")]),
        ("现有", "2025-04-03", [(None, "now")]),
        ("已", "2025-04-03", [(None, "now")]),
        ("累计", "2025-04-03", [(None, "now")]),
        ("三十余年", "2025-04-03", [(None, "duration")]),
        ("2至3年", "2025-04-03", [(None, "duration")]),
        ("两周", "2025-04-03", [(None, "duration")]),
        ("三个月", "2025-04-03", [(None, "duration")]),
        ("全年", "2025-04-03", []),
        ("去年", None, [(None, "year")]),
        ("上月底", None, [(None, "end")]),
        ("昨日", None, [(None, "day")]),
        ("4月2日", None, [(None, "date")]),
        ("一季度", None, [(None, "quarter")]),
    ],
)
def test_find_times(text, pub, expected):
    got = n.find_times(text, pub)
    assert [(t.period, t.kind) for t in got] == expected
    for t in got:
        assert 0 <= t.start < t.end <= len(text)


def test_time_spans():
    text = "到2027年，全省人工智能核心产业规模力争达到3000亿元"
    (te,) = n.find_times(text, "2025-01-16")
    assert text[te.start : te.end] == "到2027年"


@pytest.mark.parametrize(
    "text, pub",
    [
        ("从2023年的约680亿元增长到2024年的856亿元", "2025-02-26"),  # 增长到 is not "by"
        ("培育10家以上年营收超百亿元的龙头企业", "2025-01-16"),  # 以上年 is not 上年
    ],
)
def test_times_not_misread(text, pub):
    kinds = [(text[t.start : t.end], t.kind) for t in n.find_times(text, pub)]
    assert all(k != "target" for _, k in kinds)
    assert all(w != "上年" for w, _ in kinds)


def test_weak_now_word_dropped_when_governed():
    text = "截至上月底全市已建成智算中心11个"
    assert [t.kind for t in n.find_times(text, "2025-04-03")] == ["end"]
    text = "公司去年10月完成5亿元B轮融资，员工已近800人"
    assert [t.kind for t in n.find_times(text, "2025-02-26")] == ["month", "now"]


# -- detect_status -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "prefix, pub, expected",
    [
        ("到2027年，全省人工智能核心产业规模力争达到", None, "target"),
        ("到2027年，智能算力规模超过", None, "target"),
        ("到2027年，智能算力规模超过", "2025-01-16", "target"),
        ("他透露，合肥市将于今年一季度出台新一轮支持政策，市级财政每年安排", None, "target"),
        ("2025年计划研发投入", None, "target"),
        ("上海规模以上工业企业人工智能应用普及率目标为", None, "target"),
        ("争取", None, "target"),
        ("拟投资", None, "target"),
        ("即将投产的项目", None, "target"),
        ("各试点城市要建设", None, "target"),
        ("预计全年营业收入有望", None, "forecast"),
        ("预计今年内扩展至", None, "forecast"),
        ("区域人工智能企业数量有望达到", None, "forecast"),
        ("可望", None, "forecast"),
        ("预计将达到", None, "forecast"),
        ("2024年，安徽省人工智能核心产业规模达到", None, "reported"),
        ("人工智能核心产业规模将近", None, "reported"),
        ("主要经济指标中，营收", None, "reported"),
        ("需要大量人才，缺口", None, "reported"),
        ("虚拟电厂装机", None, "reported"),
        ("业绩超预期，营收", None, "reported"),
        ("根据《人工智能产业三年行动计划》，全市企业", None, "reported"),
        ("特区政府亦已推出「人工智能资助计划」，", None, "reported"),
        ("从2023年的约680亿元增长到2024年的", None, "reported"),
        ("到2024年底,深圳人工智能产业规模达", "2025-02-15", "reported"),
        ("到2024年底,深圳人工智能产业规模达", None, "target"),
        ("试点期为2025年至2027年,共有", None, "reported"),
        ("", None, "reported"),
    ],
)
def test_detect_status(prefix, pub, expected):
    assert n.detect_status(prefix, pub) == expected


# -- lexicons --------------------------------------------------------------------------------------

def _write_lexicons(folder: Path, units: str | None = None, cues: str | None = None) -> None:
    root = Path(__file__).resolve().parent.parent / "ontology" / "lexicons"
    (folder / "units.tsv").write_text(units or (root / "units.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "cues.tsv").write_text(cues or (root / "cues.tsv").read_text(encoding="utf-8"), encoding="utf-8")


@pytest.mark.parametrize(
    "units, cues, message",
    [
        ("word\tunit\tkind\tfactor\tnot_before\n元\tCNY\tmoney\t1\t-\n", None, "units.tsv:2: unknown kind"),
        ("word\tunit\tkind\tfactor\tnot_before\n元\tCNY\tcurrency\tx\t-\n", None, "units.tsv:2: factor"),
        ("word\tunit\tkind\tfactor\tnot_before\n# c\n元\tCNY\tcurrency\t1\n", None, "units.tsv:3: expected 5"),
        ("word\tunit\tkind\tfactor\tnot_before\n元\tCNY\tcurrency\t1\t-\n元\tCNY\tcurrency\t1\t-\n", None, "units.tsv:3: duplicate"),
        ("word\tunit\tkind\n", None, "units.tsv:1: header"),
        (None, "cue\tkind\tvalue\n超过\tbefore\tmore\n", "cues.tsv:2: a before cue needs a qualifier"),
        (None, "cue\tkind\tvalue\n力争\tstatus\tplan\n", "cues.tsv:2: a status cue"),
        (None, "cue\tkind\tvalue\n去年\tyear\tlast\n", "cues.tsv:2: a year cue needs an integer"),
        (None, "cue\tkind\tvalue\n约\tbefore\tapprox\n签约\tblock\t近\n", "cues.tsv:3: block word"),
        (None, "cue\tkind\tvalue\n签约\tblock\t约\n", "cues.tsv:2: '签约' blocks '约', which is no cue"),
        (None, "cue\tkind\tvalue\n约\tbefore\tapprox\n约\tbefore\tapprox\n", "cues.tsv:3: duplicate"),
        (None, "cue\tkind\tvalue\n约\tnearly\tapprox\n", "cues.tsv:2: unknown kind"),
    ],
)
def test_bad_lexicon_rows_name_file_and_line(tmp_path, monkeypatch, units, cues, message):
    _write_lexicons(tmp_path, units, cues)
    monkeypatch.setenv("KG_LEXICONS", str(tmp_path))
    with pytest.raises(LexiconError) as err:
        n.find_quantities("超过1500家")
    assert message in str(err.value)


def test_shipped_lexicons_load():
    assert n.find_quantities("超过1500家")[0].qualifier == "atLeast"


# -- properties -------------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("0123456789.,%+-~—至到:()〔〕年月日号底末第每约近超逾余多以上下左右内 ")
    + list("零〇一二两三四五六七八九十百千万亿点几数成倍")
    + ["家", "个", "元", "亿元", "美元", "港元", "人民币", "EFLOPS", "PFLOPS", "个百分点", "个月", "季度",
       "去年", "今年", "上月", "昨日", "截至", "目前", "已", "累计", "百分之", "G", "A", "。", "，", "\n"]
)
_TEXT = st.one_of(st.text(max_size=80), st.lists(_ALPHABET, max_size=40).map("".join))


def _check_spans(text, items):
    last = 0
    for it in items:
        assert 0 <= it.start < it.end <= len(text)
        assert it.start >= last
        last = it.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_find_quantities_never_raises_and_spans_are_ordered(text):
    qs = n.find_quantities(text)
    _check_spans(text, qs)
    for q in qs:
        assert q.text == text[q.start : q.end]
        assert "E" not in q.value and Decimal(q.value).is_finite()
        assert q.qualifier in ("exact", "approx", "atLeast", "atMost")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.sampled_from([None, "2025-04-03", "2024-01-05", "bad-date"]))
def test_find_times_never_raises_and_spans_are_ordered(text, pub):
    times = n.find_times(text, pub)
    _check_spans(text, times)
    for t in times:
        assert t.period is None or t.period[:4].isdigit()


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.sampled_from([None, "2025-04-03"]))
def test_detect_status_never_raises(text, pub):
    assert n.detect_status(text, pub) in ("reported", "target", "forecast")


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_parse_number_round_trips_integers(i):
    assert n.parse_number(str(i)) == i


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_parse_number_round_trips_decimals(d):
    assert n.parse_number(n.format_decimal(d)) == d


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_parse_number_reads_chinese_numerals_as_cn2an_writes_them(i):
    assert n.parse_number(cn2an.an2cn(i)) == i


_DATE_PIECES = st.one_of(
    st.integers(1990, 2035).map(lambda y: f"{y}年"),
    st.tuples(st.integers(1990, 2035), st.integers(1, 12), st.integers(1, 28)).map(lambda t: f"{t[0]}年{t[1]}月{t[2]}日"),
    st.tuples(st.integers(1, 12), st.integers(1, 28)).map(lambda t: f"{t[0]}月{t[1]}日"),
    st.tuples(st.integers(1990, 2030), st.integers(1, 5)).map(lambda t: f"{t[0]}—{t[0] + t[1]}年"),
    st.tuples(st.integers(1990, 2035), st.integers(1, 12), st.integers(1, 28)).map(lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.integers(1, 12).map(lambda m: f"{m}月底"),
)


@given(st.lists(_DATE_PIECES, min_size=1, max_size=6), st.sampled_from([",", "、", " ", "至", "—", "", "前"]))
def test_no_quantity_in_dates_only(pieces, sep):
    assert n.find_quantities(sep.join(pieces)) == []


@pytest.mark.parametrize("text", ["1" * 1_000_000, "亿" * 1_000_000, "1,2" * 300_000, "2024年" * 100_000])
def test_huge_inputs_complete(text):
    assert isinstance(n.find_quantities(text), list)
    assert isinstance(n.find_times(text, "2025-01-01"), list)
    assert n.detect_status(text) in ("reported", "target", "forecast")


@pytest.mark.parametrize(
    "text, pub, word, expected",
    [
        ("今年以来，全市已累计发布需求45项", "2025-04-03", "45项", True),
        ("2024年，安徽省人工智能核心产业规模达到1080亿元", "2025-01-16", "1080亿元", True),
        ("截至上月底全市已建成智算中心11个", "2025-04-03", "11个", True),
        ("据2023年底的统计,我国人工智能核心企业数量已超过4400家", None, "4400家", True),
        ("公司去年10月完成5亿元B轮融资，员工已近800人", "2025-02-26", "800人", False),
        ("合肥市将于今年一季度出台新一轮支持政策，市级财政每年安排不少于10亿元", "2025-01-16", "10亿元", False),
        ("今年北京市政府工作报告提到,北京备案上线大模型105款", "2025-02-15", "105款", False),
        ("2024年底的数据。目前企业超过600家", "2025-04-03", "600家", False),
    ],
)
def test_governs(text, pub, word, expected):
    dated = [t for t in n.find_times(text, pub) if t.kind != "now"]
    assert n.governs(text, dated[0], text.index(word)) is expected
