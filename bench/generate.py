"""Write N MB of invented but realistic Chinese AI-industry news articles.

    python bench/generate.py N_MB OUTDIR [--seed S]

Article ``i`` depends only on (seed, i), so a 10 MB corpus is a prefix of
the 100 MB one and an incremental rebuild can be measured by adding files.
Places and bodies come from the project's lexicons (so the recognizers see
the names they know); people, companies and numbers are invented from small
character pools, so entities repeat across articles as they do in real news
(a city's bureau, a company's chairman) and the graph grows realistically.
Pages carry furniture (相关阅读 lists, 责任编辑 lines, source links) that
ingest must drop. About one file in ten is Markdown with front matter and
one in twenty a saved HTML page.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = ROOT / "ontology" / "lexicons"

# Pools for invented names: common given-name characters and trade-name
# syllables. Combinations are invented; they name nobody in the articles.
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华玉萍红建文辉力鹏飞宇浩凯晨阳雪琳晶欣怡佳宁峰志国海波斌"
TRADE = "星衡云启智元深瞳灵犀数澜天枢曜石矩阵极光量子芯航思远锐视擎苍图灵墨子青藤蓝鲸玄武朱雀白泽"
INDUSTRY = ["智能科技", "信息技术", "科技", "数据科技", "软件", "网络科技", "机器人"]
LEGAL = ["股份有限公司", "有限公司", "有限责任公司", "集团有限公司"]
OUTLETS = ["新华社", "中新社", "经济日报", "科技日报", "人民网", "证券时报", "第一财经"]
INDICATORS = [
    ("人工智能核心产业规模", "亿元"), ("算力总规模", "EFLOPS"), ("智能算力规模", "PFLOPS"),
    ("人工智能企业数量", "家"), ("数字经济核心产业增加值", "亿元"), ("规上企业营业收入", "亿元"),
    ("专利申请量", "件"), ("数据中心机架", "万架"), ("大模型备案数量", "个"), ("产业基金规模", "亿元"),
]
QUALIFIERS = ["", "约", "超过", "近", "达到", "突破", "不少于"]
FILLER = [
    "这一数据标志着当地在人工智能领域的强劲增长势头。",
    "业内人士认为，大模型正在从技术突破走向规模化应用。",
    "随着政策的持续支持和技术创新的不断突破，产业集聚效应进一步显现。",
    "会议围绕算力基础设施、数据要素流通和场景开放等议题展开讨论。",
    "与会专家表示，要坚持应用牵引，推动人工智能与实体经济深度融合。",
    "下一步，将持续优化营商环境，加大对创新企业的支持力度。",
    "据了解，相关项目已进入设备调试阶段，预计年内投入使用。",
    "记者在现场看到，多款具身智能机器人正在进行演示。",
]
RELATED_TITLES = [
    "人工智能赋能千行百业", "算力网络建设提速", "数据要素市场化改革迈出新步伐",
    "具身智能产业迎来发展窗口期", "大模型应用落地加速", "智能制造示范工厂名单公布",
]


def _rows(name: str) -> list[list[str]]:
    out = []
    with open(LEXICONS / name, encoding="utf-8") as f:
        header = None
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
                continue
            out.append(cells + [""] * (len(header) - len(cells)))
    return out


class Pools:
    """The names articles draw from, read once from the lexicons."""

    def __init__(self) -> None:
        places = _rows("places.tsv")
        # name, short, kind, adcode, parent, en
        self.cities = [(r[0], r[1].split("|")[0] or r[0]) for r in places if r[2] == "City" and r[0].endswith("市")]
        self.provinces = [(r[0], r[1].split("|")[0] or r[0]) for r in places if r[2] == "Province"]
        self.gov = [r[0] for r in _rows("gov_bodies.tsv") if r[4] == "national"] or [r[0] for r in _rows("gov_bodies.tsv")]
        local = _rows("local_bodies.tsv")
        self.city_bodies = [r[0] for r in local if "city" in r[3].split("|") and not r[0].startswith("特别行政区")]
        titles = _rows("titles.tsv")
        # officials' titles that a ministry or a city bureau has (not 行政长官)
        self.gov_titles = [r[0] for r in titles if r[2] == "government" and r[0].endswith(("长", "主任", "巡视员", "调研员"))
                           and "行政" not in r[0]]
        self.company_titles = [r[0] for r in titles if r[2] == "company" and not r[0].isascii()]
        self.academic_titles = [r[0] for r in titles if r[2] == "academic"]
        self.surnames = [r[0] for r in _rows("surnames.txt") if len(r[0]) == 1][:120]


def _person(rng: random.Random, p: Pools) -> str:
    return rng.choice(p.surnames) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _company(rng: random.Random, city_short: str) -> tuple[str, str]:
    # the trade name is fixed per (city, draw) so companies recur across articles
    trade = rng.choice(TRADE) + rng.choice(TRADE)
    return f"{city_short}{trade}{rng.choice(INDUSTRY)}{rng.choice(LEGAL)}", trade


def _number(rng: random.Random, unit: str) -> str:
    if unit == "亿元":
        return f"{rng.randint(12, 9800)}" + (f".{rng.randint(1, 9)}" if rng.random() < 0.3 else "")
    if unit in ("EFLOPS", "PFLOPS"):
        return f"{rng.randint(2, 120)}.{rng.randint(0, 9)}"
    if unit == "万架":
        return f"{rng.randint(1, 80)}"
    return f"{rng.randint(20, 9000)}"


def article(i: int, seed: int, p: Pools) -> tuple[str, str]:
    """The i-th article: (file suffix, content)."""
    rng = random.Random(f"{seed}:{i}")
    city, city_short = rng.choice(p.cities)
    other, other_short = rng.choice(p.cities)
    year = rng.randint(2022, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    outlet = rng.choice(OUTLETS)
    reporter = _person(rng, p)
    body = city + rng.choice(p.city_bodies)
    national = rng.choice(p.gov)
    official, official2 = _person(rng, p), _person(rng, p)
    company, trade = _company(rng, city_short)
    boss = _person(rng, p)
    scholar = _person(rng, p)
    title = f"{city_short}人工智能产业{rng.choice(['跑出加速度', '集聚发展', '再上新台阶', '规模突破新高'])}"
    paras: list[str] = []
    paras.append(f"{outlet}{city_short}{month}月{day}日电（记者 {reporter}）{month}月{day}日，"
                 f"{year}{city_short}人工智能产业发展大会在{city}举行。")
    ind, unit = rng.choice(INDICATORS)
    paras.append(f"{body}{rng.choice(p.gov_titles)}{official}表示，{year - 1}年，{city}{ind}"
                 f"{rng.choice(QUALIFIERS)}{_number(rng, unit)}{unit}，同比增长{rng.randint(3, 60)}.{rng.randint(0, 9)}%。"
                 f"{rng.choice(FILLER)}")
    ind2, unit2 = rng.choice(INDICATORS)
    paras.append(f"截至{year - 1}年底，全市{ind2}{rng.choice(QUALIFIERS)}{_number(rng, unit2)}{unit2}。"
                 f"到{year + 2}年，{city_short}力争{ind}达到{_number(rng, unit)}{unit}以上。{rng.choice(FILLER)}")
    paras.append(f"{national}{rng.choice(p.gov_titles)}{official2}在会上指出，要加快构建全国一体化算力网，"
                 f"支持{city}、{other}等地建设国家人工智能创新应用先导区。")
    paras.append(f"会上，{company}（以下简称“{trade}”）发布了新一代多模态大模型。"
                 f"{trade}{rng.choice(p.company_titles)}{boss}介绍，公司{year - 1}年营业收入约{rng.randint(2, 90)}亿元，"
                 f"研发投入占比超过{rng.randint(10, 40)}%。")
    if rng.random() < 0.6:
        paras.append(f"{city_short}大学人工智能研究院{rng.choice(p.academic_titles)}{scholar}认为，"
                     f"{rng.choice(FILLER)}")
    if rng.random() < 0.5:
        paras.append(f"{body}印发《{city}关于加快人工智能产业高质量发展的若干措施》，"
                     f"对新认定的创新平台最高给予{rng.randint(100, 3000)}万元支持。")
    if rng.random() < 0.5:
        prov, prov_short = rng.choice(p.provinces)
        paras.append(f"另据{prov}统计局数据，{year - 1}年全省规模以上电子信息制造业增加值同比增长"
                     f"{rng.randint(2, 30)}.{rng.randint(0, 9)}%，高于全国平均水平。")
    for _ in range(rng.randint(0, 3)):
        paras.append(rng.choice(FILLER) + rng.choice(FILLER))
    furniture = [f"责任编辑：{_person(rng, p)}"]
    if rng.random() < 0.7:
        furniture.append("相关阅读：")
        furniture += [f"· {rng.choice(RELATED_TITLES)}" for _ in range(rng.randint(2, 5))]
    furniture.append(f"【来源】https://news.example.cn/{year}/{i:07d}.html")
    kind = i % 20
    date = f"{year}-{month:02d}-{day:02d}"
    if kind == 7:
        body_html = "".join(f"<p>{x}</p>\n" for x in paras)
        extra = "".join(f"<li>{x}</li>" for x in furniture[1:])
        return ".html", (
            f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n"
            f"<div class=\"nav\">首页 &gt; 新闻中心</div>\n<div class=\"article\"><h1>{title}</h1>\n"
            f"<div class=\"info\">{date} 来源：{outlet}</div>\n{body_html}</div>\n"
            f"<div class=\"editor\">{furniture[0]}</div><ul class=\"related\">{extra}</ul>\n</body></html>\n"
        )
    if kind in (3, 13):
        front = f"---\ntitle: \"{title}\"\ndate: {date}\nsource: {outlet}\n---\n\n# {title}\n\n"
        return ".md", front + "\n\n".join(paras) + "\n\n" + "\n".join(furniture) + "\n"
    head = f"{title}\n{date} 来源：{outlet}\n\n"
    return ".txt", head + "\n\n".join(paras) + "\n\n" + "\n".join(furniture) + "\n"


def generate(megabytes: float, out: str | Path, seed: int = 1, per_folder: int = 1000) -> tuple[int, int]:
    """Write articles into ``out`` until they hold ``megabytes`` MB (UTF-8); return (files, bytes)."""
    out = Path(out)
    pools = Pools()
    target = int(megabytes * 1_000_000)
    written = 0
    i = 0
    while written < target:
        suffix, text = article(i, seed, pools)
        folder = out / f"{i // per_folder:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path = folder / f"a{i:07d}{suffix}"
        # rewriting an unchanged file would change its mtime only; skip it
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written += len(data)
        i += 1
    return i, written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("megabytes", type=float)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    n, size = generate(a.megabytes, a.outdir, a.seed)
    print(f"wrote {n} articles, {size / 1e6:.1f} MB, into {a.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
