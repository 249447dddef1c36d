"""Extractions → RDF quads with provenance: the only module that builds RDF terms.

One named graph per article holds everything read from that article (entity
declarations as that article names them, facts, evidence sentences), so the
source of every triple is its graph. Facts that are nodes (memberships,
observations) also point to the sentence they were read from.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from . import types as t
from .types import Entity, Extraction
from .vocab import CLASS_OF_KIND, KG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, Minter

Quad = tuple[URIRef, URIRef, object, URIRef]


class _Terms:
    """A namespace whose terms are made once. rdflib makes a new URIRef at
    every attribute access, and a large build asks for tens of millions."""

    def __init__(self, ns):
        self._ns = ns

    def __getattr__(self, name: str):
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str):
        return self._ns[name]


ORG, PROV, QB, RDF, RDFS, SKOS, XSD, KG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE = map(
    _Terms, (ORG, PROV, QB, RDF, RDFS, SKOS, XSD, KG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE))

_QUALIFIER = {q: KG[q] for q in t.QUALIFIERS}
_STATUS = {s: KG[s] for s in t.STATUSES}
_UNIT_LABEL = {"CNY": "元", "USD": "美元", "HKD": "港元", "MOP": "澳门元", "EUR": "欧元", "JPY": "日元"}


# Literals are immutable: the labels, confidences and offsets that recur
# across articles are made once (rdflib's Literal() is the costliest step).
@functools.lru_cache(maxsize=1 << 16)
def zh(s: str) -> Literal:
    return Literal(s, lang="zh")


@functools.lru_cache(maxsize=1 << 14)
def _int_literal(n: int) -> Literal:
    return Literal(n)


def period_literal(period: str) -> Literal:
    if len(period) == 4:
        return Literal(period, datatype=XSD.gYear)
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return Literal(period, datatype=XSD.gYearMonth)
    if len(period) == 10:
        return Literal(period, datatype=XSD.date)
    return Literal(period)  # 2025-Q1: no XSD type for quarters


@functools.lru_cache(maxsize=1 << 14)
def decimal_literal(value: str) -> Literal:
    d = Decimal(value)
    return Literal(format(d, "f"), datatype=XSD.decimal, normalize=False)


def quads(
    extractions: list[Extraction],
    entities: dict[str, Entity],
    minter: Minter,
    min_confidence: float = 0.0,
) -> Iterator[Quad]:
    """Every quad of the graph, article by article."""
    for ex in extractions:
        yield from _article(ex, entities, minter, min_confidence)


def _article(ex: Extraction, table: dict[str, Entity], mint: Minter, floor: float) -> Iterator[Quad]:
    doc = ex.document
    g = mint.graph(doc.doc_id)
    art = mint.article(doc.doc_id)

    def q(s, p, o):
        return (s, p, o, g)

    def iri(key: str):
        e = table.get(key)
        return mint.entity(e.kind if e else t.ORGANIZATION, key)

    yield q(art, RDF.type, SCHEMA.NewsArticle)
    yield q(art, RDF.type, PROV.Entity)
    if doc.title:
        yield q(art, SCHEMA.headline, zh(doc.title))
    if doc.pub_date:
        yield q(art, SCHEMA.datePublished, Literal(doc.pub_date, datatype=XSD.date))
    yield q(art, KG.sourcePath, Literal(doc.path))
    if doc.content_hash:
        yield q(art, KG.contentHash, Literal(doc.content_hash))

    kept: set[str] = set()
    for key, local in sorted(ex.entities.items()):
        e = table.get(key)
        if e is None or e.kind not in t.ENTITY_KINDS or local.confidence < floor:
            continue
        kept.add(key)
        node = iri(key)
        yield q(art, SCHEMA.mentions, node)
        yield q(node, RDF.type, CLASS_OF_KIND[e.kind])
        yield q(node, RDFS.label, zh(key))
        yield q(node, SKOS.prefLabel, zh(key))
        if e.label_en:
            yield q(node, SKOS.prefLabel, Literal(e.label_en, lang="en"))
        for a in sorted(set(local.aliases) | ({local.key} - {key})):
            if a != key:
                yield q(node, SKOS.altLabel, Literal(a, lang="en" if a.isascii() else "zh"))
        if e.kind in (t.POLICY,):
            yield q(node, SCHEMA.name, zh(key))
            if e.date:
                yield q(node, SCHEMA.datePublished, Literal(e.date, datatype=XSD.date))
        if e.kind == t.EVENT:
            yield q(node, SCHEMA.name, zh(key))
            if e.date:
                yield q(node, SCHEMA.startDate, Literal(e.date, datatype=XSD.date))
        yield q(node, KG.rule, Literal(local.rule or e.rule))
        yield q(node, KG.confidence, decimal_literal(f"{local.confidence:.2f}"))

    # span → text, from the evidence itself (which quotes doc.text[start:end]),
    # so that a large build need not keep every article's text
    sentences: dict[tuple[int, int], str] = {}

    def sentence(ev: t.Evidence) -> URIRef:
        node = mint.sentence(doc.doc_id, ev.start, ev.end)
        sentences[(ev.start, ev.end)] = ev.text
        return node

    for m in ex.memberships:
        if m.person not in kept or m.evidence.confidence < floor:
            continue
        p = iri(m.person)
        if not m.organization or m.organization not in kept:
            yield q(p, SCHEMA.jobTitle, zh(m.role))
            continue
        o = iri(m.organization)
        ms = mint.membership(m.person, m.role, m.organization)
        role = mint.role(m.role)
        yield q(p, ORG.memberOf, o)
        yield q(ms, RDF.type, ORG.Membership)
        yield q(ms, ORG.member, p)
        yield q(ms, ORG.organization, o)
        yield q(ms, ORG.role, role)
        yield q(ms, PROV.wasDerivedFrom, sentence(m.evidence))
        yield q(ms, KG.rule, Literal(m.evidence.rule))
        yield q(ms, KG.confidence, decimal_literal(f"{m.evidence.confidence:.2f}"))
        yield q(role, RDF.type, ORG.Role)
        yield q(role, RDF.type, SKOS.Concept)
        yield q(role, SKOS.prefLabel, zh(m.role))

    for r in ex.relations:
        if r.subject not in kept or r.object not in kept or r.evidence.confidence < floor:
            continue
        s, o = iri(r.subject), iri(r.object)
        sk, ok = table[r.subject].kind, table[r.object].kind
        if r.predicate == "locatedIn":
            if sk in t.PLACE_KINDS and ok in t.PLACE_KINDS:
                yield q(s, SCHEMA.containedInPlace, o)
            elif ok in t.PLACE_KINDS:
                yield q(s, SCHEMA.location, o)
        elif r.predicate == "subOrganizationOf" and sk in t.ORG_KINDS and ok in t.ORG_KINDS:
            yield q(s, ORG.subOrganizationOf, o)
        elif r.predicate == "issued" and ok == t.POLICY:
            yield q(o, SCHEMA.publisher, s)
        elif r.predicate == "organizer" and sk == t.EVENT:
            yield q(s, SCHEMA.organizer, o)

    for ob in ex.observations:
        if ob.area not in kept or ob.evidence.confidence < floor:
            continue
        qty = ob.quantity
        node = mint.observation(doc.doc_id, ob.area, ob.indicator, qty.value, qty.unit, ob.period or "", ob.status,
                                str(ob.evidence.start))
        ind = mint.indicator(ob.indicator)
        unit = mint.unit(qty.unit)
        yield q(node, RDF.type, QB.Observation)
        yield q(node, QB.dataSet, mint.dataset())
        yield q(node, SDMX_DIM.refArea, iri(ob.area))
        yield q(node, KG.indicator, ind)
        if ob.period:
            yield q(node, SDMX_DIM.refPeriod, period_literal(ob.period))
        yield q(node, SDMX_MEASURE.obsValue, decimal_literal(qty.value))
        yield q(node, SDMX_ATTR.unitMeasure, unit)
        yield q(node, KG.qualifier, _QUALIFIER[qty.qualifier])
        yield q(node, KG.status, _STATUS[ob.status])
        yield q(node, PROV.wasDerivedFrom, sentence(ob.evidence))
        yield q(node, KG.rule, Literal(ob.evidence.rule))
        yield q(node, KG.confidence, decimal_literal(f"{ob.evidence.confidence:.2f}"))
        yield q(ind, RDF.type, SKOS.Concept)
        yield q(ind, SKOS.inScheme, KG.indicators)
        yield q(ind, SKOS.prefLabel, zh(ob.indicator))
        yield q(unit, RDF.type, SKOS.Concept)
        yield q(unit, SKOS.inScheme, KG.units)
        yield q(unit, SKOS.notation, Literal(qty.unit))
        yield q(unit, SKOS.prefLabel, zh(_UNIT_LABEL.get(qty.unit, qty.unit)))
    if ex.observations:
        yield q(mint.dataset(), RDF.type, QB.DataSet)

    for (start, end), text in sorted(sentences.items()):
        node = mint.sentence(doc.doc_id, start, end)
        yield q(node, RDF.type, KG.Sentence)
        yield q(node, SCHEMA.text, zh(text))
        yield q(node, SCHEMA.isPartOf, art)
        yield q(node, KG.startChar, _int_literal(start))
        yield q(node, KG.endChar, _int_literal(end))


def nquads(qs) -> str:
    """The quads as N-Quads text: the fastest way into pyoxigraph's bulk
    loader (building pyoxigraph terms one by one costs more than parsing)."""
    terms: dict[object, str] = {}

    def nt(term) -> str:
        text = terms.get(term)
        if text is None:
            if isinstance(term, URIRef):
                text = f"<{term}>"
            elif isinstance(term, Literal):
                lex = str(term).translate(_NT_ESCAPES)
                if term.language:
                    text = f'"{lex}"@{term.language}'
                elif term.datatype is not None:
                    text = f'"{lex}"^^<{term.datatype}>'
                else:
                    text = f'"{lex}"'
            else:
                raise TypeError(f"unexpected term {term!r}")
            terms[term] = text
        return text

    return "".join([f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} .\n" for s, p, o, g in qs])


# the characters a quoted N-Triples literal cannot hold as they are
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def to_oxigraph(qs) -> list:
    """The same quads as pyoxigraph terms, for the store."""
    import pyoxigraph as ox

    nodes: dict[str, object] = {}

    def node(term):
        if isinstance(term, URIRef):
            n = nodes.get(term)
            if n is None:
                n = nodes[term] = ox.NamedNode(str(term))
            return n
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=node(term.datatype))
            return ox.Literal(str(term))
        raise TypeError(f"unexpected term {term!r}")

    return [ox.Quad(node(s), node(p), node(o), node(g)) for s, p, o, g in qs]
