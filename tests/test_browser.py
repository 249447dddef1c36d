"""graph.html in a real browser: headless Chromium over the DevTools protocol (tests/cdp.py).

The page of a seeds build, plus one hostile article, is opened from file://
with the network cut: every entity must be drawn, the console must stay
clean, no request may leave the page, and nothing the article smuggles in
may run. Mandatory in CI (CI=true); elsewhere skipped, saying why, when
Chromium is not installed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cdp import Chromium, find_chromium

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

PWN = "window.__pwned=1"
# Every way in that the issue names: a script tag and an onerror handler in a
# title line, a script tag inside a company name, a javascript: link and an
# SVG onload in the sentence of a post, markup in the headline; each sentence
# carries a fact, so that its text is in the graph. Invented names only.
HOSTILE = f"""人工智能大会在合肥举行<script>{PWN}</script>

2024年5月10日，工业和信息化部科技司司长<img src=x onerror="{PWN}">说，合肥市人工智能核心产业规模达到2000亿元。
合肥星火<script>{PWN}</script>科技有限公司董事长赵一鸣表示，<a href="javascript:{PWN}">公司</a>将在合肥市建设研发中心<svg onload="{PWN}"></svg>。
"""


def _browser_or_skip() -> str:
    binary = find_chromium()
    if binary:
        return binary
    if os.environ.get("CI") == "true":
        pytest.fail("CI: chromium is required for the browser test (.ci/run installs it with apt-get)")
    pytest.skip("chromium not installed (apt-get install chromium); the browser test runs in CI")


@pytest.fixture(scope="module")
def browser():
    with Chromium(_browser_or_skip()) as b:
        yield b


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    from kg.build import build
    from kg.query import run_named
    from kg.store import open_store

    src = tmp_path_factory.mktemp("hostile-src")
    (src / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-build")
    build([SEEDS, src], out)
    entities = {r["entity"] for r in run_named(open_store(out), "entities").records()}
    return out, entities


@pytest.fixture(scope="module")
def page(browser, hostile_build):
    out, _ = hostile_build
    p = browser.open((out / "graph.html").resolve().as_uri())
    p.wait_for("window.kg && window.kg.timings.stabilized", timeout=60)
    return p


def test_every_entity_is_drawn(page, hostile_build, tmp_path):
    _, entities = hostile_build
    drawn = page.evaluate("""(() => {
        const body = kg.network.body, pos = kg.network.getPositions();
        const ids = kg.nodes.getIds({filter: n => n.kind === "e"});
        return {
          entities: ids.length,
          inBody: ids.filter(id => id in body.nodes).length,
          placed: ids.filter(id => pos[id] && isFinite(pos[id].x) && isFinite(pos[id].y)).length,
          visible: body.nodeIndices.length,
          all: kg.nodes.length,
          canvas: document.querySelector("#network canvas").width,
        };
    })()""")
    assert drawn["entities"] == len(entities) > 60
    assert drawn["inBody"] == drawn["placed"] == drawn["entities"]
    assert drawn["visible"] == drawn["all"]  # observations too, none hidden
    assert drawn["canvas"] > 0
    shot = page.screenshot(tmp_path / "graph.png")
    assert shot.stat().st_size > 20_000  # a drawn network, not a blank page


def test_physics_settles_and_stops(page):
    t = page.evaluate("kg.timings")
    assert 0 < t["firstDraw"] and 0 < t["stabilized"] < 30_000
    assert page.evaluate("kg.network.physics.physicsEnabled") is False


def test_hostile_article_runs_nothing(page, tmp_path):
    # Put every piece of text on screen: each node's and link's details, every
    # chart series with its evidence table, every tooltip element.
    shown = page.evaluate("""(() => {
        let text = "";
        kg.nodes.getIds().concat(kg.edges.getIds()).forEach(id => {
          kg.showDetails(id);
          text += document.getElementById("details").textContent;
        });
        kg.nodes.get().forEach(n => { if (n.title) { document.body.appendChild(n.title); } });
        kg.showView("chart");
        const options = document.querySelectorAll("#indicator option");
        options.forEach((o, i) => { kg.selectSeries(i); text += document.getElementById("chart-view").textContent; });
        kg.showView("network");
        return text;
    })()""")
    # The markup arrived, as text …
    assert "<script>" + PWN + "</script>" in shown
    assert "onerror" in shown and "javascript:" in shown
    # … and nothing of it ran or became an element.
    page.evaluate("new Promise(r => setTimeout(r, 300))")  # let an onerror fire, if one could
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, a[href]').length") == 0
    assert page.evaluate("document.scripts.length") == 3  # data, vis-network, ours
    page.screenshot(tmp_path / "after.png")


def test_console_is_clean_and_nothing_left_the_page(page):
    assert page.errors == []
    assert page.requests and all(u.startswith(("file:", "data:")) for u in page.requests), page.requests
    assert page.blocked == []


def test_chart_draws_targets_apart(browser, tmp_path):
    """The seed build's chart: each figure a marker, targets hollow on a dashed line."""
    from rdflib import Dataset

    from kg.viz import render

    ds = Dataset()
    ds.parse(ROOT / "tests" / "data" / "sample.trig", format="trig")
    html = render(ds, tmp_path / "g.html").path
    p = browser.open(html.resolve().as_uri() + "#chart")
    got = p.wait_for("""(() => {
        const svg = document.getElementById("chart-svg");
        if (document.getElementById("chart-view").hidden || !svg.querySelector(".point")) { return null; }
        return {
          points: svg.querySelectorAll(".point").length,
          rows: document.querySelectorAll("#chart-table tbody tr").length,
          labels: Array.from(svg.querySelectorAll(".point text")).map(t => t.textContent),
          hollow: Array.from(svg.querySelectorAll(".point.target circle")).map(c => c.getAttribute("fill")),
          dashed: svg.querySelectorAll("line[stroke-dasharray]").length,
          targets: svg.querySelectorAll(".point.target").length,
          series: document.querySelectorAll("#indicator option").length,
        };
    })()""", timeout=20)
    assert got["points"] == got["rows"] > 0 and got["series"] > 0
    assert got["hollow"] == ["#fff"] * got["targets"]
    assert got["dashed"] >= got["targets"] - len(got["labels"])  # a target with a reported figure before it hangs off it
    p.screenshot(tmp_path / "chart.png")
    assert p.errors == [] and p.blocked == []


def test_recorder_sees_remote_requests_and_errors(browser, tmp_path):
    """The checks above can fail: a page that reaches out and logs an error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png"><script>console.error("boom")</script>',
                   encoding="utf-8")
    p = browser.open(bad.resolve().as_uri())
    p.wait_for("document.readyState === 'complete'")
    assert any(u.startswith("http://example.invalid/") for u in p.requests)
    assert any(u.startswith("http://example.invalid/") for u in p.blocked)
    assert any("boom" in e for e in p.errors)


def test_reduced_view_says_so(browser, tmp_path):
    from test_viz import big_graph

    from kg.viz import render

    s = render(big_graph(2000), tmp_path / "big.html", max_nodes=500)
    p = browser.open(s.path.resolve().as_uri())
    p.wait_for("window.kg && window.kg.timings.stabilized", timeout=60)
    assert p.evaluate("kg.nodes.length") == 500 == len(p.evaluate("Object.keys(kg.network.getPositions())"))
    note = p.evaluate("document.getElementById('reduction-note').innerText")
    assert "showing 500 of 2000 entities" in note and "--focus" in note and "--max-nodes" in note
    assert p.errors == [] and p.blocked == []
