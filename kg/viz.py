"""The graph as one self-contained, interactive HTML page (vis-network via pyvis).

Two views: the network of entities (and their figures), and a chart of one
indicator by area over time (``templates/viz.js`` draws it as SVG).

The page opens straight from disk with no network: vis-network's script and
styles are copied into it from the pyvis package, and nothing on the page
loads a remote resource; its Content-Security-Policy allows the two inline
scripts by hash and nothing else. Article text (labels, sentences, headlines)
travels only inside one ``application/json`` block with ``<``, ``>`` and ``&``
escaped, and the page's script puts it on screen with ``textContent``, so a
hostile name is always shown as text and never parsed as HTML.

Same graph, same options → same bytes: nodes and edges are sorted by IRI, the
layout seed is fixed, and nothing time- or path-dependent goes into the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import unquote

from . import types as t
from .errors import KgError, LexiconError, UsageError

_HERE = Path(__file__).resolve().parent
STYLES_FILE = "viz_styles.tsv"
TEMPLATE_DIR = _HERE / "templates"
TEMPLATE_NAME = "viz.html"
SCRIPT_NAME = "viz.js"  # the page's own script, kept apart so that its CSP hash is of exact bytes
_VIS_DIR = ("templates", "lib", "vis-9.1.2")

# vis-network shapes that scale with ``size`` and keep the label below the
# node, each with the character that stands for it in the legend.
GLYPHS = {
    "dot": "●",
    "square": "■",
    "diamond": "◆",
    "triangle": "▲",
    "triangleDown": "▼",
    "star": "★",
    "hexagon": "⬢",
}
_SECTIONS = ("entity", "observation", "relation", "qualifier", "status", "currency")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_LABEL_MAX = 16


# -- styles ----------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How one entity type, relation, qualifier, status or currency is shown."""

    key: str
    zh: str
    en: str
    color: str = ""
    shape: str = ""
    mark: str = ""


def load_styles(path: Optional[Path] = None) -> dict[str, dict[str, Style]]:
    """Read ``viz_styles.tsv`` (from the lexicon folder unless ``path`` is given)
    into ``{section: {key: Style}}``.

    Raises LexiconError naming file and line for a malformed row, an unknown
    section, a bad colour or shape, or an entity type that has no style.
    """
    if path is None:
        from .lexicon import lexicon_dir

        path = lexicon_dir() / STYLES_FILE
    return _load_styles(Path(path))


