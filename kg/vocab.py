"""Namespaces, prefixes and IRI minting: the only module that knows IRIs.

IRIs are stable: they are derived from the kind and canonical name of an
entity (or from the article and the fact's content), never from run order, so
the same input gives the same IRIs on every build and a build over a superset
of articles keeps every existing IRI.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import quote

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, QB, RDF, RDFS, SKOS, XSD, ORG, DCTERMS

from . import types as t

DEFAULT_BASE = "https://w3id.org/cnaikg/id/"

KG = Namespace("https://w3id.org/cnaikg/ns#")
SCHEMA = Namespace("https://schema.org/")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")

PREFIXES = {
    "kg": KG,
    "org": ORG,
    "schema": SCHEMA,
    "qb": QB,
    "prov": PROV,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "sdmx-dimension": SDMX_DIM,
    "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTR,
}

# The class asserted for each entity kind (the most specific one; the
# ontology says what each of our own classes refines).
CLASS_OF_KIND = {
    t.PERSON: SCHEMA.Person,
    t.GOVERNMENT: SCHEMA.GovernmentOrganization,
    t.COMPANY: SCHEMA.Corporation,
    t.RESEARCH: SCHEMA.ResearchOrganization,
    t.UNIVERSITY: SCHEMA.CollegeOrUniversity,
    t.MEDIA: SCHEMA.NewsMediaOrganization,
    t.ORGANIZATION: SCHEMA.Organization,
    t.COUNTRY: SCHEMA.Country,
    t.PROVINCE: KG.Province,
    t.CITY: SCHEMA.City,
    t.DISTRICT: KG.District,
    t.REGION: KG.Region,
    t.EVENT: SCHEMA.Event,
    t.POLICY: KG.PolicyDocument,
}

# Path segment of each kind's IRIs.
_SEGMENT = {
    t.PERSON: "person",
    t.EVENT: "event",
    t.POLICY: "policy",
}


def _segment(kind: str) -> str:
    if kind in _SEGMENT:
        return _SEGMENT[kind]
    if kind in t.PLACE_KINDS:
        return "place"
    return "org"


def digest(*parts: str, size: int = 12) -> str:
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:size]


_UNSAFE = re.compile(r"[^\w\-.~]", re.UNICODE)


@functools.lru_cache(maxsize=1 << 16)  # names recur in every article that names them
def slug(name: str) -> str:
    """An IRI path segment that keeps the name readable where it can.

    >>> slug("工业和信息化部")
    '%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E9%83%A8'
    """
    return quote(name.strip().replace(" ", "_"), safe="-._~")


class Minter:
    """Mints IRIs under one base (``--base``)."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = Namespace(base)

    def entity(self, kind: str, key: str):
        # Places and organisations share a key space with their kind group,
        # so that a later, better guess of the kind does not change the IRI.
        return self.base[f"{_segment(kind)}/{slug(key)}"]

    def article(self, doc_id: str):
        return self.base[f"article/{slug(doc_id)}"]

    def graph(self, doc_id: str):
        return self.base[f"graph/{slug(doc_id)}"]

    def sentence(self, doc_id: str, start: int, end: int):
        return self.base[f"article/{slug(doc_id)}/chars/{start}-{end}"]

    def observation(self, doc_id: str, *parts: str):
        return self.base[f"observation/{digest(doc_id, *parts)}"]

    def membership(self, person: str, role: str, org: str):
        return self.base[f"membership/{digest(person, role, org)}"]

    def role(self, title: str):
        return self.base[f"role/{slug(title)}"]

    def indicator(self, name: str):
        return self.base[f"indicator/{slug(name)}"]

    def unit(self, code: str):
        return self.base[f"unit/{slug(code)}"]

    def dataset(self):
        return self.base["dataset/observations"]
