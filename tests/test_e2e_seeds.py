"""The golden end-to-end test: seeds/ built once, read back through the bundled queries,
checked item by item against the seed gold in tests/data/gold/seed-*.json."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kg.evaluate import norm, same_period
from kg.ingest import normalize
from kg.query import run_named, run_query
from kg.vocab import Minter

ROOT = Path(__file__).resolve().parents[1]
GOLD_FILES = sorted((ROOT / "tests" / "data" / "gold").glob("seed-*.json"))
SEEDS = ROOT / "seeds"
# words that tie a figure to "now", not to a period (annotation rules in tests/data/dev/README.md)
PRESENT = ("目前", "现有", "当前")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


GOLDS = {(g := _load(p))["id"]: g for p in GOLD_FILES}


def _names(item: dict) -> set[str]:
    return {norm(item["name"])} | {norm(a) for a in item.get("aliases", []) or []}


def _gold_names(gold: dict, name: str) -> set[str]:
    """Every form of a canonical gold name (its aliases from organizations/places/people)."""
    for key in ("organizations", "places", "people"):
        for it in gold.get(key, []) or []:
            if norm(it["name"]) == norm(name):
                return _names(it)
    return {norm(name)}


def _items(key: str) -> list[tuple[str, dict]]:
    return [(gid, it) for gid, g in GOLDS.items() for it in g.get(key, []) or [] if not it.get("optional")]


def _source_text(gid: str) -> str:
    (path,) = [p for p in SEEDS.iterdir() if p.stem == gid]
    return path.read_text(encoding="utf-8")


def _sentence_of(gid: str, evidence: str) -> str:
    """The sentence of the source file that holds the evidence (its first occurrence)."""
    # the gold writes some punctuation half-width: compare the normalised forms
    text = normalize(_source_text(gid))
    evidence = normalize(evidence)
    k = text.find(evidence)
    assert k >= 0, f"evidence not in {gid}: {evidence}"
    start = max(text.rfind(c, 0, k) for c in "。！？\n>") + 1
    ends = [e for e in (text.find(c, k + len(evidence)) for c in "。！？\n<") if e >= 0]
    return text[start : min(ends) if ends else len(text)]


def _present_tense(gid: str, obs: dict) -> bool:
    sentence = _sentence_of(gid, obs["evidence"])
    return any(w in sentence for w in PRESENT)


@pytest.fixture(scope="module")
def out(seeds_store):
    """The bundled queries' rows, and every name (label and altLabels) of each entity IRI."""
    names: dict[str, set[str]] = {}
    q = "SELECT ?e ?l WHERE { { ?e skos:prefLabel ?l } UNION { ?e skos:altLabel ?l } }"
    for r in run_query(seeds_store, q).records():
        names.setdefault(r["e"], set()).add(norm(r["l"]))
    mentions: dict[str, set[str]] = {}
    for r in run_query(seeds_store, "SELECT ?a ?e WHERE { ?a schema:mentions ?e }").records():
        mentions.setdefault(r["a"], set()).add(r["e"])
    return {
        "people": run_named(seeds_store, "people").records(),
        "observations": run_named(seeds_store, "observations").records(),
        "names": names,
        "mentions": mentions,
    }


def _article(gid: str) -> str:
    return str(Minter().article(gid))


def _row_names(out, iri: str, label: str) -> set[str]:
    return out["names"].get(iri, set()) | {norm(label)}


def _person_id(item) -> str:
    gid, p = item
    return f"{gid[:3]}-{p['name']}"


@pytest.mark.parametrize("item", _items("people"), ids=_person_id)
def test_person_with_each_title_and_organisation(out, item):
    gid, person = item
    gold = GOLDS[gid]
    pnames = _names(person)
    rows = [r for r in out["people"] if r["source"] == _article(gid) and norm(r["name"]) in pnames]
    assert rows, f"{person['name']} not in the people of {gid}"
    orgs = [_gold_names(gold, o) for o in person.get("orgs", [])]
    for title in person["titles"]:
        hits = [r for r in rows if norm(r["title"]) == norm(title)]
        assert hits, f"{person['name']}: no row with title {title}; rows: {[r['title'] for r in rows]}"
        if orgs:
            ok = [r for r in hits if r["organization"] and any(_row_names(out, r["organization"], r["org_name"]) & o for o in orgs)]
            assert ok, f"{person['name']} {title}: organisation {[r['org_name'] for r in hits]} not one of {person['orgs']}"


def _obs_id(item) -> str:
    gid, o = item
    return f"{gid[:3]}-{o['area']}-{o['value']}{o['unit']}"


@pytest.mark.parametrize("item", _items("observations"), ids=_obs_id)
def test_observation_with_its_attributes(out, item):
    gid, obs = item
    gold = GOLDS[gid]
    areas = _gold_names(gold, obs["area"])
    value = Decimal(str(obs["value"]))
    rows = [
        r for r in out["observations"]
        if r["source"] == _article(gid)
        and Decimal(r["value"]) == value
        and r["unit"] == obs["unit"]
        and _row_names(out, r["area"], r["area_name"]) & areas
    ]
    assert rows, f"no observation {obs['area']} {obs['value']} {obs['unit']} in {gid}"
    if _present_tense(gid, obs):
        # The seed gold gives three figures introduced by 目前 (seed-001:
        # 4000亿元, 3000家, 40余张) the publication year, but the annotation
        # rules (tests/data/dev/README.md) say a figure tied to 目前/当前/现有
        # has no period; the rules win, so the period must be empty.
        want_period = ""
    else:
        want_period = obs.get("period") or ""
    want = (obs.get("qualifier") or "exact", obs.get("status") or "reported")
    got = [((r["qualifier"], r["status"]), r["period"] or "") for r in rows]
    assert any(g == want and same_period(want_period, p) for g, p in got), (
        f"{obs['evidence']}: want {want} period {want_period!r}, got {got}"
    )


@pytest.mark.parametrize("gid", sorted(GOLDS), ids=lambda g: g[:3])
def test_no_noise_entities(out, gid):
    noise = {norm(n) for n in GOLDS[gid].get("noise_entities", [])}
    people = {norm(r["name"]) for r in out["people"] if r["source"] == _article(gid)}
    assert not people & noise
    named = set()
    for iri in out["mentions"].get(_article(gid), set()):
        named |= out["names"].get(iri, set())
    assert not named & noise


@pytest.mark.parametrize("gid", sorted(GOLDS), ids=lambda g: g[:3])
def test_no_noise_values(out, gid):
    gold = GOLDS[gid]
    noise = {Decimal(str(v)) for v in gold.get("noise_values", [])}
    real = {Decimal(str(o["value"])) for o in gold.get("observations", [])}
    values = {Decimal(r["value"]) for r in out["observations"] if r["source"] == _article(gid)}
    assert not values & (noise - real)


def test_every_gold_file_has_its_article(out):
    sources = {r["source"] for r in out["observations"]} | {r["source"] for r in out["people"]}
    for gid in GOLDS:
        assert _article(gid) in sources, gid


def test_present_tense_exception_covers_only_the_documented_items():
    # the exception above must stay narrow: only figures whose sentence says 目前/现有/当前
    flagged = [(gid, o["value"]) for gid, o in _items("observations") if _present_tense(gid, o)]
    with_period = [(gid, v) for gid, v in flagged for o in GOLDS[gid]["observations"] if o["value"] == v and o.get("period")]
    assert sorted(v for _, v in with_period) == [40, 3000, 400000000000]
