"""Rendering query results: table, CSV, TSV, JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import UsageError
from kg.formats import (
    cell_text,
    display_width,
    plain_decimal,
    render,
    to_csv,
    to_json,
    to_table,
    to_tsv,
)
from kg.query import QueryResult, run_named, run_query
from kg.store import open_store

SAMPLE = Path(__file__).parent / "data" / "sample.trig"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def store():
    return open_store(SAMPLE)


def lit(value: str, dt: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + dt))


@pytest.mark.parametrize(
    "lexical, expected",
    [
        ("580000000000", "580000000000"),
        ("5.8E11", "580000000000"),
        ("5.8e+11", "580000000000"),
        ("1.0E-7", "0.0000001"),
        ("0.350", "0.35"),
        ("35.0", "35"),
        ("-0.0", "0"),
        ("-12.50", "-12.5"),
        ("INF", "INF"),
        ("NaN", "NaN"),
        ("not a number", "not a number"),
    ],
)
def test_plain_decimal(lexical, expected):
    assert plain_decimal(lexical) == expected


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_plain_decimal_is_exact_and_has_no_exponent(d):
    out = plain_decimal(str(d))
    assert "e" not in out.lower()
    assert Decimal(out) == d


@pytest.mark.parametrize(
    "term, text",
    [
        (None, ""),
        (ox.NamedNode("https://w3id.org/cnaikg/id/place/%E4%B8%AD%E5%9B%BD"), "https://w3id.org/cnaikg/id/place/%E4%B8%AD%E5%9B%BD"),
        (ox.BlankNode("b0"), "_:b0"),
        (ox.Literal("合肥市", language="zh"), "合肥市"),
        (lit("580000000000", "decimal"), "580000000000"),
        (lit("5.8E11", "double"), "580000000000"),
        (lit("2023-12", "gYearMonth"), "2023-12"),
        (lit("007", "integer"), "7"),
    ],
)
def test_cell_text(term, text):
    assert cell_text(term) == text


def test_csv_header_and_plain_decimals(store):
    out = to_csv(run_named(store, "observations"))
    lines = out.split("\n")
    assert lines[0] == "observation,area,area_name,indicator,value,unit,qualifier,period,status,source,evidence"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["value"] for r in rows] == ["4400", "580000000000", "100", "35"]
    assert rows[2]["period"] == ""  # unbound → empty cell
    assert rows[1]["area"] == "https://w3id.org/cnaikg/id/place/%E4%B8%AD%E5%9B%BD"  # IRIs in full
    # the long evidence is never cut in CSV
    assert rows[1]["evidence"] == "工业和信息化部科技司司长张明介绍，2023年我国人工智能核心产业规模约5800亿元。"
    assert not out.endswith("\n")


def test_computed_doubles_have_no_exponent(store):
    result = run_query(store, "SELECT (5.8e11 AS ?x) (1.5e-3 AS ?y) WHERE {}")
    assert to_csv(result).split("\n")[1] == "580000000000,0.0015"


def assert_aligned(table: str):
    widths = {display_width(line) for line in table.split("\n")}
    assert len(widths) == 1, widths


@pytest.mark.parametrize("name", ["entities", "people", "observations", "relations", "sources", "stats"])
def test_table_lines_up_chinese(store, name):
    table = to_table(run_named(store, name))
    assert_aligned(table)
    assert len(table.split("\n")) == len(run_named(store, name)) + 2


def test_table_cuts_long_cells_only_there(store):
    table = to_table(run_named(store, "observations"), max_width=20)
    assert_aligned(table)
    assert "工业和信息化部科技…" in table  # 18 columns of text + …
    assert all(display_width(cell.strip()) <= 20 for line in table.split("\n") for cell in line.split("  "))
    # IRIs shown short and readable
    assert "id:place/中国" in table


def test_table_mixed_widths_and_control_characters():
    result = QueryResult(
        ["名称", "n"],
        [
            (ox.Literal("合肥"), lit("1", "integer")),
            (ox.Literal("a\tb\nc"), None),
            (ox.Literal("ｆｕｌｌ-width ＡＢＣ"), lit("22", "integer")),
        ],
    )
    table = to_table(result)
    assert_aligned(table)
    assert "a b c" in table


def test_tsv_flattens_cells():
    result = QueryResult(["a", "b"], [(ox.Literal("x\ty"), ox.Literal("1\n2"))])
    assert to_tsv(result) == "a\tb\nx y\t1 2"


def test_json(store):
    data = json.loads(to_json(run_named(store, "observations")))
    assert data[1]["value"] == "580000000000"  # decimals stay exact strings
    assert data[2]["period"] is None  # unbound
    assert data[0]["unit"] == "家"
    counts = json.loads(to_json(run_named(store, "stats")))
    assert {"kind": "articles", "count": 2} in counts  # integers are numbers
    assert "合肥市" in to_json(run_named(store, "entities"))  # ensure_ascii=False


def test_render_dispatch(store):
    result = run_named(store, "stats")
    assert render(result, "csv") == to_csv(result)
    assert render(result, "json") == to_json(result)
    with pytest.raises(UsageError, match="unknown output format 'xml'"):
        render(result, "xml")


@given(st.lists(st.tuples(st.text(max_size=60), st.text(max_size=10)), max_size=6))
def test_table_always_aligned(cells):
    result = QueryResult(["甲", "b"], [(ox.Literal(a), ox.Literal(b)) for a, b in cells])
    table = to_table(result, max_width=12)
    assert_aligned(table)
    assert len(table.split("\n")) == len(cells) + 2
