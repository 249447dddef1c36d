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
    ents = {k: e for k, e in art.entities.items() if e.kind in t.ENTITY_KINDS}
    mentions = [m for m in art.live_mentions() if m.kind in t.ENTITY_KINDS]
    # an entity that only a membership or relation names still needs declaring
    return Extraction(
        document=doc,
        entities=ents,
        mentions=mentions,
        memberships=[m for m in art.memberships if m.person in ents],
        relations=[r for r in art.relations if r.subject in ents and r.object in ents],
        observations=[o for o in observations if o.area in ents],
    )
