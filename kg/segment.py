"""Sentences, clauses and tokens with character offsets.

Splitting works on ``Document.norm`` (simplified, half-width), whose offsets
equal those of ``Document.text``. Tokens come from one private jieba
segmenter (rjieba when installed, see ``_tokenizer``) that knows every
lexicon name, built lazily: most recognizers are rules over characters and
never need it.
"""

from __future__ import annotations

import functools
import re

from .types import Document, Sentence, Token

# A sentence ends at these marks, together with any closing quotes or
# brackets that follow them (…。” stays in the sentence it closes).
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)\]】]*|\n")
_CLAUSE_END = re.compile(r"[,;，；:：]")


def sentences(doc: Document) -> list[Sentence]:
    """Split every paragraph into sentences; empty ones are dropped."""
    out: list[Sentence] = []
    text = doc.norm or doc.text
    for index, para in enumerate(doc.paragraphs):
        start = para.start
        for m in _SENTENCE_END.finditer(text, para.start, para.end):
            _append(out, text, start, m.end(), index)
            start = m.end()
        _append(out, text, start, para.end, index)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int, para: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, para))


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans inside ``text[start:end]``, split at commas, semicolons, colons."""
    spans = []
    s = start
    for m in _CLAUSE_END.finditer(text, start, end):
        if m.start() > s:
            spans.append((s, m.start()))
        s = m.end()
    if end > s:
        spans.append((s, end))
    return spans


@functools.cache
def _tokenizer():
    """jieba's segmentation, as a function from text to words.

    rjieba (jieba-rs: the same algorithm and dictionary, in Rust; 28 times
    faster than jieba in `make bench`) when it is installed; jieba
    otherwise. Both get the same user words and run without the HMM, and
    they cut every sentence of the seeds and the development articles
    identically (``tests/test_segment.py`` checks; ``make bench`` reports
    the agreement on its corpus too).
    """
    from . import lexicon

    try:
        import rjieba
    except ImportError:
        return _jieba_cut()
    rj = rjieba.Jieba()
    for word, freq, tag in lexicon.user_words():
        rj.add_word(word, freq, tag)
    return lambda text: rj.cut(text, False)


@functools.cache
def _jieba_cut():
    """The reference segmenter: a private jieba Tokenizer with our words."""
    import logging

    import jieba

    from . import lexicon

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    for word, freq, tag in lexicon.user_words():
        tk.add_word(word, freq, tag)
    return lambda text: list(tk.cut(text, HMM=False))


def tokens(text: str, offset: int = 0) -> list[Token]:
    """jieba tokens of ``text`` with offsets shifted by ``offset``.

    The recognizers ask about word boundaries in the same sentence many
    times over; each sentence is cut once.
    """
    return list(_tokens(text, offset))


@functools.lru_cache(maxsize=4096)
def _tokens(text: str, offset: int) -> tuple[Token, ...]:
    out = []
    pos = offset
    for word in _tokenizer()(text):
        out.append(Token(pos, pos + len(word), word))
        pos += len(word)
    return tuple(out)
