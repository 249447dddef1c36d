"""The command line through typer's CliRunner: help, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("build", "query", "validate", "queries", "viz", "export", "eval")


@pytest.fixture(scope="module")
def cli():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def test_top_level_help_lists_every_command(cli):
    r = cli("--help")
    assert r.exit_code == 0
    for name in COMMANDS:
        assert name in r.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(cli, command):
    r = cli(command, "--help")
    assert r.exit_code == 0
    assert "Usage" in r.stdout
    # the docstring's first line is the command's help text
    info = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == command)
    doc = info.callback.__doc__ or ""
    assert doc.strip(), f"{command} has no docstring"
    assert doc.strip().split()[0] in r.stdout


@pytest.mark.parametrize(
    "sparql",
    ["SELECT ?x WHERE {", "SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p }"],
)
def test_malformed_query_is_one_line_exit_2(cli, seeds_build, sparql):
    _, out = seeds_build
    r = cli("query", sparql, "-g", out)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: ")
    assert "Traceback" not in r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_query_on_a_missing_graph_is_an_error(cli, tmp_path):
    r = cli("query", "people", "-g", tmp_path / "nothing")
    assert r.exit_code != 0
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_people_as_csv(cli, seeds_build):
    _, out = seeds_build
    r = cli("query", "people", "-g", out, "--format", "csv")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "person,name,title,organization,org_name,source"
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) >= 16
    assert all(row["name"] and row["title"] and row["source"] for row in rows)


def test_observations_as_json(cli, seeds_build):
    _, out = seeds_build
    r = cli("query", "observations", "-g", out, "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert isinstance(rows, list) and len(rows) > 20
    assert {"area_name", "value", "unit", "qualifier", "period", "status", "evidence"} <= set(rows[0])


def test_sparql_text_query(cli, seeds_build):
    _, out = seeds_build
    q = "PREFIX schema: <https://schema.org/> SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
    r = cli("query", q, "-g", out, "--format", "csv")
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["n", "4"]


def test_queries_lists_the_bundled_queries(cli):
    r = cli("queries")
    assert r.exit_code == 0
    listed = {line.split()[0] for line in r.stdout.splitlines() if line.strip()}
    assert {"people", "observations", "relations", "entities"} <= listed
    for line in r.stdout.splitlines():
        assert len(line.split(None, 1)) == 2, f"no description: {line!r}"


def test_build_command(cli, tmp_path):
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    r = cli("build", seed, bad, "--out", out, "--no-html")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "read 1 article(s), skipped 1" in r.stdout
    assert "empty.txt" in r.stdout
    assert (out / "graph.ttl").is_file()
    r = cli("build", seed, bad, "--out", out, "--no-html", "--strict")
    assert r.exit_code == 1


def test_eval_below_min_f1_exits_1(cli):
    gold = ROOT / "tests" / "data" / "gold" / "seed-000.json"
    r = cli("eval", gold, "--docs", ROOT / "seeds", "--min-f1", "1.01")
    assert r.exit_code == 1
    assert "below --min-f1" in r.stderr
    assert "precision" in r.stdout


def test_eval_json(cli):
    gold = ROOT / "tests" / "data" / "gold" / "seed-000.json"
    r = cli("eval", gold, "--docs", ROOT / "seeds", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["articles"] == 1
    assert set(data["categories"]) >= {"people", "organizations", "places", "posts", "observations", "relations"}


def test_eval_without_article_is_usage_error(cli, tmp_path):
    gold = tmp_path / "zz.json"
    gold.write_text(json.dumps({"id": "zz-no-such-article"}), encoding="utf-8")
    r = cli("eval", gold, "--docs", ROOT / "seeds")
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1
