"""Shared fixtures: Documents made from literal text, and one build of seeds/ per session."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import pytest

from kg.types import Document, Extraction, Paragraph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def make_doc(
    text: str,
    pub_date: Optional[str] = None,
    doc_id: str = "t",
    source: str = "",
    title: str = "",
) -> Document:
    """A Document as ingest would make it from ``text``: one paragraph per non-empty line."""
    from kg.ingest import normalize

    paragraphs = []
    pos = 0
    for line in text.split("\n"):
        start = pos + (len(line) - len(line.lstrip()))
        end = pos + len(line.rstrip())
        if end > start:
            paragraphs.append(Paragraph(start, end))
        pos += len(line) + 1
    return Document(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        text=text,
        paragraphs=tuple(paragraphs),
        title=title,
        pub_date=pub_date,
        source=source,
        norm=normalize(text),
    )


def extract(text: str, pub_date: Optional[str] = None, **kw) -> Extraction:
    """``pipeline.extract`` of a Document made from ``text``."""
    from kg import pipeline

    return pipeline.extract(make_doc(text, pub_date, **kw))


@pytest.fixture(scope="session")
def doc_factory() -> Callable[..., Document]:
    return make_doc


@pytest.fixture(scope="session")
def run() -> Callable[..., Extraction]:
    return extract


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """seeds/ built once per session: (BuildSummary, output folder)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seeds-build")
    summary = build([SEEDS], out)
    return summary, out


@pytest.fixture(scope="session")
def seeds_store(seeds_build):
    """The session build's on-disk store, opened read-only."""
    from kg.store import open_store

    return open_store(seeds_build[1])
