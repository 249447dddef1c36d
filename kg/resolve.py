"""One entity per real thing across articles.

Inside an article, recognizers already map abbreviations to canonical names
(工信部 → 工业和信息化部, 北京 → 北京市). Across articles this merges
entities whose names meet: the same key, or a distinctive alias of one that
is the key of another (云天励飞 in one article, 深圳云天励飞技术股份有限公司
with short name 云天励飞 in the other). Generic short aliases, such as a unit
name that ends its parent's name (科技司 in 工业和信息化部科技司), never merge.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from . import types as t
from .labels import person_en
from .types import Entity, Extraction

# Kind groups whose members may merge with each other.
_GROUP = {k: "org" for k in t.ORG_KINDS} | {k: "place" for k in t.PLACE_KINDS}

# When two kinds meet for one thing, the more specific wins.
_KIND_RANK = {
    t.GOVERNMENT: 6,
    t.UNIVERSITY: 5,
    t.RESEARCH: 4,
    t.MEDIA: 4,
    t.COMPANY: 3,
    t.ORGANIZATION: 1,
    t.COUNTRY: 6,
    t.PROVINCE: 5,
    t.CITY: 4,
    t.DISTRICT: 3,
    t.REGION: 2,
}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # deterministic: the lexicographically smaller root wins; the
            # canonical key is chosen later from the whole cluster
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def _node(kind: str, key: str) -> str:
    return f"{_GROUP.get(kind, kind)}\x1f{key}"


def resolve(extractions: Iterable[Extraction]) -> tuple[list[Extraction], dict[str, Entity]]:
    """Unify entities across articles; returns rewritten extractions and the entity table.

    Keys in the returned extractions are canonical keys of the entity table.
    """
    exts = list(extractions)
    table, mapping = cluster(ex.entities for ex in exts)
    return [rewrite(ex, mapping) for ex in exts], table


def cluster(entity_maps: Iterable[dict[str, Entity]]) -> tuple[dict[str, Entity], dict[str, str]]:
    """The entity table and the mapping (kind group + key → canonical key) of
    `rewrite`, from each article's entities alone: a large build keeps only
    these in memory and rewrites one article at a time."""
    uf = _UnionFind()
    by_node: dict[str, list[Entity]] = {}
    for ents in entity_maps:
        for e in ents.values():
            n = _node(e.kind, e.key)
            uf.find(n)
            by_node.setdefault(n, []).append(e)
    # a distinctive alias of one entity that is the key of another joins them
    keys = set(by_node)
    for n, ents in by_node.items():
        for e in ents:
            for a in e.aliases:
                if not _distinctive(a, e.key):
                    continue
                other = _node(e.kind, a)
                if other in keys:
                    uf.union(n, other)
    clusters: dict[str, list[str]] = {}
    for n in sorted(by_node):
        clusters.setdefault(uf.find(n), []).append(n)
    table: dict[str, Entity] = {}
    mapping: dict[str, str] = {}  # node → canonical key
    for members in clusters.values():
        ents = [e for n in members for e in by_node[n]]
        canonical = _canonical(ents)
        kind = max((e.kind for e in ents), key=lambda k: (_KIND_RANK.get(k, 0), k))
        aliases = sorted({a for e in ents for a in (e.key, *e.aliases)} - {canonical})
        label_en = next((e.label_en for e in sorted(ents, key=lambda e: (-e.confidence, e.key)) if e.label_en), "")
        if not label_en and kind == t.PERSON:
            label_en = person_en(canonical)
        date = next((e.date for e in sorted(ents, key=lambda e: e.key) if e.date), None)
        conf = max(e.confidence for e in ents)
        rule = next((e.rule for e in sorted(ents, key=lambda e: (-e.confidence, e.rule)) if e.rule), "")
        table[canonical] = Entity(canonical, kind, tuple(aliases), label_en, date, conf, rule)
        for n in members:
            mapping[n] = canonical
    return table, mapping


def _distinctive(alias: str, key: str) -> bool:
    if len(alias) < 2 or key.endswith(alias):
        return False
    return True


def _canonical(ents: list[Entity]) -> str:
    keys = sorted({e.key for e in ents})
    # the most confident rule names it; among equals the longest (a legal name)
    best = max(ents, key=lambda e: (e.confidence, len(e.key), e.key))
    if all(e.confidence == best.confidence for e in ents):
        return max(keys, key=lambda k: (len(k), k))
    return best.key


def rewrite(ex: Extraction, mapping: dict[str, str]) -> Extraction:
    """The extraction with every entity key replaced by its canonical key (see `cluster`)."""
    kinds = {e.key: e.kind for e in ex.entities.values()}

    def key(k: str) -> str:
        kind = kinds.get(k)
        if kind is None:
            return k
        return mapping.get(_node(kind, k), k)

    ents = {}
    for e in ex.entities.values():
        k = key(e.key)
        ents[k] = replace(e, key=k)
    return Extraction(
        document=ex.document,
        entities=ents,
        mentions=[replace(m, key=key(m.key)) for m in ex.mentions],
        memberships=[replace(m, person=key(m.person), organization=key(m.organization)) for m in ex.memberships],
        relations=[replace(r, subject=key(r.subject), object=key(r.object)) for r in ex.relations],
        observations=[replace(o, area=key(o.area)) for o in ex.observations],
    )
