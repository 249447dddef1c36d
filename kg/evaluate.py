"""`kg eval`: precision, recall and F1 of the graph against gold annotations.

The graph is built from the articles and read back through the bundled
queries (the same contract users and outside checks rely on), then compared,
article by article, with gold files in the format of ``shared/gold`` (see
``tests/data/dev/README.md``). Items marked ``optional`` are neither required
nor counted as errors.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional

from .errors import UsageError

CATEGORIES = ("people", "organizations", "places", "posts", "observations", "relations")
EXTRA_CATEGORIES = ("events", "documents")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Score]
    attributes_right: int = 0
    attributes_total: int = 0
    attribute_errors: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    articles: int = 0

    @property
    def attribute_share(self) -> float:
        return self.attributes_right / self.attributes_total if self.attributes_total else 1.0

    def min_f1(self) -> float:
        return min(self.scores[c].f1 for c in CATEGORIES)

    def to_json(self) -> dict:
        return {
            "articles": self.articles,
            "categories": {
                c: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "misses": s.misses,
                    "extras": s.extras,
                }
                for c, s in self.scores.items()
            },
            "observation_attributes": {
                "right": self.attributes_right,
                "total": self.attributes_total,
                "share": round(self.attribute_share, 4),
                "errors": self.attribute_errors,
            },
            "noise": self.noise,
        }


# -- normalisation -----------------------------------------------------------

def norm(s: Optional[str]) -> str:
    """Compare names modulo width, script, spaces and bracket style."""
    if not s:
        return ""
    from .ingest import normalize

    s = normalize(unicodedata.normalize("NFKC", s))
    s = re.sub(r"\s+", "", s)
    return s.strip("《》“”\"").lower()


def _names(item: dict) -> set[str]:
    return {norm(item.get("name"))} | {norm(a) for a in item.get("aliases", []) or []}


# -- gold ----------------------------------------------------------------------

@dataclass
class Gold:
    id: str
    data: dict

    def items(self, key: str) -> list[dict]:
        out = []
        for it in self.data.get(key, []) or []:
            out.append({"name": it} if isinstance(it, str) else it)
        return out

    def alias_index(self) -> dict[str, set[str]]:
        """Canonical gold name → every name it may be written as."""
        idx: dict[str, set[str]] = {}
        for key in ("organizations", "places", "people"):
            for it in self.items(key):
                idx.setdefault(norm(it["name"]), set()).update(_names(it))
        return idx


def load_gold(paths: Iterable[str | Path]) -> list[Gold]:
    out = []
    for p in paths:
        p = Path(p)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise UsageError(f"{p}: cannot read gold file ({err})") from None
        out.append(Gold(str(data.get("id") or p.stem), data))
    return out


def docs_for(gold: Gold, docs: list[Path]) -> list[Path]:
    """The articles a gold file annotates: same stem, or stem + '-variant' (04-gb18030)."""
    return [d for d in docs if d.stem == gold.id or d.stem.startswith(gold.id + "-")]


# -- comparing ---------------------------------------------------------------

@dataclass
class Output:
    """What the graph says about one article, read through the bundled queries."""

    entities: list[dict]  # label, aliases (set), type
    people: list[dict]
    observations: list[dict]
    relations: list[dict]


ORG_TYPES = {"GovernmentOrganization", "Company", "ResearchOrganization", "University", "MediaOrganization", "Organization"}
PLACE_TYPES = {"Country", "Province", "City", "District", "Region"}


def compare(gold: Gold, out: Output, report: Report) -> None:
    s = report.scores
    aliases = gold.alias_index()
    ent_names = {e["label"]: e["names"] for e in out.entities}

    def names_of(label: str) -> set[str]:
        return ent_names.get(label, {norm(label)})

    def gold_names(name: str) -> set[str]:
        return aliases.get(norm(name), {norm(name)})

    _entities(gold.items("people"), [e for e in out.entities if e["type"] == "Person"], s["people"], gold.id)
    _entities(gold.items("organizations"), [e for e in out.entities if e["type"] in ORG_TYPES], s["organizations"], gold.id)
    _entities(gold.items("places"), [e for e in out.entities if e["type"] in PLACE_TYPES], s["places"], gold.id)
    if "events" in gold.data:
        _events(gold.items("events"), [e for e in out.entities if e["type"] == "Event"], s["events"], gold.id)
    if "documents" in gold.data:
        _entities(gold.items("documents"), [e for e in out.entities if e["type"] == "Policy"], s["documents"], gold.id)
    _posts(gold, out, s["posts"], names_of, gold_names)
    _observations(gold, out, report, names_of, gold_names)
    _relations(gold, out, s["relations"], names_of, gold_names)
    noise = {norm(n) for n in gold.data.get("noise_entities", [])}
    for e in out.entities:
        if e["names"] & noise:
            report.noise.append(f"{gold.id}: entity {e['label']}")
    noise_values = {Decimal(str(v)) for v in gold.data.get("noise_values", [])}
    gold_values = {Decimal(str(o["value"])) for o in gold.items("observations")}
    for o in out.observations:
        v = Decimal(o["value"])
        if v in noise_values and v not in gold_values:
            report.noise.append(f"{gold.id}: value {o['value']} ({o['evidence'][:30]})")


def _entities(gold_items: list[dict], outs: list[dict], score: Score, gid: str) -> None:
    _match(gold_items, outs, score, gid, lambda it, e: bool(e["names"] & _names(it)),
           lambda it: it["name"], lambda e: e["label"])


def _events(gold_items: list[dict], outs: list[dict], score: Score, gid: str) -> None:
    """Named events match by name; unnamed meetings by date and a shared head word."""

    def same(it: dict, e: dict) -> bool:
        return bool(e["names"] & _names(it)) or bool(
            it.get("date") and e.get("date") == it.get("date") and _shared_head(it["name"], e["label"])
        )

    _match(gold_items, outs, score, gid, same,
           lambda it: f"{it['name']} {it.get('date')}", lambda e: f"{e['label']} {e.get('date')}")


def _match(gold_items, outs, score: Score, gid: str, same, gold_text, out_text) -> None:
    """Each gold item takes the first unmatched output it agrees with; the rest are extras."""
    matched: set[int] = set()
    for it in gold_items:
        hit = next((i for i, e in enumerate(outs) if i not in matched and same(it, e)), None)
        if hit is not None:
            matched.add(hit)
            if not it.get("optional"):
                score.tp += 1
        elif not it.get("optional"):
            score.fn += 1
            score.misses.append(f"{gid}: {gold_text(it)}")
    for i, e in enumerate(outs):
        if i not in matched:
            score.fp += 1
            score.extras.append(f"{gid}: {out_text(e)}")


def _shared_head(a: str, b: str) -> bool:
    heads = ("发布会", "通气会", "大会", "峰会", "论坛", "年会", "博览会", "会议", "说明会")
    return any(h in a and h in b for h in heads)


def _title_match(gold_title: str, title: str) -> bool:
    g, o = norm(gold_title), norm(title)
    return bool(o) and (g == o or g.endswith(o) or o.endswith(g))


def _posts(gold: Gold, out: Output, score: Score, names_of, gold_names) -> None:
    rows = [r for r in out.people]
    used: set[int] = set()
    people = gold.items("people")
    for p in people:
        pnames = _names(p)
        orgs = [gold_names(o) for o in p.get("orgs", [])]
        for title in p.get("titles", []):
            hit = None
            for i, r in enumerate(rows):
                if not (names_of(r["name"]) & pnames) or not _title_match(title, r["title"]):
                    continue
                if orgs and not any(names_of(r["org_name"]) & o for o in orgs) if r["org_name"] else orgs:
                    continue
                hit = i
                break
            if hit is not None:
                used.add(hit)
                if not p.get("optional"):
                    score.tp += 1
            elif not p.get("optional"):
                score.fn += 1
                score.misses.append(f"{gold.id}: {p['name']} {title} @ {'/'.join(p.get('orgs', [])) or '-'}")
    for i, r in enumerate(rows):
        if i in used:
            continue
        # a second row for a post already counted (same title, another level of the organisation)
        ok = False
        for p in people:
            if names_of(r["name"]) & _names(p) and any(_title_match(ti, r["title"]) for ti in p.get("titles", [])):
                orgs = [gold_names(o) for o in p.get("orgs", [])]
                if not r["org_name"] or any(names_of(r["org_name"]) & o for o in orgs) or p.get("optional"):
                    ok = True
                    break
        if not ok:
            score.fp += 1
            score.extras.append(f"{gold.id}: {r['name']} {r['title']} @ {r['org_name'] or '-'}")


def _observations(gold: Gold, out: Output, report: Report, names_of, gold_names) -> None:
    score = report.scores["observations"]
    rows = out.observations
    used: set[int] = set()
    for g in gold.items("observations"):
        gv = Decimal(str(g["value"]))
        areas = gold_names(g["area"])
        hit = None
        for i, r in enumerate(rows):
            if i in used:
                continue
            if Decimal(r["value"]) == gv and r["unit"] == g["unit"] and names_of(r["area_name"]) & areas:
                hit = i
                break
        if hit is None:
            if not g.get("optional"):
                score.fn += 1
                score.misses.append(f"{gold.id}: {g['area']} {g['value']} {g['unit']} «{g.get('evidence', '')[:40]}»")
            continue
        used.add(hit)
        # duplicates of a matched fact (same area, value, unit) are not errors
        for j, r in enumerate(rows):
            if j not in used and Decimal(r["value"]) == gv and r["unit"] == g["unit"] and names_of(r["area_name"]) & areas:
                used.add(j)
        if g.get("optional"):
            continue
        score.tp += 1
        r = rows[hit]
        report.attributes_total += 1
        want = (g.get("qualifier") or "exact", g.get("period") or "", g.get("status") or "reported")
        got = (r["qualifier"], r["period"] or "", r["status"])
        if want[0] == got[0] and want[2] == got[2] and same_period(want[1], got[1]):
            report.attributes_right += 1
        else:
            report.attribute_errors.append(f"{gold.id}: {g['area']} {g['value']} {g['unit']}: want {want} got {got}")
    for i, r in enumerate(rows):
        if i not in used:
            score.fp += 1
            score.extras.append(f"{gold.id}: {r['area_name']} {r['value']} {r['unit']} «{r['evidence'][:40]}»")


def same_period(want: str, got: str) -> bool:
    """Periods agree; a year-end written YYYY-12 also agrees with YYYY.

    The annotations disagree on year-ends: the seed gold writes 2023年底 as
    2023-12, the dev gold's rules write 截至去年底 as the year. Both denote
    the same figure, so either form counts as right.
    """
    return want == got or want + "-12" == got or got + "-12" == want


RELATIONS = ("locatedIn", "subOrganizationOf", "issued")


def _relations(gold: Gold, out: Output, score: Score, names_of, gold_names) -> None:
    rows = [r for r in out.relations if r["relation"] in RELATIONS]
    used: set[int] = set()
    golds = list(gold.items("relations"))
    # a document's annotated issuer is an issued link too (optional when the
    # relations list leaves it out)
    listed = {(norm(g["s"]), norm(g["o"])) for g in golds if g.get("p") == "issued"}
    for d in gold.items("documents"):
        if d.get("issuer") and (norm(d["issuer"]), norm(d["name"])) not in listed:
            golds.append({"s": d["issuer"], "p": "issued", "o": d["name"], "optional": True})
    for g in golds:
        sn, on = gold_names(g["s"]), gold_names(g["o"])
        if g["p"] == "issued":
            on = on | {norm(g["o"])}
        hit = None
        for i, r in enumerate(rows):
            if r["relation"] == g["p"] and names_of(r["subject_name"]) & sn and names_of(r["object_name"]) & on:
                hit = i
                break
        if hit is not None:
            for j, r in enumerate(rows):
                if r["relation"] == g["p"] and names_of(r["subject_name"]) & sn and names_of(r["object_name"]) & on:
                    used.add(j)
            if not g.get("optional"):
                score.tp += 1
        elif not g.get("optional"):
            score.fn += 1
            score.misses.append(f"{gold.id}: {g['s']} {g['p']} {g['o']}")
    for i, r in enumerate(rows):
        if i not in used:
            score.fp += 1
            score.extras.append(f"{gold.id}: {r['subject_name']} {r['relation']} {r['object_name']}")


# -- driver ------------------------------------------------------------------

_CLASS_TYPE = {
    "https://schema.org/Person": "Person",
    "https://schema.org/GovernmentOrganization": "GovernmentOrganization",
    "https://schema.org/Corporation": "Company",
    "https://schema.org/ResearchOrganization": "ResearchOrganization",
    "https://schema.org/CollegeOrUniversity": "University",
    "https://schema.org/NewsMediaOrganization": "MediaOrganization",
    "https://schema.org/Organization": "Organization",
    "https://schema.org/Country": "Country",
    "https://w3id.org/cnaikg/ns#Province": "Province",
    "https://schema.org/City": "City",
    "https://w3id.org/cnaikg/ns#District": "District",
    "https://w3id.org/cnaikg/ns#Region": "Region",
    "https://schema.org/Event": "Event",
    "https://w3id.org/cnaikg/ns#PolicyDocument": "Policy",
}


def evaluate(
    gold_paths: Iterable[str | Path],
    docs: Iterable[str | Path],
    *,
    min_confidence: Optional[float] = None,
) -> Report:
    """Build the graph of the annotated articles and score it against the gold files."""
    from . import build, ingest, query
    from .vocab import Minter

    golds = load_gold(gold_paths)
    inputs = [p for p in ingest.iter_inputs(docs) if p.suffix.lower() in ingest.SUPPORTED]
    wanted: list[Path] = []
    pairs: list[tuple[Gold, list[Path]]] = []
    for g in golds:
        ds = docs_for(g, inputs)
        if not ds:
            raise UsageError(f"no article for gold file {g.id} under {', '.join(map(str, docs))}")
        pairs.append((g, ds))
        wanted.extend(ds)
    kw = {} if min_confidence is None else {"min_confidence": min_confidence}
    built = build.assemble(wanted, **kw)
    ox = build.memory_store(built.quads)
    minter = Minter()
    rows = {name: _rows(query.run_named(ox, name)) for name in ("people", "observations", "relations")}
    internal = Path(__file__).parent / "queries" / "internal" / "article_entities.rq"
    ents = _rows(query.run_query(ox, internal.read_text(encoding="utf-8"), origin="article_entities"))
    report = Report(scores={c: Score() for c in CATEGORIES + EXTRA_CATEGORIES})
    id_of = {str(minter.article(ex.document.doc_id)): ex.document for ex in built.extractions}
    for g, ds in pairs:
        for d in ds:
            article = next((iri for iri, doc in id_of.items() if Path(doc.path).name == d.name), None)
            if article is None:
                continue
            out = Output(
                entities=[
                    {
                        "label": e["label"],
                        "type": _CLASS_TYPE.get(e["class"], "Other"),
                        "names": {norm(e["label"])} | {norm(a) for a in e["aliases"].split("\x1f") if a},
                        "date": e.get("date") or None,
                    }
                    for e in ents
                    if e["source"] == article
                ],
                people=[r for r in rows["people"] if r["source"] == article],
                observations=[r for r in rows["observations"] if r["source"] == article],
                relations=[r for r in rows["relations"] if r["source"] == article],
            )
            compare(g, out, report)
            report.articles += 1
    return report


def _rows(result) -> list[dict]:
    from .formats import cell_text

    return [{c: cell_text(v) for c, v in zip(result.columns, row)} for row in result.rows]


def render(report: Report, limit: int = 40) -> str:
    """The report as a table, then the misses and extras of each category."""
    lines = [f"{'category':<15}{'precision':>10}{'recall':>9}{'F1':>8}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for c in CATEGORIES + EXTRA_CATEGORIES:
        s = report.scores[c]
        lines.append(f"{c:<15}{s.precision:>10.3f}{s.recall:>9.3f}{s.f1:>8.3f}{s.tp:>6}{s.fp:>5}{s.fn:>5}")
    lines.append(
        f"observation qualifier/period/status right: {report.attributes_right}/{report.attributes_total}"
        f" ({report.attribute_share:.1%})"
    )
    lines.append(f"noise entities or values in the graph: {len(report.noise)}")
    for c in CATEGORIES + EXTRA_CATEGORIES:
        s = report.scores[c]
        for label, items in (("missed", s.misses), ("extra", s.extras)):
            if items:
                lines.append(f"\n{c} {label} ({len(items)}):")
                lines.extend(f"  {x}" for x in items[:limit])
                if len(items) > limit:
                    lines.append(f"  … {len(items) - limit} more")
    if report.attribute_errors:
        lines.append(f"\nobservation attributes wrong ({len(report.attribute_errors)}):")
        lines.extend(f"  {x}" for x in report.attribute_errors[:limit])
    if report.noise:
        lines.append("\nnoise:")
        lines.extend(f"  {x}" for x in report.noise[:limit])
    return "\n".join(lines) + "\n"
