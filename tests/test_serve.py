"""`kg serve`: the SPARQL 1.1 Protocol over a built graph, as SPARQLWrapper,
YASGUI and curl use it; updates and SERVICE refused."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import query as q
from kg import remote
from kg.errors import UsageError
from kg.serve import choose_media, is_loopback, make_server, url_of

PEOPLE = q.resolve_query("people")


@pytest.fixture(scope="module")
def endpoint(seeds_build):
    """kg serve over the session's seed build, on a free loopback port."""
    server = make_server(seeds_build[1], "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _sparqlwrapper():
    try:
        import SPARQLWrapper
    except ImportError:
        reason = "SPARQLWrapper is not installed (pip install SPARQLWrapper, in the test extra)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return SPARQLWrapper


def _get(url: str, headers: dict | None = None, data: bytes | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def _query_url(endpoint: str, **params: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode(params)}"


def test_sparqlwrapper_select_gives_the_local_rows(endpoint, seeds_store):
    sw = _sparqlwrapper()
    client = sw.SPARQLWrapper(endpoint)
    client.setQuery(PEOPLE)
    client.setReturnFormat(sw.JSON)
    got = client.query().convert()
    local = q.run_query(seeds_store, PEOPLE)
    assert got["head"]["vars"] == local.columns
    rows = [tuple(b.get(v, {}).get("value") for v in local.columns) for b in got["results"]["bindings"]]
    assert rows == [tuple(c.value if c is not None else None for c in row) for row in local.rows]
    assert len(rows) > 10


def test_sparqlwrapper_post_ask_and_construct(endpoint, seeds_store):
    sw = _sparqlwrapper()
    client = sw.SPARQLWrapper(endpoint)
    client.setMethod(sw.POST)
    client.setQuery("ASK { ?s a schema:City }")
    client.setReturnFormat(sw.JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery("PREFIX schema: <https://schema.org/> CONSTRUCT { ?s a schema:City } WHERE { ?s a schema:City }")
    client.setReturnFormat(sw.TURTLE)
    graph = ox.parse(client.query().convert(), format=ox.RdfFormat.TURTLE)
    cities = {t.subject for t in graph}
    assert cities == {r[0] for r in q.run_query(seeds_store, "SELECT ?s WHERE { ?s a schema:City }").rows}
    assert len(cities) >= 3


def test_sparqlwrapper_sees_an_update_refused(endpoint, seeds_store):
    sw = _sparqlwrapper()
    client = sw.SPARQLWrapper(endpoint)
    client.setMethod(sw.POST)
    client.setQuery("INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }")
    assert client.isSparqlUpdateRequest()
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 403
    assert "read-only" in info.value.read().decode()
    # an update sent as a query (query=DROP ALL) is refused too
    data = urllib.parse.urlencode({"query": "DROP ALL"}).encode()
    status, _, body = _get(endpoint, {"Content-Type": "application/x-www-form-urlencoded"}, data)
    assert status == 403 and b"DROP is a SPARQL update; this endpoint is read-only" in body
    # nothing changed
    status, _, body = _get(_query_url(endpoint, query="ASK { <https://example.org/a> ?p ?o }"))
    assert status == 200 and json.loads(body)["boolean"] is False


@pytest.mark.parametrize("accept, fmt, media", [
    ("application/sparql-results+json", None, "application/sparql-results+json"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("text/html, */*;q=0.1", None, "application/sparql-results+json"),
    ("", "csv", "text/csv"),
    ("application/sparql-results+json", "tsv", "text/tab-separated-values"),
])
def test_select_results_in_every_format(endpoint, seeds_store, accept, fmt, media):
    params = {"query": "SELECT ?s WHERE { ?s a schema:City } ORDER BY ?s"}
    if fmt:
        params["format"] = fmt
    status, headers, body = _get(_query_url(endpoint, **params), {"Accept": accept} if accept else {})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    expected = [r[0].value for r in q.run_query(seeds_store, params["query"]).rows]
    if media == "text/csv":
        assert [r[0] for r in csv.reader(io.StringIO(body.decode()))] == ["s"] + expected
    else:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(media))
        assert [s["s"].value for s in parsed] == expected


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_construct_as_turtle_and_ntriples(endpoint, seeds_store, how):
    text = "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a schema:City ; skos:prefLabel ?l }"
    local = set(q.run_query(seeds_store, text).rows)
    for accept, rdf in [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)]:
        if how == "get":
            status, headers, body = _get(_query_url(endpoint, query=text), {"Accept": accept})
        elif how == "form":
            data = urllib.parse.urlencode({"query": text}).encode()
            status, headers, body = _get(endpoint, {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}, data)
        else:
            status, headers, body = _get(endpoint, {"Accept": accept, "Content-Type": "application/sparql-query"}, text.encode())
        assert status == 200 and headers["Content-Type"].startswith(accept)
        got = {(t.subject, t.predicate, t.object) for t in ox.parse(body, format=rdf)}
        assert got == local and len(got) >= 6


def test_kg_query_against_kg_serve_gives_the_local_rows(endpoint, seeds_store):
    ep = remote.endpoint(endpoint)
    for name, _ in q.list_queries():
        assert remote.run_named(ep, name).rows == q.run_named(seeds_store, name).rows, name


@pytest.mark.parametrize("params, status, words", [
    ({"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}, 400, "SERVICE"),
    ({"query": "SELEC * WHERE { ?s ?p ?o }"}, 400, "line 1, column"),
    ({"update": "CLEAR ALL"}, 403, "read-only"),
    ({"query": "SELECT * WHERE { ?s ?p ?o }", "format": "rdfxml"}, 406, "format=rdfxml"),
])
def test_refusals_say_why(endpoint, params, status, words):
    data = urllib.parse.urlencode(params).encode()
    got, headers, body = _get(endpoint, {"Content-Type": "application/x-www-form-urlencoded"}, data)
    assert got == status
    assert words in body.decode() and body.decode().count("\n") == 1
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_protocol_edges(endpoint):
    root = endpoint.rsplit("/", 1)[0]
    assert _get(f"{root}/nothing?query=ASK%7B%7D")[0] == 404
    status, _, body = _get(endpoint, {"Content-Type": "text/plain"}, b"ASK {}")
    assert status == 415 and b"application/sparql-query" in body
    status, _, body = _get(endpoint, {"Content-Type": "application/sparql-update"}, b"CLEAR ALL")
    assert status == 403 and b"read-only" in body
    # YASGUI's preflight before a POST from another origin
    status, headers, _ = _get(endpoint, {"Origin": "https://yasgui.org",
                                         "Access-Control-Request-Method": "POST"}, method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, _, body = _get(f"{root}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_dataset_from_the_protocol_parameters(endpoint, seeds_store):
    graph = sorted(g.value for g in seeds_store.named_graphs())[0]
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = f"{endpoint}?{urllib.parse.urlencode({'query': text, 'default-graph-uri': graph})}"
    _, _, body = _get(url)
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    local = len(list(seeds_store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
    assert n == local > 0
    _, _, body = _get(_query_url(endpoint, query=text))
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > n


def test_content_negotiation():
    assert choose_media("results", None, "text/csv;q=0.5, application/sparql-results+xml") == "application/sparql-results+xml"
    assert choose_media("results", None, "application/json") == "application/sparql-results+json"
    assert choose_media("graph", None, "application/sparql-results+json, */*") == "text/turtle"
    assert choose_media("graph", "nt", "") == "application/n-triples"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")


def test_missing_graph_and_taken_port(tmp_path, seeds_build):
    with pytest.raises(UsageError, match="run `kg build` first"):
        make_server(tmp_path / "none")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(UsageError, match="cannot listen on 127.0.0.1"):
            make_server(seeds_build[1], "127.0.0.1", s.getsockname()[1])


def test_kg_serve_command(seeds_build):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kg = Path(sys.executable).parent / "kg"
    cmd = [str(kg)] if kg.exists() else [sys.executable, "-m", "kg.cli"]
    proc = subprocess.Popen(cmd + ["serve", "-g", str(seeds_build[1]), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in line and "read-only" in line
        deadline = time.monotonic() + 20
        while True:
            status, _, body = _get(_query_url(f"http://127.0.0.1:{port}/query", query="ASK { ?s a schema:Person }"))
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert json.loads(body)["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(10)
    assert "GET /query?query=" in proc.stderr.read()


def test_serve_and_push_have_help():
    from typer.testing import CliRunner

    from kg.cli import app

    for command, words in [("serve", "read-only SPARQL endpoint"), ("push", "KG_ENDPOINT_AUTH")]:
        r = CliRunner().invoke(app, [command, "--help"])
        assert r.exit_code == 0 and words in " ".join(r.stdout.split())
