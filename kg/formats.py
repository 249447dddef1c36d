"""Render a QueryResult as a terminal table, CSV, TSV or JSON.

Every renderer returns a string without a final newline; the CLI prints it.

Cells, in every format: IRIs in full (the table shortens them for reading),
literals as their lexical form, numbers as plain decimals (an xsd:double
5.8E11 is written 580000000000: spreadsheets and diffs should not see
exponents), unbound as an empty cell. JSON keeps types where JSON can do so
exactly: xsd:integer (and its subtypes) → number, xsd:boolean → true/false,
unbound → null; decimals and doubles stay strings of plain decimals, because
a JSON number goes through binary floating point in most readers and would
lose digits.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Mapping, Optional
from urllib.parse import unquote

if TYPE_CHECKING:  # pragma: no cover
    from .query import QueryResult

FORMATS = ("table", "csv", "tsv", "json")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}
_REAL_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

# widest a table cell may grow, in terminal columns
TABLE_CELL_WIDTH = 40


def plain_decimal(lexical: str) -> str:
    """A numeric lexical form without exponent or trailing zeros.

    >>> plain_decimal("5.8E11")
    '580000000000'
    >>> plain_decimal("0.350")
    '0.35'
    """
    try:
        d = Decimal(lexical.strip())
    except InvalidOperation:
        return lexical
    if not d.is_finite():
        return lexical
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def cell_text(value: Any) -> str:
    """The text of one cell as CSV shows it."""
    import pyoxigraph as ox

    if value is None:
        return ""
    if isinstance(value, ox.NamedNode):
        return value.value
    if isinstance(value, ox.BlankNode):
        return f"_:{value.value}"
    if isinstance(value, ox.Literal):
        dt = value.datatype.value if value.datatype is not None else ""
        if dt in _REAL_TYPES or dt in _INTEGER_TYPES:
            return plain_decimal(value.value)
        return value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Decimal, float)):
        return plain_decimal(str(value))
    return str(value)


def json_value(value: Any) -> Any:
    """The JSON value of one cell (see the module docstring)."""
    import pyoxigraph as ox

    if value is None:
        return None
    if isinstance(value, ox.Literal) and value.datatype is not None:
        dt = value.datatype.value
        if dt in _INTEGER_TYPES:
            try:
                return int(value.value)
            except ValueError:
                return value.value
        if dt == _XSD + "boolean":
            return value.value in ("true", "1")
    if isinstance(value, (bool, int)):
        return value
    return cell_text(value)


def to_csv(result: "QueryResult", *, delimiter: str = ",") -> str:
    """CSV with a header row (RFC 4180 quoting, ``\\n`` line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([cell_text(v) for v in row])
    return buf.getvalue().removesuffix("\n")


def to_tsv(result: "QueryResult") -> str:
    """Tab-separated values; tabs and line breaks inside cells become spaces."""

    def clean(s: str) -> str:
        return re.sub(r"[\t\r\n]+", " ", s)

    lines = ["\t".join(clean(c) for c in result.columns)]
    lines += ["\t".join(clean(cell_text(v)) for v in row) for row in result.rows]
    return "\n".join(lines)


def to_json(result: "QueryResult") -> str:
    """A JSON list of objects keyed by column; Chinese stays readable."""
    data = [dict(zip(result.columns, (json_value(v) for v in row))) for row in result.rows]
    return json.dumps(data, ensure_ascii=False, indent=2)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (CJK characters take two)."""
    from wcwidth import wcwidth

    return sum(max(wcwidth(ch), 0) for ch in text)


def _truncate(text: str, width: int) -> str:
    from wcwidth import wcwidth

    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > width - 1:  # leave a column for the ellipsis
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _table_prefixes() -> list[tuple[str, str]]:
    from .vocab import DEFAULT_BASE, PREFIXES

    pairs = [(str(ns), name) for name, ns in PREFIXES.items()]
    pairs.append((DEFAULT_BASE, "id"))
    # longest namespace first, so the most specific prefix wins
    return sorted(pairs, key=lambda p: -len(p[0]))


def _short_iri(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for ns, name in prefixes:
        if iri.startswith(ns):
            return f"{name}:{unquote(iri[len(ns):])}"
    return unquote(iri)


def to_table(
    result: "QueryResult",
    *,
    max_width: int = TABLE_CELL_WIDTH,
    prefixes: Optional[Mapping[str, str]] = None,
) -> str:
    """Columns aligned by display width, for reading in a terminal.

    IRIs are shortened with the usual prefixes and percent-decoded, long
    cells cut to ``max_width`` columns with "…"; every line has the same
    display width. Use CSV or JSON for exact values.
    """
    import pyoxigraph as ox

    pairs = (
        sorted(((ns, name) for name, ns in prefixes.items()), key=lambda p: -len(p[0]))
        if prefixes is not None
        else _table_prefixes()
    )

    def text(v: Any) -> str:
        s = _short_iri(v.value, pairs) if isinstance(v, ox.NamedNode) else cell_text(v)
        return _truncate(_CONTROL.sub(" ", s), max_width)

    header = [_truncate(c, max_width) for c in result.columns]
    body = [[text(v) for v in row] for row in result.rows]
    widths = [display_width(h) for h in header]
    for row in body:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]
    sep = "  "
    lines = [sep.join(_pad(c, w) for c, w in zip(header, widths))]
    lines.append(sep.join("-" * w for w in widths))
    lines += [sep.join(_pad(c, w) for c, w in zip(row, widths)) for row in body]
    return "\n".join(lines)


def render(result: "QueryResult", fmt: str = "table") -> str:
    """Render in one of `FORMATS`; raises UsageError for another name."""
    from .errors import UsageError

    if fmt == "table":
        return to_table(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt == "json":
        return to_json(result)
    raise UsageError(f"unknown output format {fmt!r} (choose one of {', '.join(FORMATS)})")
