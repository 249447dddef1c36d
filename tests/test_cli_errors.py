"""No traceback ever reaches a user: the installed `kg` script on bad paths,
queries and options answers with one line on stderr and a documented exit
code (0 done, 1 done with failures, 2 usage or query error)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


def kg_command() -> list[str]:
    script = Path(sys.executable).with_name("kg")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kg.cli import main; main()"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(kg_command() + [str(a) for a in args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def bad(tmp_path_factory, seeds_build):
    """Broken things to point `kg` at, and a good build."""
    d = tmp_path_factory.mktemp("bad")
    (d / "broken.ttl").write_text("<a> <b", encoding="utf-8")
    (d / "picture.pdf").write_bytes(b"%PDF-1.4\n")
    (d / "binary.rq").write_bytes(b"\xff\xfe\x00SELECT")
    (d / "a-file").write_text("not a folder", encoding="utf-8")
    damaged = d / "damaged"
    (damaged / "store").mkdir(parents=True)
    (damaged / "store" / "CURRENT").write_text("garbage\n", encoding="utf-8")
    return d, seeds_build[1]


# (arguments, exit code, words of the message); {bad} and {good} are filled in
CASES = [
    (["query", "stats", "-g", "{bad}/nowhere"], 2, "no graph at"),
    (["query", "SELECT ?x WHERE {", "-g", "{good}"], 2, "line 1"),
    (["query", "DROP ALL", "-g", "{good}"], 2, "DROP is a SPARQL update"),
    (["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "-g", "{good}"], 2, "INSERT is a SPARQL update"),
    (["query", "PREFIX x: <urn:x#> DELETE WHERE { ?s ?p ?o }", "-g", "{good}"], 2, "DELETE is a SPARQL update"),
    (["query", "LOAD <http://example.org/data.ttl>", "-g", "{good}"], 2, "LOAD is a SPARQL update"),
    (["query", "CLEAR DEFAULT", "-g", "{good}"], 2, "CLEAR is a SPARQL update"),
    (["query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "-g", "{good}"], 2,
     "SERVICE (a call to a remote endpoint) is refused"),
    (["query", "no-such-query", "-g", "{good}"], 2, "unknown query"),
    (["query", "{bad}/binary.rq", "-g", "{good}"], 2, "cannot read the query"),
    (["query", "{bad}/missing.rq", "-g", "{good}"], 2, "no such query file"),
    (["query", "stats", "-g", "{bad}/broken.ttl"], 1, "not valid Turtle"),
    (["query", "stats", "-g", "{bad}/picture.pdf"], 2, "not an RDF file"),
    (["query", "stats", "-g", "{bad}/damaged"], 2, "cannot open the store"),
    (["query", "stats", "-g", "{good}", "--timeout", "0"], 2, "positive number of seconds"),
    (["stats", "-g", "{bad}/nowhere"], 2, "no graph at"),
    (["validate", "-g", "{bad}/broken.ttl"], 1, "not valid turtle"),
    (["export", "-f", "turtle", "-g", "{bad}/broken.ttl"], 1, "not valid Turtle"),
    (["viz", "-g", "{bad}/nowhere", "-o", "{bad}/x.html"], 2, "no graph at"),
    (["eval", "{bad}/missing.json"], 2, "cannot read gold file"),
    (["build", "{bad}/nowhere", "-o", "{bad}/out"], 2, "no such file or folder"),
    (["build", str(SEED), "-o", "{bad}/a-file"], 1, "a-file"),
]


@pytest.mark.parametrize("args,code,words", CASES, ids=[" ".join(c[0][:2]) + f" {i}" for i, c in enumerate(CASES)])
def test_one_line_and_an_exit_code(bad, args, code, words):
    d, good = bad
    r = run(*(a.replace("{bad}", str(d)).replace("{good}", str(good)) for a in args))
    assert "Traceback" not in r.stderr + r.stdout
    assert r.returncode == code, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: "), r.stderr
    assert words in lines[0]


@pytest.mark.parametrize("args", [
    ["no-such-command"],
    ["build", "--min-confidence", "high"],
    ["query"],
    ["query", "stats", "--format", "xml"],
    ["build", "--max-bytes", "0"],
    ["query", "stats", "--timeout", "soon"],
])
def test_usage_errors_exit_2_without_traceback(args):
    r = run(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stderr.strip()


def test_timeout_stops_a_query_that_computes_before_its_first_row(seeds_build):
    # a COUNT over a cross join yields nothing until it is done: the worker
    # cannot stop at a row, so the process must not wait for it on exit
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = run("query", q, "-g", seeds_build[1], "--timeout", "1")
    assert r.returncode == 2
    assert r.stderr.strip() == "kg: query: stopped after 1 s (--timeout); narrow the query or allow it more time"


def test_allow_service_lets_the_call_through(seeds_build):
    # the call is made (and fails: nothing listens there), instead of refused
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = run("query", q, "-g", seeds_build[1], "--allow-service", "--timeout", "30")
    assert "refused" not in r.stderr and "Traceback" not in r.stderr
    assert r.returncode == 2 and r.stderr.startswith("kg: query: ")


def test_strict_build_exits_1_on_a_skip(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / SEED.name).write_bytes(SEED.read_bytes())
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    args = ["build", src, "-o", tmp_path / "out", "--no-html"]
    assert run(*args).returncode == 0
    r = run(*args, "--strict")
    assert r.returncode == 1 and "skipped" in r.stdout and "photo.jpg" in r.stdout


# -- the last net: main() -----------------------------------------------------

def _main(monkeypatch, capsys, argv: list[str]) -> tuple[int, str]:
    from kg import cli

    monkeypatch.setattr(sys, "argv", ["kg"] + argv)
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    return exit_.value.code, capsys.readouterr().err


def test_an_unexpected_error_is_one_line_asking_for_a_report(monkeypatch, capsys, seeds_build):
    from kg import query

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("KG_DEBUG", raising=False)
    monkeypatch.setattr(query, "run_query", boom)
    code, err = _main(monkeypatch, capsys, ["query", "people", "-g", str(seeds_build[1])])
    assert code == 1
    assert err == ("kg: internal error (ZeroDivisionError: division by zero); "
                   "please report it, with the traceback KG_DEBUG=1 shows\n")


def test_kg_debug_shows_the_traceback(monkeypatch, capsys, seeds_build):
    from kg import cli, query

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setenv("KG_DEBUG", "1")
    monkeypatch.setattr(query, "run_query", boom)
    monkeypatch.setattr(sys, "argv", ["kg", "query", "people", "-g", str(seeds_build[1])])
    with pytest.raises(ZeroDivisionError):
        cli.main()


def test_an_os_error_names_the_path(monkeypatch, capsys, tmp_path):
    from kg import build

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    monkeypatch.delenv("KG_DEBUG", raising=False)
    monkeypatch.setattr(build, "build", denied)
    code, err = _main(monkeypatch, capsys, ["build", str(SEED), "-o", str(tmp_path / "out")])
    assert code == 1
    assert err == f"kg: {tmp_path / 'out'}: Permission denied\n"