@lru_cache(maxsize=4)
def _load_styles(path: Path) -> dict[str, dict[str, Style]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise LexiconError(f"{path}: cannot read: {err.strerror or err}") from None
    out: dict[str, dict[str, Style]] = {s: {} for s in _SECTIONS}
    header_seen = False
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{path}:{no}"
        if not header_seen:
            header_seen = True
            if cells[:1] == ["section"]:
                continue
        if len(cells) != 7:
            raise LexiconError(f"{where}: expected 7 tab-separated columns, found {len(cells)}")
        section, key, zh, en, color, shape, mark = (None if c == "-" else c for c in cells)
        if section not in out:
            raise LexiconError(f"{where}: unknown section {section!r} (one of {', '.join(_SECTIONS)})")
        if not key or not zh or not en:
            raise LexiconError(f"{where}: key, zh and en must not be empty")
        if color is not None and not _COLOR.fullmatch(color):
            raise LexiconError(f"{where}: colour {color!r} is not #rrggbb")
        if shape is not None and shape not in GLYPHS:
            raise LexiconError(f"{where}: shape {shape!r} is not one of {', '.join(GLYPHS)}")
        if section in ("entity", "observation") and (color is None or shape is None):
            raise LexiconError(f"{where}: an {section} row needs a colour and a shape")
        if key in out[section]:
            raise LexiconError(f"{where}: {section} {key!r} is listed twice")
        out[section][key] = Style(key, zh, en, color or "", shape or "", mark or "")
    missing = sorted(t.ENTITY_KINDS - set(out["entity"]))
    if missing:
        raise LexiconError(f"{path}: no entity style for {', '.join(missing)}")
    if "Observation" not in out["observation"]:
        raise LexiconError(f"{path}: no observation style")
    return out


# -- numbers for people ------------------------------------------------------------

# Chinese magnitude words, largest first: amounts read 5800亿元, not 0.58万亿元.
_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_QUANT = Decimal("0.0001")


def _plain(d: Decimal) -> str:
    """A decimal with at most four places and no trailing zeros: 5800, 2.35, 1.2346."""
    q = d.quantize(_QUANT, rounding=ROUND_HALF_UP) if d != d.to_integral_value() else d
    s = format(q.normalize(), "f")
    return "0" if s in ("-0", "") else s


def _scaled(d: Decimal) -> str:
    for size, word in _SCALES:
        if abs(d) >= size:
            return _plain(d / size) + word
    return _plain(d)


def human_value(value: str, unit: str, qualifier: str = "exact") -> str:
    """A base-unit value as a Chinese reader writes it, with its qualifier mark.

    Currencies are scaled to 万/亿/万亿 plus the currency's name, counts in a
    measure word get 万/亿 from 10000 on, % and Latin units stay as they are.
    A value that is not a decimal is shown unchanged.

    >>> human_value("580000000000", "CNY", "approx")
    '≈5800亿元'
    >>> human_value("100", "EFLOPS")
    '100EFLOPS'
    """
    styles = load_styles()
    mark = styles["qualifier"].get(qualifier, Style(qualifier, "", "")).mark
    try:
        d = Decimal(str(value).strip())
        if not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        return f"{mark}{value}{unit}"
    cur = styles["currency"].get(unit)
    if cur is not None:
        text = _scaled(d) + cur.zh
    elif unit == "rank":
        text = f"第{_plain(d)}"
    elif unit and not unit.isascii() and unit != "个百分点":
        text = _scaled(d) + unit  # a count in a measure word: 4400家, 1.2万家
    else:
        text = _plain(d) + unit  # %, 个百分点, EFLOPS, PFLOPS …
    return mark + text


# -- reading the graph ---------------------------------------------------------------


@dataclass
class _Entity:
    iri: str
    kind: str
    zh: str
    en: str
    aliases: list[str]
    date: str
    titles: list[str]
    articles: list[dict]


@dataclass
class _Edge:
    src: str
    dst: str
    rel: str
    roles: list[str]
    evidence: list[dict]
    sources: list[dict]


@dataclass
class _Obs:
    iri: str
    area: str
    indicator: str
    value: str
    unit: str
    qualifier: str
    status: str
    period: str
    evidence: list[dict]


@dataclass
class _Model:
    entities: dict[str, _Entity]
    edges: list[_Edge]
    observations: list[_Obs]


def _tail(term) -> str:
    s = str(term)
    return unquote(re.split(r"[/#]", s.rstrip("/#"))[-1]) or s


def _read(graph) -> _Model:
    """Entities, relation edges and observations of a graph (a Dataset is read as its union)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS

    from .vocab import CLASS_OF_KIND, KG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE

    # plain name, predicate, whether the triple points against the drawn arrow
    rel_preds = (
        ("locatedIn", SCHEMA.containedInPlace, False),
        ("locatedIn", SCHEMA.location, False),
        ("subOrganizationOf", ORG.subOrganizationOf, False),
        ("memberOf", ORG.memberOf, False),
        ("issued", SCHEMA.publisher, True),  # drawn body → policy
        ("organizer", SCHEMA.organizer, False),
    )
    # Relations carry no evidence node; the article graphs holding the triple
    # are its sources (only a Dataset knows them).
    fact_preds = {pred for _, pred, _ in rel_preds}
    contexts: dict[tuple, set] = {}
    if hasattr(graph, "quads") and hasattr(graph, "contexts"):
        g = Graph()
        article_of_graph: dict = {}
        for s, p, o, c in graph.quads((None, None, None, None)):
            g.add((s, p, o))
            cid = getattr(c, "identifier", c)
            if p == RDF.type and o == SCHEMA.NewsArticle:
                article_of_graph[cid] = s
            if p in fact_preds:
                contexts.setdefault((s, p, o), set()).add(cid)
        for key, cids in contexts.items():
            contexts[key] = {article_of_graph[c] for c in cids if c in article_of_graph}
    else:
        g = graph

    def lits(s, p) -> list[Literal]:
        return sorted((o for o in g.objects(s, p) if isinstance(o, Literal)), key=lambda x: (str(x), x.language or ""))

    def first(s, *preds, lang: Optional[str] = None) -> str:
        for p in preds:
            for o in lits(s, p):
                if lang is None or (o.language or "").lower().startswith(lang):
                    return str(o)
        return ""

    articles: dict = {}

    def article(a) -> dict:
        if a not in articles:
            articles[a] = {
                "title": first(a, SCHEMA.headline),
                "date": first(a, SCHEMA.datePublished),
                "path": first(a, KG.sourcePath),
                "iri": str(a),
            }
        return articles[a]

    def evidence(node) -> list[dict]:
        out = []
        for sent in sorted(g.objects(node, PROV.wasDerivedFrom), key=str):
            arts = sorted(g.objects(sent, SCHEMA.isPartOf), key=str)
            out.append({"text": first(sent, SCHEMA.text), "article": article(arts[0]) if arts else None})
        return out

    # Most specific class wins; the generic Organization only when it is the only one.
    order = list(CLASS_OF_KIND.items())
    order.sort(key=lambda kv: kv[0] == t.ORGANIZATION)
    kinds: dict = {}
    for kind, cls in order:
        for s in g.subjects(RDF.type, cls):
            if isinstance(s, URIRef) and s not in kinds:
                kinds[s] = kind

    entities: dict[str, _Entity] = {}
    for s in sorted(kinds, key=str):
        zh = first(s, SKOS.prefLabel, RDFS.label, SCHEMA.name, lang="zh") or first(
            s, SKOS.prefLabel, RDFS.label, SCHEMA.name
        ) or _tail(s)
        en = first(s, SKOS.prefLabel, lang="en")
        names = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label, SCHEMA.name) for o in lits(s, p)}
        entities[str(s)] = _Entity(
            iri=str(s),
            kind=kinds[s],
            zh=zh,
            en=en,
            aliases=sorted(names - {zh, en}),
            date=first(s, SCHEMA.startDate, SCHEMA.datePublished),
            titles=[str(o) for o in lits(s, SCHEMA.jobTitle)],
            articles=[article(a) for a in sorted(g.subjects(SCHEMA.mentions, s), key=str)],
        )

    edges: dict[tuple[str, str, str], _Edge] = {}
    for rel, pred, backwards in rel_preds:
        for s, o in g.subject_objects(pred):
            a, b = (o, s) if backwards else (s, o)
            if str(a) not in entities or str(b) not in entities or a == b:
                continue
            e = edges.setdefault((str(a), str(b), rel), _Edge(str(a), str(b), rel, [], [], []))
            for art in sorted(contexts.get((s, pred, o), ()), key=str):
                if article(art) not in e.sources:
                    e.sources.append(article(art))

    for ms in sorted(g.subjects(RDF.type, ORG.Membership), key=str):
        p, o = g.value(ms, ORG.member), g.value(ms, ORG.organization)
        if str(p) not in entities or str(o) not in entities or p == o:
            continue
        e = edges.setdefault((str(p), str(o), "memberOf"), _Edge(str(p), str(o), "memberOf", [], [], []))
        role = g.value(ms, ORG.role)
        title = (first(role, SKOS.prefLabel, RDFS.label, lang="zh") or first(role, SKOS.prefLabel) or _tail(role)) if role else ""
        if title and title not in e.roles:
            e.roles.append(title)
        for ev in evidence(ms):
            e.evidence.append({"role": title, **ev})

    observations: list[_Obs] = []
    for node in sorted(g.subjects(RDF.type, QB.Observation), key=str):
        area = g.value(node, SDMX_DIM.refArea)
        value = g.value(node, SDMX_MEASURE.obsValue)
        if str(area) not in entities or value is None:
            continue
        ind, unit = g.value(node, KG.indicator), g.value(node, SDMX_ATTR.unitMeasure)
        qual, status = g.value(node, KG.qualifier), g.value(node, KG.status)
        period = g.value(node, SDMX_DIM.refPeriod)
        observations.append(_Obs(
            iri=str(node),
            area=str(area),
            indicator=(first(ind, SKOS.prefLabel, lang="zh") or first(ind, SKOS.prefLabel) or _tail(ind)) if ind else "",
            value=str(value),
            unit=(first(unit, SKOS.notation) or _tail(unit)) if unit else "",
            qualifier=(first(qual, SKOS.notation) or _tail(qual)) if qual else "exact",
            status=(first(status, SKOS.notation) or _tail(status)) if status else "",
            period=str(period) if period is not None else "",
            evidence=evidence(node),
        ))
    return _Model(entities, [edges[k] for k in sorted(edges)], observations)


# -- choosing what to draw -------------------------------------------------------------


def _pagerank(graph, alpha: float = 0.85, max_iter: int = 100) -> dict[str, float]:
    """PageRank of an undirected networkx graph, in plain Python.

    networkx's own needs numpy/scipy, which `kg` does not depend on; a fixed
    node order keeps the floating-point sums, hence the page, reproducible.
    """
    nodes = sorted(graph)
    n = len(nodes)
    if not n:
        return {}
    nbrs = {v: sorted(graph[v]) for v in nodes}
    deg = {v: len(nbrs[v]) for v in nodes}
    pr = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(pr[v] for v in nodes if not deg[v]) / n
        base = (1.0 - alpha) / n + dangling
        new = {v: base + alpha * sum(pr[u] / deg[u] for u in nbrs[v]) for v in nodes}
        err = sum(abs(new[v] - pr[v]) for v in nodes)
        pr = new
        if err < n * 1e-6:  # networkx's default tolerance
            break
    return pr


def _type_filter(types: Optional[Iterable[str]], styles: dict[str, Style]) -> Optional[set[str]]:
    if types is None:
        return None
    names: dict[str, str] = {}
    for key, st in styles.items():
        for name in (key, st.zh, st.en):
            names[name.casefold()] = key
    out, bad = set(), []
    for ty in types:
        key = names.get(str(ty).strip().casefold())
        if key is None:
            bad.append(str(ty))
        else:
            out.add(key)
    if bad:
        raise UsageError(f"--types: unknown type {', '.join(sorted(bad))} (known: {', '.join(sorted(styles))})")
    return out


def _find_focus(focus: str, model: _Model) -> set[str]:
    want = focus.strip()
    if want in model.entities:
        return {want}
    key = want.casefold()
    hits = {e.iri for e in model.entities.values() if key in {x.casefold() for x in (e.zh, e.en, *e.aliases) if x}}
    if hits:
        return hits
    near = sorted({e.zh for e in model.entities.values() if key and any(key in x.casefold() for x in (e.zh, e.en, *e.aliases) if x)})
    hint = f"; similar: {', '.join(near[:5])}" if near else ""
    raise UsageError(f"--focus {focus!r}: no entity has this label or IRI{hint}")


def _short(text: str, limit: int = _LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- a head start for large layouts -------------------------------------------------------

# From this many drawn nodes on, positions come from Python and the browser
# only tidies up: vis-network's own force layout costs about 50 ms per round
# for 1,500 nodes on a modest laptop, and a settled layout from scratch needs
# hundreds of rounds.
SEEDED_LAYOUT_FROM = 400
_TIDY_ROUNDS = 40
_RING = 90.0  # px from a node to the ring of its children, at least
_GAP = 40.0  # px a leaf takes on a ring


def balloon_layout(graph, rank: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Positions for every node of an undirected networkx graph, as a balloon tree.

    Each connected component is a spanning tree grown breadth-first from its
    most central node; every node sits in the middle of a circle that holds its
    subtree, its children's circles set around it on a ring just large enough
    for them, so that clusters (a city and its bodies and firms) stay together
    and never overlap their siblings. Components are packed in rows, largest
    first. Linear in the size of the graph and deterministic.
    """
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[float, dict[str, tuple[float, float]]]] = []
    for comp in comps:
        root = min(comp, key=lambda v: (-rank.get(v, 0.0), v))
        parent, order = {root: root}, [root]
        for v in order:
            for u in sorted(graph[v], key=lambda u: (-rank.get(u, 0.0), u)):
                if u not in parent:
                    parent[u] = v
                    order.append(u)
        children: dict[str, list[str]] = {v: [] for v in order}
        for v in order[1:]:
            children[parent[v]].append(v)
        # bottom-up: the radius of each subtree's circle and of its children's ring
        size: dict[str, float] = {}
        ring: dict[str, float] = {}
        for v in reversed(order):
            kids = children[v]
            if not kids:
                size[v] = _GAP / 2
                continue
            around = sum(2 * size[c] + _GAP / 4 for c in kids)
            ring[v] = max(_RING, around / (2 * math.pi))
            size[v] = ring[v] + max(size[c] for c in kids)
        # top-down: children around their parent, each in a slice of the ring
        # as wide as its circle
        pos = {root: (0.0, 0.0)}
        for v in order:
            kids = children[v]
            if not kids:
                continue
            around = sum(2 * size[c] + _GAP / 4 for c in kids)
            angle = 0.0
            vx, vy = pos[v]
            for c in kids:
                share = 2 * math.pi * (2 * size[c] + _GAP / 4) / around
                mid = angle + share / 2
                pos[c] = (vx + ring[v] * math.cos(mid), vy + ring[v] * math.sin(mid))
                angle += share
        placed.append((size[root] + _GAP, pos))
    # Shelf packing: rows as wide as the largest component (or the square root
    # of the whole area, if that is wider), each component in its own square.
    width = max(2 * placed[0][0], math.sqrt(sum((2 * r) ** 2 for r, _ in placed))) if placed else 0.0
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for r, pos in placed:
        if x > 0 and x + 2 * r > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + r, y + r
        for v, (px, py) in pos.items():
            out[v] = (round(cx + px, 1), round(cy + py, 1))
        x, row = x + 2 * r, max(row, 2 * r)
    return out


