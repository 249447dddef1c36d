"""Small typed records passed between the pipeline stages.

Every offset is a character offset into ``Document.text``, which never
changes after ingest (as spaCy's ``Span.start_char``/``end_char`` point into
``Doc.text``). No third-party imports here: every stage can use these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# Entity kinds: the contract of the `entities` query (its `type` column).
PERSON = "Person"
GOVERNMENT = "GovernmentOrganization"
COMPANY = "Company"
RESEARCH = "ResearchOrganization"
UNIVERSITY = "University"
MEDIA = "MediaOrganization"
ORGANIZATION = "Organization"
COUNTRY = "Country"
PROVINCE = "Province"
CITY = "City"
DISTRICT = "District"
REGION = "Region"
EVENT = "Event"
POLICY = "Policy"

ORG_KINDS = frozenset({GOVERNMENT, COMPANY, RESEARCH, UNIVERSITY, MEDIA, ORGANIZATION})
PLACE_KINDS = frozenset({COUNTRY, PROVINCE, CITY, DISTRICT, REGION})
ENTITY_KINDS = frozenset({PERSON, EVENT, POLICY}) | ORG_KINDS | PLACE_KINDS

QUALIFIERS = ("exact", "approx", "atLeast", "atMost")
STATUSES = ("reported", "target", "forecast")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One article after ingest.

    ``text`` is the article's content with page furniture removed (for HTML,
    the text of the content blocks); ``paragraphs`` are spans into it.
    ``doc_id`` is stable for a given path and is used to mint the article IRI.
    """

    doc_id: str
    path: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str = ""
    pub_date: Optional[str] = None  # ISO YYYY-MM-DD
    source: str = ""  # publisher named by the page ("经济日报")
    content_hash: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    # the text converted to simplified characters, same length as ``text``;
    # recognizers match on it so that offsets stay valid for both
    norm: str = ""

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    pos: str = ""


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence span and the rule that read it."""

    doc_id: str
    start: int
    end: int
    text: str
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Mention:
    """A name in the text that refers to an entity.

    ``key`` is the canonical name the mention resolves to inside the article
    (``工信部`` → ``工业和信息化部``); ``resolve`` unifies keys across articles.
    """

    start: int
    end: int
    text: str
    kind: str
    key: str
    rule: str
    confidence: float = 1.0
    label_en: str = ""
    parent: str = ""  # for places: the canonical name of the containing place


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as read from text, in base units."""

    start: int
    end: int
    value: str  # decimal string in base units, no exponent: "580000000000"
    unit: str  # CNY, USD, %, EFLOPS, or a measure word (家, 个 …)
    qualifier: str = "exact"
    text: str = ""


@dataclass(frozen=True)
class Membership:
    person: str  # entity key
    role: str  # bare title: 副司长
    organization: str  # entity key, "" when the text names none
    evidence: Evidence


@dataclass(frozen=True)
class Relation:
    subject: str  # entity key
    predicate: str  # locatedIn | subOrganizationOf | issued | organizer | heldAt
    object: str  # entity key
    evidence: Evidence


@dataclass(frozen=True)
class Observation:
    area: str  # entity key
    indicator: str
    quantity: Quantity
    period: Optional[str]  # YYYY, YYYY-MM or YYYY-MM-DD
    status: str
    evidence: Evidence


@dataclass(frozen=True)
class Entity:
    """An entity as one article sees it: key, kind, the names it is called by."""

    key: str
    kind: str
    aliases: tuple[str, ...] = ()
    label_en: str = ""
    date: Optional[str] = None  # events and policy documents
    confidence: float = 1.0
    rule: str = ""


@dataclass
class Extraction:
    """Everything one article yields; the unit that `resolve` and `rdf` consume."""

    document: Document
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
