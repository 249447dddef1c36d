"""`kg.segment`: sentences, clauses, and tokens that rjieba and jieba cut alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg import ingest, segment
from kg.entities import sentence_span

ROOT = Path(__file__).resolve().parents[1]


def _sentences() -> list[str]:
    out = []
    for p in ingest.iter_inputs([ROOT / "seeds", ROOT / "tests" / "data" / "dev"]):
        try:
            doc = ingest.read_document(p)
        except Exception:
            continue  # the gold .json files
        text = doc.norm or doc.text
        i = 0
        while i < len(text):
            s, e = sentence_span(text, i)
            if e > s:
                out.append(text[s:e])
            i = max(e, i + 1)
    return out


def test_rjieba_cuts_every_seed_and_dev_sentence_as_jieba_does():
    """The build uses rjieba (jieba-rs) for speed only where it is jieba."""
    try:
        import rjieba  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("rjieba is not installed here (CI installs it)")
    sentences = _sentences()
    assert len(sentences) > 300
    fast, ref = segment._tokenizer(), segment._jieba_cut()
    differ = [s for s in sentences if fast(s) != ref(s)]
    assert differ == []


def test_tokens_carry_offsets_and_repeat_from_the_cache():
    text = "工业和信息化部科技司副司长表示"
    first = segment.tokens(text, 100)
    assert "".join(t.text for t in first) == text
    assert first[0].start == 100 and first[-1].end == 100 + len(text)
    assert all(a.end == b.start for a, b in zip(first, first[1:]))
    assert segment.tokens(text, 100) == first
    assert segment.tokens(text, 0)[0].start == 0  # another offset, other tokens


def test_clauses_split_at_commas_and_colons():
    text = "一，二；三：四"
    assert [text[s:e] for s, e in segment.clauses(text, 0, len(text))] == ["一", "二", "三", "四"]
