"""Pushing to and querying a real SPARQL server: the Oxigraph server that
PyPI's `oxigraph` package ships (the test extra installs it), started on a
free loopback port with a temporary store; and a small stub server for what
a real one will not do on demand (ask for credentials, fail, then recover).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import query as q
from kg import remote
from kg.cli import app
from kg.errors import QueryError, UsageError
from kg.remote import RemoteError
from kg.vocab import DEFAULT_BASE

GRAPHS = f"{DEFAULT_BASE}graph/"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found:
        return found
    reason = "the Oxigraph server is not installed (pip install oxigraph, in the test extra)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Oxigraph:
    """`oxigraph serve` on a loopback port, with its store in ``location``."""

    def __init__(self, binary: str, location: Path) -> None:
        self.binary, self.location = binary, location
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Oxigraph":
        log = open(self.location.with_suffix(".log"), "ab")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.proc.returncode}; see {log.name}")
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer within 20 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def endpoint(self) -> remote.Endpoint:
        return remote.endpoint(self.url)


@pytest.fixture(scope="module")
def oxigraph_binary():
    return _oxigraph_binary()


@pytest.fixture(scope="module")
def server(oxigraph_binary, tmp_path_factory):
    srv = Oxigraph(oxigraph_binary, tmp_path_factory.mktemp("oxigraph") / "db").start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def pushed(server, seeds_build):
    """The seed graph pushed once to the module's server."""
    summary = remote.push(seeds_build[1], server.endpoint())
    return server.endpoint(), summary


def _count(ep: remote.Endpoint, sparql: str) -> int:
    return int(remote.run_query(ep, sparql).rows[0][0].value)


def _remote_graphs(ep: remote.Endpoint) -> set[str]:
    return {r[0].value for r in remote.run_query(ep, "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }").rows}


# ------------------------------------------------------------ real server


def test_push_writes_every_article_graph_and_the_union(pushed, seeds_store):
    ep, summary = pushed
    local = {g.value for g in seeds_store.named_graphs()}
    assert len(local) == 4 and all(g.startswith(GRAPHS) for g in local)
    assert summary.graphs == 4 and summary.deleted == []
    assert _remote_graphs(ep) == local
    # one PUT per graph and one for the default graph, after one listing query
    assert summary.requests == 1 + 4 + 1
    quads = list(seeds_store.quads_for_pattern(None, None, None, None))
    named = sum(1 for x in quads if x.graph_name != ox.DefaultGraph())
    assert summary.triples == named == _count(ep, COUNT_QUADS)
    assert summary.union_triples == len(quads) - named == _count(ep, COUNT_DEFAULT) > 1000


@pytest.mark.parametrize("name", [n for n, _ in q.list_queries()])
def test_every_bundled_query_gives_the_same_rows_remotely(pushed, seeds_store, name):
    ep, _ = pushed
    here = q.run_named(seeds_store, name)
    there = remote.run_named(ep, name)
    assert there.columns == here.columns
    assert len(here.rows) > 0
    assert there.rows == here.rows


def test_construct_and_ask_remotely(pushed, seeds_store):
    ep, _ = pushed
    text = "CONSTRUCT { ?s a schema:City } WHERE { ?s a schema:City }"
    there = remote.run_query(ep, text)
    assert there.columns == ["subject", "predicate", "object"]
    assert set(there.rows) == set(q.run_query(seeds_store, text).rows) and there.rows
    assert remote.run_query(ep, "ASK { ?s a schema:City }").rows[0][0].value == "true"


def test_every_output_format_renders_remote_rows_as_local(pushed, seeds_build):
    ep, _ = pushed
    cli = CliRunner()
    for fmt in ("table", "csv", "json", "tsv"):
        local = cli.invoke(app, ["query", "observations", "-g", str(seeds_build[1]), "-f", fmt])
        there = cli.invoke(app, ["query", "observations", "--endpoint", ep.query_url, "-f", fmt])
        assert local.exit_code == there.exit_code == 0, there.stderr
        assert there.stdout == local.stdout and there.stdout.count("\n") > 5