def _drawn_observations(observations: list["_Obs"], keep: set[str], budget: int) -> tuple[list["_Obs"], str]:
    """The observation nodes the network can afford beside its entities: all of
    them, else the latest figure per area, indicator and status, else none
    (the chart always has them all). The second value says which."""
    mine = sorted((o for o in observations if o.area in keep), key=lambda o: (o.area, o.indicator, o.period, o.iri))
    if len(keep) + len(mine) <= budget:
        return mine, "all"
    latest: dict[tuple, _Obs] = {}
    for o in mine:
        key = (o.area, o.indicator, o.unit, o.status)
        if key not in latest or o.period >= latest[key].period:
            latest[key] = o
    few = [o for o in mine if latest[(o.area, o.indicator, o.unit, o.status)] is o]
    if len(keep) + len(few) <= budget:
        return few, "latest"
    return [], "none"


# -- the chart of observations --------------------------------------------------------------

_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4]))?")
_PLANNED = ("target", "forecast")
_CHART_AREAS_ON = 8  # lines drawn at first; the others are a click away


def decimal_year(period: str) -> Optional[float]:
    """Where a period sits on a time axis: the middle of the year, quarter, month
    or day it names (2024 → 2024.5, 2024-12 → 2024.958…); None when it names none.

    >>> decimal_year("2025-Q1")
    2025.125
    """
    m = _PERIOD.fullmatch(period.strip()[:10]) or _PERIOD.fullmatch(period.strip())
    if not m:
        return None
    year, month, day, quarter = int(m[1]), m[2], m[3], m[4]
    if quarter:
        return year + (int(quarter) - 0.5) / 4
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        return round(year + (int(month) - 1) / 12 + (min(int(day), 30) - 0.5) / 360, 4)
    if month:
        return round(year + (int(month) - 0.5) / 12, 4)
    return year + 0.5


