"""The ordered stages that turn one Document into one Extraction.

ingest → segment → entities → relations → metrics; `resolve` and `graph`
then work across articles (see ``build``).
"""

from __future__ import annotations

from . import entities, metrics, relations
from . import types as t
from .types import Document, Extraction


def extract(doc: Document) -> Extraction:
    """Everything one article yields, with keys local to the article.

    >>> from kg.ingest import read_document  # doctest: +SKIP
    >>> extract(read_document(path)).observations  # doctest: +SKIP
    """
    art = entities.recognize(doc)
    relations.recognize(art)
    observations = metrics.recognize(art, art.context)
    mentions = [m for m in art.live_mentions() if m.kind in t.ENTITY_KINDS]
    # an entity whose every mention a longer name took over (全国人大 inside an
    # event's name) is not named by the article, unless a fact needs it
    used = {m.key for m in mentions}
    used |= {k for r in art.relations for k in (r.subject, r.object)}
    used |= {k for m in art.memberships for k in (m.person, m.organization)}
    used |= {o.area for o in observations}
    ents = {k: e for k, e in art.entities.items() if e.kind in t.ENTITY_KINDS and k in used}
    # an entity that only a membership or relation names still needs declaring
    return Extraction(
        document=doc,
        entities=ents,
        mentions=mentions,
        memberships=[m for m in art.memberships if m.person in ents],
        relations=[r for r in art.relations if r.subject in ents and r.object in ents],
        observations=[o for o in observations if o.area in ents],
    )
