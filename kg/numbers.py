"""Chinese numbers, units, qualifiers and times → Quantity and TimeExpr; pure functions.

Everything here reads *normalized* text: ASCII digits and punctuation
(``，``→``,``, ``（``→``(``, ``％``→``%``) and simplified characters. Offsets
are indices into the string given. Values are :class:`decimal.Decimal` in
base units, written as plain decimal strings (``580000000000``, never
``5.8E+11``).

Cue words and units are data: ``ontology/lexicons/cues.tsv`` and
``ontology/lexicons/units.tsv``, loaded once and checked as they load.
Every repetition in the patterns is bounded (``[0-9]{1,15}``), so no input
makes them backtrack without limit.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

from .errors import LexiconError
from .types import QUALIFIERS, Quantity

__all__ = [
    "TimeExpr",
    "detect_status",
    "find_quantities",
    "find_times",
    "format_decimal",
    "governs",
    "parse_number",
]


@dataclass(frozen=True)
class TimeExpr:
    """A time expression: its span, the period it resolves to, and what kind it is.

    ``period`` is ISO ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-Qn``, or
    None when the text gives no resolvable time (a relative word without a
    publication date, a range, a duration, 目前).

    ``kind`` is one of:
    ``year`` (2024年, 去年, 今年以来), ``end`` (2024年底, 截至上月底),
    ``month`` (2024年12月, 上月), ``day`` (a full date, 昨日, 2025-01-16),
    ``date`` (a month-day or day without a year: 4月2日, 15日; callers use
    these for events), ``quarter`` (今年一季度 → ``2025-Q1``), ``half``
    (上半年 → the year), ``part`` (前三季度, 1-5月 → the year), ``target``
    (到2027年, 到2027年底: a year not before the publication year),
    ``range`` (2025年至2027年, 2023—2025年: period None, since no single
    period fits a multi-year span), ``duration`` (三年, 30余年, 三个月: period
    None), ``now`` (目前, 已, 累计: period None).
    """

    start: int
    end: int
    period: Optional[str]
    kind: str


# -- lexicons -------------------------------------------------------------------

UNIT_KINDS = frozenset({"currency", "percent", "point", "times", "ratio", "compute", "count", "time", "skip"})
CUE_KINDS = frozenset(
    {"before", "infix", "after", "bridge", "share", "skip", "vague", "status", "block",
     "now", "year", "month", "day", "asof", "by"}
)
_QUALIFIER_KINDS = frozenset({"before", "infix", "after", "share"})
_OFFSET_KINDS = frozenset({"year", "month", "day"})
_UNIT_COLUMNS = ("word", "unit", "kind", "factor", "not_before")
_CUE_COLUMNS = ("cue", "kind", "value")


@dataclass(frozen=True)
class _Unit:
    word: str
    unit: str
    kind: str
    factor: Decimal
    not_before: tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    units: dict[str, _Unit]  # surface form (Latin upper-cased) → unit
    unit_alt: str  # regex alternation of the unit words, longest first
    cues: dict[str, dict[str, str]]  # kind → cue → value
    blocks: dict[str, tuple[str, ...]]  # cue → words that contain it but are not it
    by_last: dict[str, dict[str, tuple[str, ...]]]  # kind → last char → cues, longest first
    by_first: dict[str, dict[str, tuple[str, ...]]]  # kind → first char → cues, longest first


def _lexicon_dir() -> Path:
    # the shared loader decides the folder ($KG_LEXICONS or ontology/lexicons)
    from . import lexicon

    return lexicon.lexicon_dir()


def _tsv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    from . import lexicon

    return lexicon.numbered_rows(path, columns)


def _load_units(path: Path) -> dict[str, _Unit]:
    units: dict[str, _Unit] = {}
    for number, r in _tsv(path, _UNIT_COLUMNS):
        where = f"{path}:{number}"
        if r["kind"] not in UNIT_KINDS:
            raise LexiconError(f"{where}: unknown kind {r['kind']!r} (expected one of {', '.join(sorted(UNIT_KINDS))})")
        try:
            factor = Decimal(r["factor"])
        except InvalidOperation:
            raise LexiconError(f"{where}: factor must be a number, found {r['factor']!r}") from None
        if not factor.is_finite() or factor <= 0:
            raise LexiconError(f"{where}: factor must be a positive number, found {r['factor']!r}")
        if r["kind"] not in ("time", "skip") and (not r["unit"] or r["unit"] == "-"):
            raise LexiconError(f"{where}: a {r['kind']} word needs a unit code")
        if any(ch.isdigit() for ch in r["word"]):
            raise LexiconError(f"{where}: a unit word cannot contain digits: {r['word']!r}")
        key = r["word"].upper() if r["word"].isascii() else r["word"]
        if key in units:
            raise LexiconError(f"{where}: duplicate unit word {r['word']!r}")
        blockers = () if r["not_before"] == "-" else tuple(w for w in r["not_before"].split("|") if w)
        units[key] = _Unit(key, r["unit"], r["kind"], factor, blockers)
    if not units:
        raise LexiconError(f"{path}: no units")
    return units


def _load_cues(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    cues: dict[str, dict[str, str]] = {k: {} for k in CUE_KINDS}
    block_rows: list[tuple[str, str, str]] = []
    for number, r in _tsv(path, _CUE_COLUMNS):
        where = f"{path}:{number}"
        cue, kind, value = r["cue"], r["kind"], r["value"]
        if kind not in CUE_KINDS:
            raise LexiconError(f"{where}: unknown kind {kind!r} (expected one of {', '.join(sorted(CUE_KINDS))})")
        if kind in _QUALIFIER_KINDS and value not in QUALIFIERS:
            raise LexiconError(f"{where}: a {kind} cue needs a qualifier ({', '.join(QUALIFIERS)}), found {value!r}")
        if kind == "status" and value not in ("target", "forecast"):
            raise LexiconError(f"{where}: a status cue is target or forecast, found {value!r}")
        if kind == "now" and value not in ("strong", "weak"):
            raise LexiconError(f"{where}: a now cue is strong or weak, found {value!r}")
        if kind in _OFFSET_KINDS and not re.fullmatch(r"[+-]?[0-9]{1,3}", value):
            raise LexiconError(f"{where}: a {kind} cue needs an integer offset, found {value!r}")
        if kind == "block":
            if not value or value not in cue or value == cue:
                raise LexiconError(f"{where}: block word {cue!r} must contain the cue it blocks, found {value!r}")
            block_rows.append((where, cue, value))
        if cue in cues[kind]:
            raise LexiconError(f"{where}: duplicate {kind} cue {cue!r}")
        cues[kind][cue] = value
    known = {c for kind, table in cues.items() if kind != "block" for c in table}
    blocks: dict[str, list[str]] = {}
    for where, word, cue in block_rows:
        if cue not in known:
            raise LexiconError(f"{where}: {word!r} blocks {cue!r}, which is no cue")
        blocks.setdefault(cue, []).append(word)
    return cues, {k: tuple(v) for k, v in blocks.items()}


@functools.cache
def _lexicon_at(folder: str) -> _Lexicon:
    units = _load_units(Path(folder) / "units.tsv")
    cues, blocks = _load_cues(Path(folder) / "cues.tsv")
    parts = []
    for word in sorted(units, key=lambda w: (-len(w), w)):
        parts.append(f"(?i:{re.escape(word)})" if word.isascii() else re.escape(word))
    by_last: dict[str, dict[str, tuple[str, ...]]] = {}
    by_first: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, table in cues.items():
        ordered = sorted(table, key=lambda c: (-len(c), c))
        last: dict[str, list[str]] = {}
        first: dict[str, list[str]] = {}
        for cue in ordered:
            last.setdefault(cue[-1], []).append(cue)
            first.setdefault(cue[0], []).append(cue)
        by_last[kind] = {k: tuple(v) for k, v in last.items()}
        by_first[kind] = {k: tuple(v) for k, v in first.items()}
    return _Lexicon(units, "|".join(parts), cues, blocks, by_last, by_first)


def _lex() -> _Lexicon:
    return _lexicon_at(str(_lexicon_dir()))


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _blocked(text: str, pos: int, cue: str, blocks: dict[str, tuple[str, ...]]) -> bool:
    """True when the cue at ``pos`` is part of a longer word that is not that cue (签约)."""
    for word in blocks.get(cue, ()):
        k = word.find(cue)
        while k >= 0:
            s = pos - k
            if s >= 0 and text.startswith(word, s):
                return True
            k = word.find(cue, k + 1)
    return False


def _cue_ending(text: str, end: int, kind: str, lx: _Lexicon) -> Optional[str]:
    """The longest cue of ``kind`` that ends at ``end`` and is not blocked."""
    if end <= 0:
        return None
    for cue in lx.by_last[kind].get(text[end - 1], ()):
        s = end - len(cue)
        if s >= 0 and text.startswith(cue, s) and not _blocked(text, s, cue, lx.blocks):
            return cue
    return None


def _cue_starting(text: str, start: int, kind: str, lx: _Lexicon) -> Optional[str]:
    """The longest cue of ``kind`` that starts at ``start`` and is not blocked."""
    if start >= len(text):
        return None
    for cue in lx.by_first[kind].get(text[start], ()):
        if text.startswith(cue, start) and not _blocked(text, start, cue, lx.blocks):
            return cue
    return None


# -- numbers ------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGIT) + "".join(_CN_SMALL) + "".join(_CN_BIG)

_AR = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}(?![0-9])|[0-9]{1,15})(?:\.[0-9]{1,10})?"
_CN = rf"[{_CN_CHARS}]{{1,32}}(?:点[零〇一二三四五六七八九]{{1,8}})?"
_MAG = r"[十百千]?万?亿?"
_MAG_RE = re.compile(_MAG)
_NUM_RE = re.compile(rf"(?P<pct>百分之)?(?:(?P<ar>{_AR})|(?P<cn>{_CN}))")
_PARSE_AR_RE = re.compile(rf"(?P<sign>[+-])?(?P<ar>{_AR})(?P<mag>{_MAG})")
_SEP_RE = re.compile(r" ?(?:[-~～—–－]{1,2}|至|到) ?")


def _cn_int(s: str) -> Optional[int]:
    """一千零八十 → 1080, 两 → 2, 千亿 → 10**11, 一万二 → 12000; None when not a numeral (十几, 二三)."""
    if not s:
        return None
    total = 0  # completed 万/亿 groups
    section = 0  # value since the last 万/亿
    digit: Optional[int] = None
    last_small = 10**5  # units inside a section must fall (千 then 百 then 十)
    last_unit = 0  # value of the last unit seen, for 一万二 = 12000
    prev = ""  # "", "digit", "zero", "small", "wan", "yi"
    for i, ch in enumerate(s):
        if i > 0 and s[0] in _CN_BIG and ch != "亿":
            return None  # 万一: a bare 万/亿 only combines into 万亿
        if ch in _CN_DIGIT:
            d = _CN_DIGIT[ch]
            if digit is not None and not (digit == 0 and prev == "zero"):
                return None  # 二三: a vague pair, not a numeral
            digit = d
            prev = "zero" if d == 0 else "digit"
        elif ch in _CN_SMALL:
            m = _CN_SMALL[ch]
            if m >= last_small or digit == 0:
                return None
            if digit is None:
                if prev not in ("", "wan", "yi"):
                    return None
                n = 1  # 十二, 千亿: the leading 一 is implied
            else:
                n = digit
            section += n * m
            digit, last_small, last_unit, prev = None, m, m, "small"
        elif ch in _CN_BIG:
            m = _CN_BIG[ch]
            if digit is not None:
                section += digit
                digit = None
            if section == 0:
                if i == 0:
                    section = 1  # 万亿, 亿: a bare magnitude
                elif not (ch == "亿" and prev == "wan"):
                    return None
            if ch == "万":
                total += section * m
                prev = "wan"
            else:
                total = (total + section) * m
                prev = "yi"
            section, last_small, last_unit = 0, 10**5, m
        else:
            return None
    if digit is not None:
        if prev == "digit" and last_unit >= 10 and len(s) >= 2 and s[-2] not in _CN_DIGIT:
            section += digit * (last_unit // 10)  # 一万二 = 12000, 三千五 = 3500, 二十一 = 21
        else:
            section += digit
    return total + section


def _cn_value(s: str) -> Optional[Decimal]:
    whole, _, frac = s.partition("点")
    n = _cn_int(whole)
    if n is None:
        return None
    if not frac:
        return Decimal(n)
    if any(ch not in _CN_DIGIT or ch == "两" for ch in frac):
        return None
    return Decimal(f"{n}.{''.join(str(_CN_DIGIT[ch]) for ch in frac)}")


@functools.cache
def _magnitude(mag: str) -> Optional[int]:
    """万 → 10**4, 千亿 → 10**11, "" → 1."""
    return 1 if not mag else _cn_int(mag)


def parse_number(s: str) -> Optional[Decimal]:
    """A number written in digits, Chinese numerals or both, as a Decimal; None if it is not one.

    >>> parse_number("4.2万"), parse_number("千亿"), parse_number("十几")
    (Decimal('42000.0'), Decimal('100000000000'), None)
    """
    s = s.strip()
    if not s:
        return None
    m = _PARSE_AR_RE.fullmatch(s)
    if m:
        mult = _magnitude(m.group("mag"))
        if mult is None:
            return None
        value = Decimal(m.group("ar").replace(",", "")) * mult
        return -value if m.group("sign") == "-" else value
    if len(s) > 40 or not re.fullmatch(_CN, s):
        return None
    return _cn_value(s)


def format_decimal(d: Decimal) -> str:
    """A Decimal as a plain decimal string: no exponent, no trailing zeros.

    >>> format_decimal(Decimal("5.8E+11")), format_decimal(Decimal("23.50"))
    ('580000000000', '23.5')
    """
    if not d.is_finite():
        raise ValueError(f"not a finite number: {d}")
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# -- quantities -----------------------------------------------------------------------

@functools.cache
def _tail_re(folder: str) -> re.Pattern:
    lx = _lexicon_at(folder)
    infix = _alt(lx.cues["infix"])
    return re.compile(
        rf"(?P<inf1>{infix})?(?P<mag>{_MAG})(?P<inf2>{infix})?(?P<sp> ?)(?P<unit>{lx.unit_alt})"
    )


# spans where digits are dates, clock times or document numbers, never quantities
_NOT_QUANTITY_RE = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])"
    r"|(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])"
    r"|[〔\[(【][0-9]{4}[〕\])】][0-9]{1,5}号?"
)
_PER_SHARE_RE = re.compile(r"每[0-9零一二两三四五六七八九十]{0,4}股")
_CLAUSE_STOPS = ",;。!?:，；！？：\n"


@dataclass(frozen=True)
class _Tail:
    """What follows a number: magnitude (万, 亿), 余/多, and the unit."""

    end: int
    mag: str
    infix: str
    unit: _Unit


def _tail(text: str, pos: int, folder: str, lx: _Lexicon) -> Optional[_Tail]:
    m = _tail_re(folder).match(text, pos)
    if m is None:
        return None
    word = m.group("unit")
    unit = lx.units[word.upper() if word.isascii() else word]
    end = m.end()
    if any(text.startswith(b, end) for b in unit.not_before):
        return None
    if unit.kind == "compute" and end < len(text) and text[end].isascii() and text[end].isalnum():
        return None
    return _Tail(end, m.group("mag"), m.group("inf1") or m.group("inf2") or "", unit)


def _skip_before(text: str, start: int, lx: _Lexicon) -> bool:
    if start == 0:
        return False
    prev = text[start - 1]
    if prev.isascii() and (prev.isalpha() or prev in "_."):
        return True  # A100, GPT4, v1.2, the 2 of 1.2.3
    if prev in "-/" and start >= 2 and text[start - 2].isascii() and text[start - 2].isalnum():
        return True  # GPT-4, 2025/6
    if prev == ":" and start >= 2 and text[start - 2].isdigit():
        return True
    return _cue_ending(text, start, "skip", lx) is not None


def _qualifier_before(text: str, start: int, lx: _Lexicon) -> tuple[int, str]:
    """(start of the cue, qualifier) for a cue right before the number, bridging one verb."""
    before = lx.cues["before"]
    cue = _cue_ending(text, start, "before", lx)
    if cue is not None:
        return start - len(cue), before[cue]
    bridge = _cue_ending(text, start, "bridge", lx)
    if bridge is not None:
        cue = _cue_ending(text, start - len(bridge), "before", lx)
        if cue is not None:
            return start - len(bridge) - len(cue), before[cue]
    return start, "exact"


def _clause_start(text: str, pos: int) -> int:
    lo = max(0, pos - 200)
    return max([lo] + [text.rfind(c, lo, pos) + 1 for c in _CLAUSE_STOPS])


def _num_at(m: re.Match) -> tuple[Optional[Decimal], str]:
    """The value of a number token and its surface (without 百分之)."""
    if m.group("ar") is not None:
        ar = m.group("ar")
        digits = ar.replace(",", "")
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
            return None, ar  # 010, 0551: a code, not a quantity
        return Decimal(digits), ar
    return _cn_value(m.group("cn")), m.group("cn")


def find_quantities(text: str) -> list[Quantity]:
    """Numbers with a unit or measure word, in text order and non-overlapping.

    Dates, times, durations, ordinals, document and version numbers, codes and
    per-share amounts are left out; so is a number with no unit after it.
    Raises LexiconError when ``units.tsv`` or ``cues.tsv`` does not load.

    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("营收约5800亿元人民币，企业超过4400家")]
    [('580000000000', 'CNY', 'approx'), ('4400', '家', 'atLeast')]
    """
    folder = str(_lexicon_dir())
    lx = _lexicon_at(folder)
    blocked = [(m.start(), m.end()) for m in _NOT_QUANTITY_RE.finditer(text)]
    bi = 0
    out: list[Quantity] = []
    last_end = 0
    for m in _NUM_RE.finditer(text):
        start = m.start()
        if start < last_end:
            continue
        while bi < len(blocked) and blocked[bi][1] <= start:
            bi += 1
        if bi < len(blocked) and blocked[bi][0] <= start:
            continue
        q, consumed = _quantity_at(text, m, folder, lx)
        if consumed:
            last_end = consumed
        if q is not None:
            if out and q.start < out[-1].end:
                continue  # a prefix cue reaching back into the previous quantity
            out.append(q)
            last_end = max(last_end, q.end)
    return out


def _quantity_at(text: str, m: re.Match, folder: str, lx: _Lexicon) -> tuple[Optional[Quantity], int]:
    """The quantity whose number is ``m``, and how far the text is used up (0: not at all)."""
    pct = m.group("pct") is not None
    is_cn = m.group("cn") is not None
    start = m.start()
    if m.group("ar") is not None:
        if start > 0 and (text[start - 1].isdigit()):
            return None, 0
        p = m.end()
        if text.startswith(".", p) and p + 1 < len(text) and text[p + 1].isdigit():
            return None, m.end() + 1  # 1.2.3: a version or an address
    if _skip_before(text, start, lx):
        return None, m.end()
    value, surface = _num_at(m)
    if value is None:
        return None, 0
    if is_cn and (_cue_ending(text, start, "vague", lx) or text.startswith("几", m.end())):
        return None, m.end()  # 数百家, 十几家
    if pct:
        end = m.end()
        unit, kind, infix, factor = "%", "percent", "", Decimal(1)
        mult = 1
    else:
        found = _tail_or_range(text, m, folder, lx)
        if found is None:
            return None, 0
        end, value, mult, infix, unit_rec, ranged = found
        if unit_rec.kind in ("time", "skip"):
            return None, end
        unit, kind, factor = unit_rec.unit, unit_rec.kind, unit_rec.factor
        bare = is_cn and surface[0] in "百千万亿"
        if bare and not infix and not (kind == "currency" and len(surface) >= 2):
            return None, end  # 千家万户, 百家号: a bare magnitude is a word, not a count
        if is_cn and surface == "一" and kind in ("count", "ratio"):
            return None, end  # 一家, 一个, 一成不变: an article, not a statistic
        if kind == "ratio" and (mult != 1 or value > 10):
            return None, end
        if ranged:
            infix = "range"
    qstart = start
    if not is_cn and not pct and kind in ("percent", "point") and start > 0 and text[start - 1] in "+-−":
        if start < 2 or not text[start - 2].isdigit():
            qstart = start - 1
            if text[start - 1] != "+":
                value = -value
    total = value * mult * factor
    if kind == "currency" and _PER_SHARE_RE.search(text, _clause_start(text, qstart), qstart):
        return None, end  # 每10股派发现金红利1.50元: a per-share amount
    qstart2, qualifier = _qualifier_before(text, qstart, lx)
    if qualifier == "exact" and infix:
        qualifier = "atLeast" if infix == "range" else lx.cues["infix"].get(infix, "exact")
    after = _cue_starting(text, end, "after", lx)
    qend = end
    if after is not None:
        qend = end + len(after)
        if qualifier == "exact":
            qualifier = lx.cues["after"][after]
    if qualifier == "exact" and kind in ("percent", "ratio"):
        cs = _clause_start(text, qstart2)
        share = lx.cues["share"]
        for cue in sorted(share, key=lambda c: (-len(c), c)):
            k = text.rfind(cue, cs, qstart2)
            if k >= 0 and not _blocked(text, k, cue, lx.blocks):
                qualifier = share[cue]
                break
    q = Quantity(qstart2, qend, format_decimal(total), unit, qualifier, text[qstart2:qend])
    return q, qend


def _tail_or_range(text: str, m: re.Match, folder: str, lx: _Lexicon):
    """(end, value, multiplier, infix, unit, ranged) for the number at ``m``, or None.

    A range (3-5个, 3至5个, 3-5亿元, 10%-20%) gives its lower bound; the unit
    follows the second number (a percent sign may follow both).
    """
    value, _ = _num_at(m)
    p = m.end()
    tail1 = _tail(text, p, folder, lx)
    if value is not None and (tail1 is None or tail1.unit.kind == "percent"):
        mag1 = _MAG_RE.match(text, p).group()
        sep = _SEP_RE.match(text, tail1.end if tail1 is not None else p + len(mag1))
        m2 = _NUM_RE.match(text, sep.end()) if sep is not None else None
        if m2 is not None and m2.group("pct") is None:
            v2, _ = _num_at(m2)
            tail2 = _tail(text, m2.end(), folder, lx) if v2 is not None else None
            if tail2 is not None and (tail1 is None or tail2.unit.kind == "percent"):
                if tail2.unit.kind in ("time", "skip"):
                    return tail2.end, value, 1, "", tail2.unit, True  # 2023—2025年, 2至3年
                mult1 = _magnitude(mag1 or tail2.mag)
                mult2 = _magnitude(tail2.mag)
                if mult1 is not None and mult2 is not None and value * mult1 <= v2 * mult2:
                    return tail2.end, value, mult1, "", tail2.unit, True
    if tail1 is None:
        return None
    mult = _magnitude(tail1.mag)
    if mult is None:
        return None
    return tail1.end, value, mult, tail1.infix, tail1.unit, False


# -- times ------------------------------------------------------------------------------

_YEAR = r"(?:19|20)[0-9]{2}"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_CN_YEAR = r"[〇零一二三四五六七八九]{4}"
_QUARTER = r"第?[一二三四1-4]季度|Q[1-4]"
_DATED_KINDS = frozenset({"year", "end", "month", "day", "date", "quarter", "half", "part", "target"})


@functools.cache
def _time_re(folder: str) -> re.Pattern:
    lx = _lexicon_at(folder)
    pre = _alt(list(lx.cues["asof"]) + list(lx.cues["by"]))
    rel_y = _alt(lx.cues["year"])
    rel_m = _alt(lx.cues["month"])
    rel_d = _alt(lx.cues["day"])
    now = _alt(lx.cues["now"])
    year = rf"(?:(?<![0-9])(?P<y>{_YEAR})|(?P<cy>{_CN_YEAR}))年"
    return re.compile(
        # 2023—2025年, 2025年至2027年
        rf"(?<![0-9])(?P<r1>{_YEAR})年?(?:度)? ?(?:[-~～—–－]{{1,2}}|至|到) ?(?P<r2>{_YEAR})年(?:度)?"
        # 2025-01-16, 2025/1/16, 2025.01.16
        rf"|(?<![0-9])(?P<iy>{_YEAR})(?P<isep>[-/.])(?P<im>{_MONTH})(?P=isep)(?P<id>{_DAY})(?![0-9])"
        rf"|(?P<pre>{pre})?(?:"
        # with a year: 2024年, 去年底, 今年一季度, 2024年12月31日, 今年以来
        rf"(?:{year}|(?P<ry>{rel_y}))(?:度)?"
        rf"(?:(?P<end>年?底|年?末|年终)"
        rf"|(?P<half>上半年|下半年)"
        rf"|(?P<q>{_QUARTER})"
        rf"|(?P<part>前[一二三]季度|前(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,2}})个月|{_MONTH}(?:[-~～—–－]|至|到){_MONTH}月)"
        rf"|(?P<m>{_MONTH})月份?(?:(?P<me>底|末)|(?P<d>{_DAY})[日号])?"
        rf"|(?P<init>年?初))?"
        rf"|(?P<rm>{rel_m})(?P<rme>底|末)?"
        rf"|(?<![0-9])(?P<m2>{_MONTH})月份?(?:(?P<me2>底|末)|(?P<d2>{_DAY})[日号])?"
        rf"|(?P<q2>{_QUARTER})"
        rf"|(?P<h2>上半年|下半年)"
        rf"|(?P<p2>前[一二三]季度)"
        rf"|(?P<rd>{rel_d})"
        rf"|(?P<now>{now})"
        rf"|(?<![0-9.])(?P<d3>{_DAY})日(?![0-9])"
        rf")"
        # durations: 三年, 30余年, 两周, 三个月, 2至3年, 8个年头
        rf"|(?P<dur>(?<![0-9])(?:[0-9]{{1,3}}|[{_CN_CHARS}]{{1,4}})(?:(?:至|到|-)(?:[0-9]{{1,3}}|[{_CN_CHARS}]{{1,4}}))?"
        rf"(?:余|多)?(?:个多?(?:月|年头|星期|小时|季度|工作日)|年头|年|周|星期|天|小时)(?![0-9份底末初度]))"
    )


def _pub(pub_date: Optional[str]) -> Optional[_dt.date]:
    if not pub_date:
        return None
    try:
        return _dt.date.fromisoformat(pub_date[:10])
    except ValueError:
        return None


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _ymd(year: int, month: int, day: int) -> Optional[str]:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_without(pub: _dt.date, month: int) -> int:
    # a month far after the publication month is last year's (12月 in a January article)
    return pub.year - 1 if month - pub.month > 6 else pub.year


def _cn_year(s: str) -> int:
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def find_times(text: str, pub_date: Optional[str], *, year_end_month: bool = False) -> list[TimeExpr]:
    """Time expressions in text order, resolved against ``pub_date`` (YYYY-MM-DD).

    A year-end (2024年底, 截至去年底) resolves to the year (``2024``), as the dev gold
    annotates it; ``year_end_month=True`` gives ``2024-12`` instead. A weak
    now-word (已, 累计) is left out when a dated expression before it governs
    it: in the same clause, or fronted with a comma (今年以来，全市已累计…).
    Raises LexiconError when ``units.tsv`` or ``cues.tsv`` does not load.

    >>> [(t.period, t.kind) for t in find_times("截至去年底，全省企业超过1500家", "2025-01-16")]
    [('2024', 'end')]
    """
    folder = str(_lexicon_dir())
    lx = _lexicon_at(folder)
    pub = _pub(pub_date)
    out: list[TimeExpr] = []
    for m in _time_re(folder).finditer(text):
        te = _resolve(text, m, pub, lx, year_end_month)
        if te is not None:
            out.append(te)
    return _drop_governed(text, out, lx)


def _ends_date(ch: str) -> bool:
    """True after a date (2024年3月至…): the 至/到 then closes a span, it is not "by"."""
    return ch.isdigit() or (ch != "" and ch in "年月日号底末")


def _resolve(text: str, m: re.Match, pub: Optional[_dt.date], lx: _Lexicon, year_end_month: bool) -> Optional[TimeExpr]:
    g = m.groupdict()
    s, e = m.start(), m.end()
    if g["r1"]:
        return TimeExpr(s, e, None, "range")
    if g["iy"]:
        return TimeExpr(s, e, _ymd(int(g["iy"]), int(g["im"]), int(g["id"])), "day")
    if g["dur"]:
        return TimeExpr(s, e, None, "duration")
    pre = g["pre"] or ""
    target = False
    if pre:
        ps = m.start("pre")
        if pre in lx.cues["by"]:
            prev = text[ps - 1] if ps > 0 else ""
            dated = g["y"] or g["cy"] or g["ry"]
            if not dated or _blocked(text, ps, pre, lx.blocks) or _ends_date(prev):
                pre, s = "", ps + len(pre)  # 增长到2024年, 26日至28日: not "by"
            else:
                target = True
    for name, kind in (("ry", "year"), ("rm", "month"), ("rd", "day"), ("now", "now")):
        word = g[name]
        if word and _blocked(text, m.start(name), word, lx.blocks):
            return None  # 以上年营收: 上年 inside another phrase
    if g["now"]:
        return TimeExpr(s, e, None, "now")
    if g["y"] or g["cy"] or g["ry"]:
        if g["y"]:
            year: Optional[int] = int(g["y"])
        elif g["cy"]:
            year = _cn_year(g["cy"])
        else:
            year = pub.year + int(lx.cues["year"][g["ry"]]) if pub else None
        if target and (pub is None or year is None or year < pub.year):
            target = False
        if g["end"]:
            period = None if year is None else (f"{year:04d}-12" if year_end_month else f"{year:04d}")
            kind = "end"
        elif g["half"]:
            period, kind = (None if year is None else f"{year:04d}"), "half"
        elif g["q"]:
            period, kind = (None if year is None else f"{year:04d}-Q{_quarter(g['q'])}"), "quarter"
        elif g["part"]:
            period, kind = (None if year is None else f"{year:04d}"), "part"
        elif g["m"]:
            month = int(g["m"])
            if g["d"]:
                period = None if year is None else _ymd(year, month, int(g["d"]))
                kind = "day"
            else:
                period = None if year is None else _ym(year, month)
                kind = "end" if g["me"] else "month"
        else:
            period, kind = (None if year is None else f"{year:04d}"), "year"
        if target:
            kind = "target"
        return TimeExpr(s, e, period, kind)
    if g["rm"]:
        if pub is None:
            return TimeExpr(s, e, None, "end" if g["rme"] else "month")
        k = pub.year * 12 + pub.month - 1 + int(lx.cues["month"][g["rm"]])
        return TimeExpr(s, e, _ym(k // 12, k % 12 + 1), "end" if g["rme"] else "month")
    if g["m2"]:
        month = int(g["m2"])
        year = _year_without(pub, month) if pub else None
        if g["d2"]:
            return TimeExpr(s, e, None if year is None else _ymd(year, month, int(g["d2"])), "date")
        return TimeExpr(s, e, None if year is None else _ym(year, month), "end" if g["me2"] else "month")
    if g["q2"]:
        return TimeExpr(s, e, f"{pub.year:04d}-Q{_quarter(g['q2'])}" if pub else None, "quarter")
    if g["h2"]:
        return TimeExpr(s, e, f"{pub.year:04d}" if pub else None, "half")
    if g["p2"]:
        return TimeExpr(s, e, f"{pub.year:04d}" if pub else None, "part")
    if g["rd"]:
        if pub is None:
            return TimeExpr(s, e, None, "day")
        return TimeExpr(s, e, (pub + _dt.timedelta(days=int(lx.cues["day"][g["rd"]]))).isoformat(), "day")
    if g["d3"]:
        if text.startswith(("内", "以来", "起至"), e):
            return None
        return TimeExpr(s, e, _ymd(pub.year, pub.month, int(g["d3"])) if pub else None, "date")
    return None


def _quarter(q: str) -> int:
    for ch in q:
        if ch in "1234":
            return int(ch)
        if ch in "一二三四":
            return _CN_DIGIT[ch]
    return 1


def _drop_governed(text: str, times: list[TimeExpr], lx: _Lexicon) -> list[TimeExpr]:
    weak = {c for c, v in lx.cues["now"].items() if v == "weak"}
    out: list[TimeExpr] = []
    dated: list[TimeExpr] = []
    for te in times:
        if te.kind == "now" and text[te.start : te.end] in weak and _governed(text, te, dated):
            continue
        out.append(te)
        if te.kind in _DATED_KINDS:
            dated.append(te)
    return out


_GOVERN_REACH = 300  # a time governs only its own sentence; bounds the look-back
# a time followed by at most this much before a comma is a fronted adverbial
# (今年以来，/ 据2023年底的统计,) rather than part of a clause with its own verb
_FRONTED_TAIL = 4


def _governed(text: str, te: TimeExpr, dated: list[TimeExpr]) -> bool:
    for d in reversed(dated):
        if te.start - d.end > _GOVERN_REACH:
            return False
        if governs(text, d, te.start):
            return True
    return False


def governs(text: str, te: TimeExpr, pos: int) -> bool:
    """True when the time ``te`` scopes over the text at ``pos`` (after it, same sentence).

    It does when nothing but its own clause lies between (截至上月底全市已建成…), or
    when it is a fronted adverbial: followed by at most a few characters and a
    comma (2024年，…; 今年以来，…; 据2023年底的统计,…). A time inside a clause with
    its own verb (公司去年10月完成融资，员工…) does not reach the next clause.

    >>> t = find_times("今年以来，全市已累计发布需求45项", "2025-04-03")[0]
    >>> governs("今年以来，全市已累计发布需求45项", t, 14)
    True
    """
    if pos < te.end or pos - te.end > _GOVERN_REACH:
        return False
    between = text[te.end : pos]
    if any(c in between for c in "。!?！？\n"):
        return False
    stops = [k for k in (between.find(c) for c in ",;，；") if k >= 0]
    if not stops:
        return True
    tail = between[: min(stops)]
    return len(tail) <= _FRONTED_TAIL and not any(c.isdigit() for c in tail)


# -- status ------------------------------------------------------------------------------

_TITLE_RE = re.compile(r"《[^《》\n]{0,80}》|「[^「」\n]{0,80}」")
_BY_YEAR_RE = re.compile(rf"(?P<cue>到|至)(?P<y>{_YEAR})年")


def detect_status(prefix: str, pub_date: Optional[str] = None) -> str:
    """``target``, ``forecast`` or ``reported`` for a number, from the clause text before it.

    Forecast cues (预计, 有望) win over target cues (力争, 目标, 将, 计划, 争取, 要,
    拟, 到20XX年). Cues inside 《…》 and 「…」 titles do not count (《…行动计划》),
    nor cue characters inside other words: 将近 (approx), 主要, 需要, 虚拟, 超预期.
    即将 counts as a target. ``到2027年`` counts only when ``pub_date`` is
    None or the year is not before the publication year, and never after a
    growth verb (增长到2024年的856亿元). Raises LexiconError when ``cues.tsv`` does not load.

    >>> detect_status("到2027年，全省人工智能核心产业规模力争达到")
    'target'
    """
    lx = _lex()
    text = _TITLE_RE.sub(lambda m: " " * len(m.group()), prefix)
    status = lx.cues["status"]
    found: set[str] = set()
    for cue in status:
        k = text.find(cue)
        while k >= 0:
            if not _blocked(text, k, cue, lx.blocks):
                found.add(status[cue])
                break
            k = text.find(cue, k + 1)
    if "forecast" in found:
        return "forecast"
    if "target" in found:
        return "target"
    pub = _pub(pub_date)
    for m in _BY_YEAR_RE.finditer(text):
        k = m.start()
        prev = text[k - 1] if k > 0 else ""
        if _blocked(text, k, m.group("cue"), lx.blocks) or _ends_date(prev):
            continue
        if pub is None or int(m.group("y")) >= pub.year:
            return "target"
    return "reported"