def _nice_ticks(lo: Decimal, hi: Decimal, count: int = 5) -> list[Decimal]:
    """Round axis values (1, 2 or 5 × 10^k apart) covering ``lo``..``hi``."""
    if hi <= lo:
        hi = lo + (abs(lo) or Decimal(1))
    raw = (hi - lo) / count
    power = Decimal(10) ** (raw.adjusted())
    step = next(m * power for m in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)) if m * power >= raw)
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
    ticks = [first]
    while ticks[-1] < hi:
        ticks.append(ticks[-1] + step)
    return ticks


def _chart(observations: list[_Obs], entities: dict[str, _Entity], styles) -> dict:
    """One series per (indicator, unit), points by area and time, axis ticks in words.

    A figure without a period is placed at its article's publication date and
    marked undated; one with neither is left off and counted.
    """
    status_style, qual_style, currency = styles["status"], styles["qualifier"], styles["currency"]
    groups: dict[tuple[str, str], dict[tuple, dict]] = {}
    left_off = 0
    for o in observations:
        try:
            y = Decimal(o.value)
            if not y.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            left_off += 1
            continue
        article = next((ev["article"] for ev in o.evidence if ev.get("article")), None)
        when, dated = o.period, True
        x = decimal_year(o.period) if o.period else None
        if x is None and article and article["date"]:
            when, dated = article["date"][:10], False
            x = decimal_year(when)
        if x is None:
            left_off += 1
            continue
        status = o.status or "reported"
        points = groups.setdefault((o.indicator or "?", o.unit), {})
        key = (o.area, when, str(y), status, o.qualifier)
        if key in points:  # the same figure read in several articles
            points[key]["n"] += 1
            continue
        st = status_style.get(status, Style(status, status, status))
        q = qual_style.get(o.qualifier, Style(o.qualifier, o.qualifier, o.qualifier))
        points[key] = {
            "area": o.area,
            "x": x,
            "y": float(y),
            "raw": y,
            "when": when,
            "dated": dated,
            "value": human_value(o.value, o.unit, o.qualifier),
            "status": status,
            "statusZh": st.zh,
            "statusEn": st.en,
            "qualifierZh": q.zh,
            "qualifierEn": q.en,
            "evidence": o.evidence[0]["text"] if o.evidence else "",
            "article": article,
            "n": 1,
        }
    series = []
    for (indicator, unit), found in groups.items():
        pts = sorted(found.values(), key=lambda p: (p["area"], p["x"], p["raw"]))
        by_area: dict[str, list[dict]] = {}
        for p in pts:
            by_area.setdefault(p["area"], []).append(p)
        order = sorted(by_area, key=lambda a: (-len(by_area[a]), -max(p["raw"] for p in by_area[a]), entities[a].zh, a))
        index = {a: i for i, a in enumerate(order)}
        ticks = _nice_ticks(min(Decimal(0), *(p["raw"] for p in pts)), max(p["raw"] for p in pts))
        unit_name = currency[unit].zh if unit in currency else unit
        for p in pts:
            p["area"] = index[p.pop("area")]
            p.pop("raw")
        series.append({
            "indicator": indicator,
            "unit": unit,
            "unitZh": unit_name,
            "areas": [{"zh": entities[a].zh, "en": entities[a].en, "on": i < _CHART_AREAS_ON} for i, a in enumerate(order)],
            "points": pts,
            "yTicks": [{"y": float(v), "label": human_value(format(v, "f"), unit)} for v in ticks],
        })
    # The indicators reported for most areas first: those are the comparisons worth drawing.
    series.sort(key=lambda s: (-len(s["areas"]), -len(s["points"]), s["indicator"], s["unit"]))
    return {"series": series, "leftOff": left_off, "planned": list(_PLANNED)}