def test_push_twice_does_not_double_anything(pushed, seeds_build, seeds_store):
    ep, first = pushed
    before = (_count(ep, COUNT_QUADS), _count(ep, COUNT_DEFAULT))
    again = remote.push(seeds_build[1], ep)
    assert (again.graphs, again.triples, again.union_triples) == (first.graphs, first.triples, first.union_triples)
    assert (_count(ep, COUNT_QUADS), _count(ep, COUNT_DEFAULT)) == before
    assert remote.run_named(ep, "stats").rows == q.run_named(seeds_store, "stats").rows


def test_removed_article_loses_its_graph_and_others_graphs_stay(pushed, seeds_build, seeds_store, tmp_path):
    ep, _ = pushed
    # a graph someone else keeps on the same server, outside our base
    foreign = "http://example.org/graph/notes"
    req = urllib.request.Request(
        ep.graph_url(foreign), data=b'<http://example.org/a> <http://example.org/b> "1" .\n',
        method="PUT", headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(req).close()
    graphs = sorted(g.value for g in seeds_store.named_graphs())
    gone = graphs[1]
    article = gone.replace("/graph/", "/article/")
    # the build without one article: its named graph and its share of the union
    fewer = ox.Store()
    fewer.extend(
        qd for qd in seeds_store.quads_for_pattern(None, None, None, None)
        if qd.graph_name != ox.NamedNode(gone) and qd.graph_name != ox.DefaultGraph()
    )
    path = tmp_path / "fewer.nq"
    path.write_bytes(ox.serialize(fewer, format=ox.RdfFormat.N_QUADS))
    try:
        summary = remote.push(path, ep)
        assert summary.deleted == [gone]
        assert _remote_graphs(ep) == (set(graphs) - {gone}) | {foreign}
        ask = f"ASK {{ <{article}> ?p ?o }}"
        assert remote.run_query(ep, ask).rows[0][0].value == "false"
        stats = dict((r[0].value, int(r[1].value)) for r in remote.run_named(ep, "stats").rows)
        assert stats["articles"] == 3
    finally:
        remote.push(seeds_build[1], ep)
    assert _remote_graphs(ep) == set(graphs) | {foreign}
    assert remote.run_query(ep, f"ASK {{ <{article}> ?p ?o }}").rows[0][0].value == "true"


def test_server_stopped_mid_push_is_one_line_and_the_next_push_completes(
    oxigraph_binary, seeds_build, seeds_store, tmp_path, monkeypatch
):
    srv = Oxigraph(oxigraph_binary, tmp_path / "db").start()
    try:
        ep = srv.endpoint()
        seen = []

        def stop_after_first(done: int, total: int, label: str) -> None:
            seen.append(label)
            if done == 1:
                srv.stop()

        with pytest.raises(RemoteError) as info:
            # one request at a time, so that the stop falls between two of them
            remote.push(seeds_build[1], ep, retries=1, backoff=0.05, workers=1, progress=stop_after_first)
        message = str(info.value)
        assert "\n" not in message and "Traceback" not in message
        assert message.startswith(f"{ep.store_url}: cannot reach the server")
        assert "1 of 5 graphs done, push again to finish" in message
        assert len(seen) == 1

        # through the command line: one line on stderr, exit 1 (after its
        # retries, whose waits are skipped here)
        monkeypatch.setattr(remote.time, "sleep", lambda s: None)
        r = CliRunner().invoke(app, ["push", "-g", str(seeds_build[1]), "--endpoint", srv.url])
        assert r.exit_code == 1 and r.stdout == ""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: ") and "cannot reach the server" in lines[0]

        monkeypatch.undo()
        srv.start()
        summary = remote.push(seeds_build[1], ep)
        assert summary.graphs == 4
        assert _count(ep, COUNT_QUADS) == summary.triples
        assert remote.run_named(ep, "people").rows == q.run_named(seeds_store, "people").rows
    finally:
        srv.stop()


def test_push_by_sparql_update_gives_the_same_dataset(oxigraph_binary, seeds_build, seeds_store, tmp_path):
    srv = Oxigraph(oxigraph_binary, tmp_path / "db").start()
    try:
        ep = srv.endpoint()
        assert ep.update_url == f"{srv.url}/update"
        # a batch smaller than the union and than two graphs together:
        # the union goes in several requests, each graph alone
        summary = remote.push(seeds_build[1], ep, method="update", batch=400)
        assert summary.graphs == 4 and summary.union_triples > 1000
        # one listing, the union in ceil(1255 / 400) = 4 requests, each graph one or more
        assert summary.requests >= 1 + 4 + 4
        assert _count(ep, COUNT_QUADS) == summary.triples
        assert _count(ep, COUNT_DEFAULT) == summary.union_triples
        for name, _ in q.list_queries():
            assert remote.run_named(ep, name).rows == q.run_named(seeds_store, name).rows, name
        # again, with everything in one request: nothing doubles
        again = remote.push(seeds_build[1], ep, method="update")
        assert again.requests == 1 + 2
        assert (_count(ep, COUNT_QUADS), _count(ep, COUNT_DEFAULT)) == (summary.triples, summary.union_triples)
        # an article gone: its graph dropped
        gone = sorted(g.value for g in seeds_store.named_graphs())[0]
        fewer = ox.Store()
        fewer.extend(x for x in seeds_store.quads_for_pattern(None, None, None, None) if x.graph_name != ox.NamedNode(gone))
        assert remote.push(fewer, ep, method="update", union=False).deleted == [gone]
        assert gone not in _remote_graphs(ep) and len(_remote_graphs(ep)) == 3
    finally:
        srv.stop()


def test_push_command_with_sparql_update(server, seeds_build):
    r = CliRunner().invoke(app, ["push", "-g", str(seeds_build[1]), "--endpoint", server.url, "--method", "update"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("pushed 4 graph(s), ") and f"to {server.url}/update" in r.stdout


def test_build_with_endpoint_pushes(server, tmp_path):
    seed = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*"))[0]
    r = CliRunner().invoke(app, ["build", str(seed), "-o", str(tmp_path / "out"), "--no-html",
                                 "--endpoint", server.url, "--base", "https://example.org/one/"])
    assert r.exit_code == 0, r.stderr
    assert "pushed 1 graph(s)" in r.stdout
    graphs = _remote_graphs(server.endpoint())
    assert any(g.startswith("https://example.org/one/graph/") for g in graphs)


# ------------------------------------------------------------ stub server


class Stub:
    """A Graph Store and query endpoint that records requests and answers
    with the statuses it is told to, then 2xx."""

    def __init__(self, graphs=(), fail=(), refuse="", delay=0.0, digest=False) -> None:
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.digest = digest
        self.delay = delay
        self.fail = list(fail)
        self.refuse = refuse
        self.graphs = list(graphs)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                stub.requests.append((self.command, self.path, dict(self.headers), body))
                time.sleep(stub.delay)
                if stub.digest and not self.headers.get("Authorization", "").startswith("Digest "):
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Digest realm="kg", nonce="n0nce", qop="auth", algorithm=MD5')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if stub.fail or (stub.refuse and stub.refuse in self.path):
                    code = stub.fail.pop(0) if stub.fail else 400
                    self.send_response(code)
                    msg = b"go away\nnow"
                    self.send_header("Content-Length", str(len(msg)))
                    self.end_headers()
                    self.wfile.write(msg)
                    return
                if self.path.startswith("/query"):
                    data = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [
                        {"g": {"type": "uri", "value": g}} for g in stub.graphs]}}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(204)
                self.end_headers()

            do_GET = do_PUT = do_POST = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> "Stub":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _small_store(n_graphs: int = 2, per_graph: int = 5) -> ox.Store:
    st = ox.Store()
    for i in range(n_graphs):
        g = ox.NamedNode(f"{GRAPHS}doc{i}")
        for j in range(per_graph):
            st.add(ox.Quad(ox.NamedNode(f"{DEFAULT_BASE}s{i}"), ox.NamedNode(f"{DEFAULT_BASE}p{j}"), ox.Literal(str(j)), g))
    return st


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(remote.AUTH_ENV, "alice:s3cret")
    with Stub() as stub:
        remote.push(_small_store(), remote.endpoint(stub.url))
    expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert stub.requests and all(h.get("Authorization") == expected for _, _, h, _ in stub.requests)
    monkeypatch.setenv(remote.AUTH_ENV, "Bearer tok-123")
    with Stub() as stub:
        remote.run_query(remote.endpoint(stub.url), "SELECT ?g WHERE { GRAPH ?g {} }")
    assert stub.requests[0][2]["Authorization"] == "Bearer tok-123"
    with pytest.raises(UsageError, match="not in the URL"):
        remote.endpoint("http://alice:s3cret@127.0.0.1:7878")


def test_a_server_asking_for_digest_gets_it(monkeypatch):
    monkeypatch.setenv(remote.AUTH_ENV, "dba:s3cret")
    with Stub(digest=True) as stub:
        summary = remote.push(_small_store(), remote.endpoint(stub.url), workers=1)
    assert summary.graphs == 2
    answered = [h["Authorization"] for _, _, h, _ in stub.requests if h["Authorization"].startswith("Digest ")]
    assert len(answered) == 4 and all('username="dba"' in a and 'realm="kg"' in a for a in answered)
    assert "s3cret" not in "".join(answered)


def test_a_refusal_is_one_line_with_a_hint_and_not_retried():
    with Stub(fail=[401]) as stub:
        with pytest.raises(RemoteError) as info:
            remote.push(_small_store(), remote.endpoint(stub.url), backoff=0.01)
    message = str(info.value)
    assert "\n" not in message
    assert "refused POST (401 Unauthorized): go away now" in message and remote.AUTH_ENV in message
    assert len(stub.requests) == 1


def test_a_busy_server_is_retried_with_back_off():
    with Stub(fail=[503, 503]) as stub:
        started = time.perf_counter()
        summary = remote.push(_small_store(), remote.endpoint(stub.url), backoff=0.1)
        waited = time.perf_counter() - started
    assert summary.graphs == 2
    assert waited >= 0.1 + 0.2
    assert [m for m, *_ in stub.requests] == ["POST", "POST", "POST", "PUT", "PUT", "PUT"]
    assert "default" in {p.split("?")[1] for m, p, *_ in stub.requests if m == "PUT"}


def test_large_graphs_go_in_batches_and_stale_graphs_are_deleted():
    stale, foreign = f"{GRAPHS}old", "http://example.org/g"
    with Stub(graphs=[stale, foreign, f"{GRAPHS}doc0"]) as stub:
        summary = remote.push(_small_store(2, 25), remote.endpoint(stub.url), batch=10, workers=1)
    calls = [(m, p.split("?")[1]) for m, p, _, _ in stub.requests[1:]]
    g0 = "graph=" + urllib.parse.quote(f"{GRAPHS}doc0", safe="")
    # the union (50 distinct triples) first, then each graph, in batches of 10
    assert calls[:8] == [("PUT", "default")] + [("POST", "default")] * 4 + [("PUT", g0), ("POST", g0), ("POST", g0)]
    assert calls[-1] == ("DELETE", "graph=" + urllib.parse.quote(stale, safe=""))
    assert summary.deleted == [stale] and summary.triples == 50
    sent = b"".join(b for m, p, _, b in stub.requests if g0 in p)
    assert sent.count(b"\n") == 25


def test_a_refusal_among_parallel_requests_stops_the_push():
    store = _small_store(12)
    refused = urllib.parse.quote(f"{GRAPHS}doc3", safe="")
    seen = []
    with Stub(refuse=refused, delay=0.02) as stub:
        with pytest.raises(RemoteError) as info:
            remote.push(store, remote.endpoint(stub.url), workers=3, progress=lambda d, n, g: seen.append(d))
    message = str(info.value)
    assert "refused PUT (400 Bad Request): go away now" in message
    assert f"; {len(seen)} of 13 graphs done, push again to finish" in message
    assert seen == list(range(1, len(seen) + 1)) and len(seen) < 13
    # the graphs not yet started when the refusal came were never sent
    assert len(stub.requests) < 1 + 13


def test_sparql_update_packs_graphs_into_requests():
    stale = f"{GRAPHS}old"
    with Stub(graphs=[stale]) as stub:
        summary = remote.push(_small_store(5, 4), remote.endpoint(stub.url), method="update", batch=10, workers=1)
    updates = [b.decode() for m, p, _, b in stub.requests if p == "/update"]
    assert all(h["Content-Type"].startswith("application/sparql-update") for m, p, h, _ in stub.requests if p == "/update")
    # the union (20 triples) in two requests, the first dropping the old;
    # 5 graphs of 4 triples, two per request; one DROP for the stale graph
    assert len(updates) == 2 + 3 + 1
    assert updates[0].startswith("DROP SILENT DEFAULT ;\nINSERT DATA {\n")
    assert updates[1].startswith("INSERT DATA {\n")
    assert updates[2].count("DROP SILENT GRAPH") == 2 and updates[2].count("INSERT DATA { GRAPH") == 2
    assert updates[-1] == f"DROP SILENT GRAPH <{stale}>"
    assert summary.graphs == 5 and summary.triples == 20 and summary.deleted == [stale]
    # every request parses as SPARQL Update
    for text in updates:
        ox.Store().update(text)


def test_blank_nodes_keep_a_graph_in_one_request():
    st = ox.Store()
    g = ox.NamedNode(f"{GRAPHS}b")
    for j in range(30):
        st.add(ox.Quad(ox.BlankNode("x"), ox.NamedNode(f"{DEFAULT_BASE}p{j}"), ox.Literal(str(j)), g))
    with Stub() as stub:
        remote.push(st, remote.endpoint(stub.url), batch=10, union=False)
    assert [m for m, *_ in stub.requests] == ["POST", "PUT"]


def test_endpoint_layouts():
    ep = remote.endpoint("http://h:7878/")
    assert (ep.query_url, ep.store_url) == ("http://h:7878/query", "http://h:7878/store")
    assert remote.endpoint("http://h:7878/query").store_url == "http://h:7878/store"
    fuseki = remote.endpoint("http://h:3030/ds/sparql", store_url="http://h:3030/ds/data")
    assert fuseki.graph_url("https://x/g") == "http://h:3030/ds/data?graph=https%3A%2F%2Fx%2Fg"
    assert fuseki.graph_url(None) == "http://h:3030/ds/data?default"
    virtuoso = remote.endpoint(query_url="http://h:8890/sparql", store_url="http://h:8890/sparql-graph-crud-auth?graph-uri={graph}")
    assert virtuoso.graph_url("https://x/g") == "http://h:8890/sparql-graph-crud-auth?graph-uri=https%3A%2F%2Fx%2Fg"
    with pytest.raises(UsageError, match="--no-union"):
        virtuoso.graph_url(None)
    with pytest.raises(UsageError, match="--store-url"):
        remote.endpoint("http://h:3030/ds/sparql").graph_url("https://x/g")
    with pytest.raises(UsageError):
        remote.endpoint("ftp://h/")


def test_a_bad_query_fails_here_as_it_does_locally():
    # no server needed: the query is checked before it is sent
    ep = remote.endpoint("http://127.0.0.1:9")
    for text, words in [("SELECT ?x WHERE {", "line 1"), ("DELETE WHERE { ?s ?p ?o }", "update"),
                        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE")]:
        with pytest.raises(QueryError, match=words):
            remote.run_query(ep, text)


def test_a_server_down_during_a_query_is_one_line(monkeypatch):
    monkeypatch.setattr(remote.time, "sleep", lambda s: None)
    port = _free_port()
    r = CliRunner().invoke(app, ["query", "people", "--endpoint", f"http://127.0.0.1:{port}"])
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"kg: http://127.0.0.1:{port}/query: cannot reach the server (")
    assert lines[0].endswith("after 3 attempts")
