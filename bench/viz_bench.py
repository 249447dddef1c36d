"""How long a large graph takes to appear in a browser.

    python bench/viz_bench.py [--entities 5000] [--max-nodes 1500] [--seed 1] [--out DIR] [--runs 3]

Generates an RDF graph of N entities in the shapes `kg build` writes (places
from the lexicon in a country → province → city → district tree; government
bodies under their people's government; companies, institutes, universities
and media located in cities; people holding posts with the sentence that
says so; policies issued, events organised; figures by area and year,
targets included; articles mentioning all of them), renders it with
`kg.viz.render` (reduced to the most central nodes by default, as `kg viz`
does), opens the page in headless Chromium from file:// with the network
cut, and prints the milliseconds from navigation to the first drawing and to
the settled layout. The target is 5 s for 5,000 entities.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/cdp.py: the DevTools-protocol driver

TRADE = "星衡云启智元深瞳灵犀数澜天枢曜石矩阵极光量子芯航思远锐视擎苍图灵墨子青藤蓝鲸玄武朱雀白泽"
INDUSTRY = ["智能科技", "信息技术", "科技", "数据科技", "软件", "网络科技", "机器人"]
LEGAL = ["股份有限公司", "有限公司", "集团有限公司"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华玉萍红建文辉力鹏飞宇浩凯晨阳雪琳晶欣怡佳宁峰志国海波斌"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
BODIES = ["人民政府", "经济和信息化局", "科学技术局", "发展和改革委员会", "数据局", "工业和信息化局"]
INSTITUTES = ["人工智能研究院", "智能计算研究中心", "大数据研究院", "智能制造创新中心"]
INDICATORS = [("人工智能核心产业规模", "CNY", 10**8), ("算力总规模", "EFLOPS", 1), ("人工智能企业数量", "家", 1),
              ("数字经济核心产业增加值", "CNY", 10**8), ("大模型备案数量", "款", 1)]
GOV_TITLES = ["局长", "副局长", "主任", "副主任", "处长", "市长", "副市长"]
CORP_TITLES = ["董事长", "总经理", "首席执行官", "首席技术官", "副总裁"]
ACADEMIC_TITLES = ["院长", "副院长", "首席科学家", "研究员"]


def places(limit: int) -> list[tuple[str, str, str, str]]:
    """(name, kind, parent, en) from the lexicon, provinces first, then cities, then districts."""
    rows = []
    for line in (ROOT / "ontology" / "lexicons" / "places.tsv").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 6 or cells[0] == "name":
            continue
        rows.append((cells[0], cells[2], cells[4], cells[5]))
    order = {"Province": 0, "City": 1, "District": 2}
    rows.sort(key=lambda r: order.get(r[1], 3))
    return rows[:limit]


def generate(n: int = 5000, seed: int = 1):
    """An rdflib Dataset of ``n`` entities, one named graph per invented article."""
    from rdflib import Dataset, Literal
    from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD

    from kg import types as t
    from kg.vocab import CLASS_OF_KIND, KG, SCHEMA, Minter

    rnd = random.Random(seed)
    mint = Minter()
    ds = Dataset()
    n_articles = max(10, n // 12)
    graphs = [ds.graph(mint.graph(f"bench-{i:05d}")) for i in range(n_articles)]
    arts = [mint.article(f"bench-{i:05d}") for i in range(n_articles)]
    offsets = [0] * n_articles
    for i, (g, a) in enumerate(zip(graphs, arts)):
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, SCHEMA.headline, Literal(f"人工智能产业观察（{i + 1}）", lang="zh")))
        g.add((a, SCHEMA.datePublished, Literal(f"{2019 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=XSD.date)))
        g.add((a, KG.sourcePath, Literal(f"bench/{i:05d}.txt")))

    entities: dict[str, tuple] = {}  # key → (iri, kind, article index)

    def entity(kind: str, key: str, en: str = ""):
        if key in entities:
            return entities[key][0]
        node = mint.entity(kind, key)
        i = rnd.randrange(n_articles)
        g = graphs[i]
        entities[key] = (node, kind, i)
        g.add((arts[i], SCHEMA.mentions, node))
        g.add((node, RDF.type, CLASS_OF_KIND[kind]))
        g.add((node, RDFS.label, Literal(key, lang="zh")))
        g.add((node, SKOS.prefLabel, Literal(key, lang="zh")))
        if en:
            g.add((node, SKOS.prefLabel, Literal(en, lang="en")))
        return node

    def sentence(i: int, text: str):
        start = offsets[i]
        offsets[i] += len(text)
        node = mint.sentence(f"bench-{i:05d}", start, start + len(text))
        g = graphs[i]
        g.add((node, RDF.type, KG.Sentence))
        g.add((node, SCHEMA.text, Literal(text, lang="zh")))
        g.add((node, SCHEMA.isPartOf, arts[i]))
        return node

    # Shares of the whole, roughly those of a large build of news.
    share = {"place": 0.16, "gov": 0.16, "company": 0.26, "research": 0.05, "university": 0.02,
             "media": 0.01, "event": 0.03, "policy": 0.06}
    budget = {k: max(1, int(n * v)) for k, v in share.items()}
    budget["person"] = n - sum(budget.values()) - 1

    china = entity(t.COUNTRY, "中国", "China")
    areas = []
    for name, kind, parent, en in places(budget["place"]):
        node = entity(kind, name, en)
        areas.append((name, kind, node))
        up = entities.get(parent, (china,))[0]
        graphs[entities[name][2]].add((node, SCHEMA.containedInPlace, up))
    cities = [a for a in areas if a[1] in (t.CITY, t.PROVINCE)]

    govs, orgs = [], []
    for k in range(budget["gov"]):
        place = cities[k % len(cities)] if k < 4 * len(cities) else areas[k % len(areas)]
        body = BODIES[(k // len(cities)) % len(BODIES)]
        key = place[0] + body
        if key in entities:
            key = f"{place[0]}{body}第{k}分局"
        node = entity(t.GOVERNMENT, key)
        g = graphs[entities[key][2]]
        g.add((node, SCHEMA.location, place[2]))
        head = entities.get(place[0] + "人民政府")
        if body != "人民政府" and head:
            g.add((node, ORG.subOrganizationOf, head[0]))
        govs.append((key, node))

    def located(kind: str, key: str):
        base, i = key, 2
        while key in entities:  # 吉林省 and 吉林市 both shorten to 吉林
            key, i = f"{base}{i}", i + 1
        node = entity(kind, key)
        city = rnd.choice(cities)
        graphs[entities[key][2]].add((node, SCHEMA.location, city[2]))
        orgs.append((key, node, kind))
        return node

    for k in range(budget["company"]):
        city = cities[k % len(cities)][0].rstrip("市省")
        key = f"{city}{rnd.choice(TRADE)}{rnd.choice(TRADE)}{rnd.choice(INDUSTRY)}{rnd.choice(LEGAL)}"
        while key in entities:
            key = f"{city}{rnd.choice(TRADE)}{rnd.choice(TRADE)}{rnd.choice(TRADE)}{rnd.choice(INDUSTRY)}{rnd.choice(LEGAL)}"
        located(t.COMPANY, key)
    for k in range(budget["research"]):
        located(t.RESEARCH, f"{cities[k % len(cities)][0]}{INSTITUTES[k // len(cities) % len(INSTITUTES)]}{'' if k < len(cities) * len(INSTITUTES) else k}")
    for k in range(budget["university"]):
        located(t.UNIVERSITY, f"{cities[k % len(cities)][0].rstrip('市省')}{'理工' if k >= len(cities) else ''}大学{'' if k < 2 * len(cities) else k}")
    for k in range(budget["media"]):
        located(t.MEDIA, f"{cities[k % len(cities)][0].rstrip('市省')}日报{'' if k < len(cities) else k}")

    for k in range(budget["policy"]):
        gkey, gnode = govs[rnd.randrange(len(govs))]
        key = f"{gkey[:6]}关于加快人工智能产业发展的若干措施（{2019 + k % 7}年第{k}号）"
        node = entity(t.POLICY, key)
        g = graphs[entities[key][2]]
        g.add((node, SCHEMA.name, Literal(key, lang="zh")))
        g.add((node, SCHEMA.publisher, gnode))
    for k in range(budget["event"]):
        city = cities[k % len(cities)]
        key = f"{2019 + k % 7}{city[0].rstrip('市省')}人工智能大会{'' if k < len(cities) * 7 else k}"
        node = entity(t.EVENT, key)
        g = graphs[entities[key][2]]
        g.add((node, SCHEMA.name, Literal(key, lang="zh")))
        g.add((node, SCHEMA.organizer, govs[rnd.randrange(len(govs))][1]))
        g.add((node, SCHEMA.location, city[2]))

    employers = [(k, v, t.GOVERNMENT) for k, v in govs] + orgs
    made = 0
    while made < budget["person"]:
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.7 else "")
        if name in entities:
            continue
        made += 1
        person = entity(t.PERSON, name)
        for _ in range(1 if rnd.random() < 0.85 else 2):
            okey, onode, okind = rnd.choice(employers)
            titles = GOV_TITLES if okind == t.GOVERNMENT else CORP_TITLES if okind == t.COMPANY else ACADEMIC_TITLES
            title = rnd.choice(titles)
            i = rnd.randrange(n_articles)
            g = graphs[i]
            ms, role = mint.membership(name, title, okey), mint.role(title)
            g.add((person, ORG.memberOf, onode))
            g.add((ms, RDF.type, ORG.Membership))
            g.add((ms, ORG.member, person))
            g.add((ms, ORG.organization, onode))
            g.add((ms, ORG.role, role))
            g.add((ms, PROV.wasDerivedFrom, sentence(i, f"{okey}{title}{name}表示，将加快推动人工智能产业高质量发展。")))
            g.add((role, SKOS.prefLabel, Literal(title, lang="zh")))

    # Figures: every province-level area and a third of the cities, a few
    # indicators each, yearly since 2019, with a target for 2027.
    obs_n = 0
    charted = [a for i, a in enumerate(cities) if a[1] == t.PROVINCE or i % 3 == 0]
    for area, _, node in [("中国", t.COUNTRY, china), *charted]:
        for ind, unit, scale in rnd.sample(INDICATORS, 2):
            level = rnd.uniform(50, 3000) * (20 if area == "中国" else 1)
            for year in range(2019, 2025):
                level *= rnd.uniform(1.05, 1.35)
                observation(ds, graphs, mint, sentence, rnd, n_articles, node, area, ind, unit,
                            round(level) * scale, str(year), "reported")
                obs_n += 1
            observation(ds, graphs, mint, sentence, rnd, n_articles, node, area, ind, unit,
                        round(level * 1.8) * scale, "2027", "target")
            obs_n += 1
    return ds, len(entities), obs_n


def observation(ds, graphs, mint, sentence, rnd, n_articles, area_node, area, ind, unit, value, period, status):
    from rdflib import Literal
    from rdflib.namespace import PROV, QB, RDF, SKOS, XSD

    from kg.vocab import KG, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE

    i = rnd.randrange(n_articles)
    g = graphs[i]
    qualifier = rnd.choice(["exact", "exact", "approx", "atLeast"])
    node = mint.observation(f"bench-{i:05d}", area, ind, str(value), unit, period, status)
    text = f"{period}年，{area}{ind}{'力争达到' if status == 'target' else '达到'}{value}{unit}。"
    g.add((node, RDF.type, QB.Observation))
    g.add((node, SDMX_DIM.refArea, area_node))
    g.add((node, KG.indicator, mint.indicator(ind)))
    g.add((mint.indicator(ind), SKOS.prefLabel, Literal(ind, lang="zh")))
    g.add((node, SDMX_DIM.refPeriod, Literal(period, datatype=XSD.gYear)))
    g.add((node, SDMX_MEASURE.obsValue, Literal(str(value), datatype=XSD.decimal)))
    g.add((node, SDMX_ATTR.unitMeasure, mint.unit(unit)))
    g.add((mint.unit(unit), SKOS.notation, Literal(unit)))
    g.add((node, KG.qualifier, KG[qualifier]))
    g.add((node, KG.status, KG[status]))
    g.add((node, PROV.wasDerivedFrom, sentence(i, text)))


def measure(html: Path, runs: int) -> list[dict]:
    from cdp import Chromium

    results = []
    with Chromium() as browser:
        for _ in range(runs):
            start = time.monotonic()
            page = browser.open(html.resolve().as_uri(), timeout=120)
            loaded = time.monotonic() - start
            page.wait_for("window.kg && window.kg.timings.stabilized", timeout=120, poll=0.02)
            timings = page.evaluate("kg.timings")
            drawn = page.evaluate("Object.keys(kg.network.getPositions()).length")
            results.append({"load_ms": loaded * 1000, "first_draw_ms": timings["firstDraw"],
                            "stabilized_ms": timings["stabilized"], "drawn": drawn,
                            "errors": list(page.errors), "blocked": list(page.blocked)})
            page.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--max-nodes", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--target", type=float, default=5.0, help="seconds the drawn network must appear within")
    ap.add_argument("--out", type=Path, default=None, help="folder for bench.html (default: a temporary one)")
    args = ap.parse_args(argv)

    from kg.viz import render

    out = args.out or Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    ds, n_entities, n_obs = generate(args.entities, args.seed)
    t1 = time.perf_counter()
    summary = render(ds, out / "bench.html", max_nodes=args.max_nodes)
    t2 = time.perf_counter()
    size = summary.path.stat().st_size
    print(f"graph: {n_entities} entities, {n_obs} observations, {len(ds)} quads (generated in {t1 - t0:.1f} s)")
    print(f"page: {summary.nodes} entity nodes{' (reduced)' if summary.reduced else ''}, {summary.edges} edges, "
          f"{summary.observations} observation nodes, {size / 1e6:.1f} MB, rendered in {t2 - t1:.1f} s")
    results = measure(summary.path, args.runs)
    for r in results:
        print(f"browser: loaded {r['load_ms']:.0f} ms, first drawing {r['first_draw_ms']:.0f} ms, "
              f"settled {r['stabilized_ms']:.0f} ms after navigation ({r['drawn']} nodes placed)")
        if r["errors"] or r["blocked"]:
            print(f"  console errors: {r['errors']}; blocked requests: {r['blocked']}")
    best = sorted(r["stabilized_ms"] for r in results)[len(results) // 2] / 1000
    verdict = "within" if best <= args.target else "OVER"
    print(f"median time to a drawn, settled network: {best:.2f} s ({verdict} the {args.target:g} s target)")
    return 0 if best <= args.target and not any(r["errors"] or r["blocked"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