# -- the page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VizSummary:
    """What a render drew: entity nodes, entity–entity edges, whether the graph
    was cut to ``max_nodes``, the file written, the entities in the whole graph
    and the observation nodes drawn."""

    nodes: int
    edges: int
    reduced: bool
    path: Path
    total: int = 0
    observations: int = 0


def script_json(obj) -> str:
    """JSON that is safe inside a ``<script>`` block: no ``<``, ``>`` or ``&`` survive raw,
    so no ``</script>`` or ``<!--`` can end or bend the block; Chinese stays readable."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _vis_assets() -> tuple[str, str]:
    try:
        import pyvis
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise KgError(f"kg viz needs pyvis: {err}") from None
    base = Path(pyvis.__file__).resolve().parent.joinpath(*_VIS_DIR)
    try:
        js = (base / "vis-network.min.js").read_text(encoding="utf-8")
        css = (base / "vis-network.css").read_text(encoding="utf-8")
    except OSError as err:
        raise KgError(f"{base}: vis-network files missing from pyvis: {err.strerror or err}") from None
    # A source-map comment makes developer tools fetch a file that is not there.
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)
    return js, css


def _write_atomic(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the page is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def render(
    graph,
    out: Path,
    *,
    focus: str | None = None,
    depth: int = 2,
    types: set[str] | None = None,
    max_nodes: int = 1500,
    show_observations: bool = True,
) -> VizSummary:
    """Write the interactive network of ``graph`` (a Graph, or a Dataset read as its union) to ``out``.

    ``focus`` (a label, alias or IRI) keeps the entities within ``depth`` links
    of it; ``types`` keeps those entity types (``City``, ``城市`` …; the focus
    stays); beyond ``max_nodes`` entities the most central (PageRank) stay and
    the page says so. Raises UsageError for a bad option or an unknown focus,
    KgError when the page cannot be written.

    >>> render(g, Path("outputs/graph.html"), focus="合肥市", depth=1)  # doctest: +SKIP
    VizSummary(nodes=12, edges=15, reduced=False, ...)
    """
    import networkx as nx
    from pyvis.network import Network

    out = Path(out)
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, got {depth}")
    if max_nodes < 1:
        raise UsageError(f"--max-nodes must be at least 1, got {max_nodes}")
    styles = load_styles()
    kinds = _type_filter(types, styles["entity"])
    model = _read(graph)

    full = nx.Graph()
    full.add_nodes_from(sorted(model.entities))
    full.add_edges_from((e.src, e.dst) for e in model.edges)

    keep = set(model.entities)
    centres: set[str] = set()
    if focus:
        centres = _find_focus(focus, model)
        keep = set()
        for c in sorted(centres):
            keep |= set(nx.ego_graph(full, c, radius=depth, undirected=True))
    if kinds is not None:
        keep = {n for n in keep if model.entities[n].kind in kinds} | centres
    # The chart follows --focus and --types but not the cut to the most
    # central nodes: a figure matters whether or not its area is well linked.
    chart = _chart([o for o in model.observations if o.area in keep], model.entities, styles)
    reduced = len(keep) > max_nodes
    if reduced:
        rank = _pagerank(full.subgraph(keep))
        ordered = sorted(keep - centres, key=lambda n: (-rank[n], n))
        keep = set(sorted(centres)[:max_nodes]) | set(ordered[: max(0, max_nodes - len(centres))])

    sub = full.subgraph(keep)
    rank = _pagerank(sub)
    top = max(rank.values(), default=1.0) or 1.0
    drawn_obs, obs_drawn = _drawn_observations(model.observations, keep, max_nodes) if show_observations else ([], "off")
    seeded = len(keep) + len(drawn_obs) >= SEEDED_LAYOUT_FROM
    pos = balloon_layout(sub, rank) if seeded else {}
    ent_style, rel_style = styles["entity"], styles["relation"]
    obs_style = styles["observation"]["Observation"]

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    details: dict[str, dict] = {}
    ids: dict[str, str] = {}
    counts: dict[str, int] = {}
    for i, iri in enumerate(sorted(keep)):
        e = model.entities[iri]
        st = ent_style[e.kind]
        nid = f"n{i}"
        ids[iri] = nid
        counts[e.kind] = counts.get(e.kind, 0) + 1
        size = round(10 + 26 * math.sqrt(rank[iri] / top), 1)
        at = {"x": pos[iri][0], "y": pos[iri][1]} if seeded else {}
        net.add_node(nid, label=_short(e.zh), shape=st.shape, color=st.color, size=size, kind="e", type=e.kind,
                     borderWidth=4 if iri in centres else 1, **at)
        details[nid] = {
            "k": "e",
            "type": e.kind,
            "typeZh": st.zh,
            "typeEn": st.en,
            "zh": e.zh,
            "en": e.en,
            "aliases": e.aliases,
            "date": e.date,
            "titles": e.titles,
            "articles": e.articles,
            "iri": e.iri,
            "focus": iri in centres,
        }

    n_edges = 0
    for e in model.edges:
        if e.src not in ids or e.dst not in ids:
            continue
        st = rel_style.get(e.rel, Style(e.rel, e.rel, e.rel, "#8c8c8c"))
        eid = f"r{n_edges}"
        n_edges += 1
        label = "、".join(e.roles) if e.roles else st.zh
        net.add_edge(ids[e.src], ids[e.dst], id=eid, label=_short(label, 12), color=st.color, kind="r")
        details[eid] = {
            "k": "r",
            "rel": e.rel,
            "relZh": st.zh,
            "relEn": st.en,
            "from": model.entities[e.src].zh,
            "to": model.entities[e.dst].zh,
            "roles": e.roles,
            "evidence": e.evidence,
            "sources": e.sources,
        }

    n_obs = 0
    qual, status = styles["qualifier"], styles["status"]
    link = rel_style.get("refArea", Style("refArea", "指标", "observation of", obs_style.color))
    around: dict[str, int] = {}
    for o in drawn_obs:
        oid = f"o{n_obs}"
        n_obs += 1
        value = human_value(o.value, o.unit, o.qualifier)
        label = f"{_short(o.indicator, 14)}\n{value}" + (f" ({o.period})" if o.period else "")
        at = {}
        if seeded:  # a small ring around the area, ten to a ring
            k = around[o.area] = around.get(o.area, -1) + 1
            ax, ay = pos[o.area]
            r, angle = 45.0 + 25 * (k // 10), 2 * math.pi * (k % 10) / 10 + 0.3 * (k // 10)
            at = {"x": round(ax + r * math.cos(angle), 1), "y": round(ay + r * math.sin(angle), 1)}
        net.add_node(oid, label=label, shape=obs_style.shape, color=obs_style.color, size=6, kind="o",
                     type="Observation", area=ids[o.area], font={"size": 13, "color": "#555555"}, **at)
        net.add_edge(ids[o.area], oid, id=f"l{n_obs - 1}", color=link.color, dashes=True, arrows="", kind="o")
        q = qual.get(o.qualifier, Style(o.qualifier, o.qualifier, o.qualifier))
        s = status.get(o.status, Style(o.status, o.status, o.status))
        details[oid] = {
            "k": "o",
            "indicator": o.indicator,
            "value": value,
            "raw": o.value,
            "unit": o.unit,
            "qualifier": o.qualifier,
            "qualifierZh": q.zh,
            "qualifierEn": q.en,
            "statusZh": s.zh,
            "statusEn": s.en,
            "period": o.period,
            "area": model.entities[o.area].zh,
            "evidence": o.evidence,
            "iri": o.iri,
        }

    n = len(ids)
    net.options = {
        "autoResize": True,
        "layout": {"randomSeed": 20240601, "improvedLayout": n + n_obs <= 150},
        "nodes": {"borderWidth": 1, "font": {"size": 20, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {
            "width": 1,
            "color": {"inherit": False},
            "font": {"size": 12, "align": "middle", "strokeWidth": 3},
            "smooth": {"enabled": n_edges + n_obs <= 3000, "type": "continuous"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 140, "springConstant": 0.06,
                                 "avoidOverlap": 0.3},
            "minVelocity": 0.75,
            "stabilization": {"enabled": True,
                              "iterations": _TIDY_ROUNDS if seeded else 400 if n + n_obs <= 400 else 200,
                              "updateInterval": 10 if seeded else 20, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n + n_obs > 500},
    }
    nodes, edges, _, _, _, options = net.get_network_data()

    total = len(model.entities)
    legend = [
        {"key": k, "zh": st.zh, "en": st.en, "color": st.color, "glyph": GLYPHS[st.shape], "count": counts[k]}
        for k, st in ent_style.items()
        if counts.get(k)
    ]
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "details": details,
        "showObservations": bool(n_obs),
        "chart": chart,
    }
    js, css = _vis_assets()
    html = _page(
        vis_js=js,
        vis_css=css,
        data=script_json(data),
        legend=legend,
        obs={"zh": obs_style.zh, "en": obs_style.en, "color": obs_style.color,
             "glyph": GLYPHS[obs_style.shape], "count": n_obs},
        shown=n,
        total=total,
        reduced=reduced,
        focus=focus or "",
        max_nodes=max_nodes,
        edges=n_edges,
        series=len(chart["series"]),
        obs_drawn=obs_drawn,
        qualifiers=[st for k, st in styles["qualifier"].items() if st.mark],
        statuses=[styles["status"][k] for k in ("reported", *_PLANNED) if k in styles["status"]],
    )
    try:
        _write_atomic(out, html)
    except OSError as err:
        raise KgError(f"{out}: cannot write the page: {err.strerror or err}") from None
    return VizSummary(nodes=n, edges=n_edges, reduced=reduced, path=out, total=total, observations=n_obs)


def _page(**context) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    try:
        page_js = (TEMPLATE_DIR / SCRIPT_NAME).read_text(encoding="utf-8")
    except OSError as err:
        raise KgError(f"{TEMPLATE_DIR / SCRIPT_NAME}: cannot read: {err.strerror or err}") from None
    context["page_js"] = re.sub(r"</(script)", r"<\\/\1", page_js, flags=re.I)
    # The policy names the two scripts by hash instead of allowing any inline
    # script: should markup ever slip through, its handlers still cannot run.
    context["script_hashes"] = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(context[k].encode("utf-8")).digest()).decode() + "'"
        for k in ("vis_js", "page_js")
    )
    # These are already safe for their place in the page (see script_json and
    # _vis_assets); everything else is escaped by the template engine.
    for key in ("vis_js", "vis_css", "data", "page_js"):
        context[key] = Markup(context[key])
    return env.get_template(TEMPLATE_NAME).render(**context)


__all__ = ["render", "human_value", "decimal_year", "balloon_layout", "load_styles", "script_json", "VizSummary", "Style"]
