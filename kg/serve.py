"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a built graph.

For SPARQLWrapper, YASGUI, curl and notebooks on one machine or a trusted
network; a team that shares a graph should push it to a real server
(`kg.remote`). Queries go through `kg.query.execute`, so the endpoint sees
the graph exactly as `kg query` does (the union of the article graphs as the
default graph, the usual prefixes predeclared) and refuses what it refuses:
updates (403) and SERVICE calls (400).

Protocol: GET ``/query?query=…``, POST a form (``query=…``) or the query
itself (``application/sparql-query``), also at ``/sparql`` and ``/``;
``default-graph-uri`` and ``named-graph-uri`` choose the dataset. Answers in
SPARQL JSON, XML, CSV or TSV (SELECT, ASK), Turtle or N-Triples (CONSTRUCT,
DESCRIBE), by the Accept header or ``format=`` (json, xml, csv, tsv,
turtle, ntriples). Every answer allows any origin (CORS), so a YASGUI page
served elsewhere can query it.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from .errors import QueryError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

PATHS = ("/query", "/sparql", "/")
# the largest request body read: a query, not a data upload
MAX_BODY = 1 << 20

# format= names → media types; results (SELECT, ASK) and graphs (CONSTRUCT, DESCRIBE)
_RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
}
# media types a client may ask for, and what they mean here
_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}

Log = Callable[[str], None]


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Answer:
    status: int
    media: str
    body: bytes


def _wanted(accept: str) -> list[str]:
    """Media types of an Accept header, most wanted first (q=0 dropped)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, _ALIASES.get(media, media)))
    return [m for _, _, m in sorted(ranked)]


def choose_media(kind: str, fmt: Optional[str], accept: str) -> str:
    """The media type of an answer of ``kind`` ("results" or "graph"): the
    ``format=`` parameter first, then the Accept header, then the default
    (SPARQL JSON, Turtle). Raises _Refused (406) for an unknown ``format``."""
    table = _RESULT_TYPES if kind == "results" else _GRAPH_TYPES
    if fmt:
        name = fmt.strip().lower()
        media = table.get(name) or _ALIASES.get(name, name)
        if media in table.values():
            return media
        raise _Refused(406, f"format={fmt} is not available for this query (choose {', '.join(table)})")
    for media in _wanted(accept):
        if media in table.values():
            return media
        if media in ("*/*", "application/*", "text/*"):
            break
    return next(iter(table.values()))


def answer(
    store: "pyoxigraph.Store",
    params: dict[str, list[str]],
    accept: str = "",
) -> Answer:
    """Run the protocol request ``params`` (parsed query string or form)
    against ``store``: the status, media type and body to send."""
    import pyoxigraph as ox

    from . import query as q

    try:
        if "update" in params:
            raise _Refused(403, "this endpoint is read-only: SPARQL updates are refused")
        texts = params.get("query", [])
        if len(texts) != 1:
            raise _Refused(400, "give exactly one query (query=…)")
        sparql = texts[0]
        default = [ox.NamedNode(u) for u in params.get("default-graph-uri", [])] or None
        named = [ox.NamedNode(u) for u in params.get("named-graph-uri", [])] or None
        fmt = (params.get("format") or [None])[0]
        result = q.execute(store, sparql, default_graph=default, named_graphs=named)
        with q.query_errors(sparql):
            if isinstance(result, ox.QueryTriples):
                media = choose_media("graph", fmt, accept)
                rdf = ox.RdfFormat.from_media_type(media)
                body = result.serialize(format=rdf)
            else:
                media = choose_media("results", fmt, accept)
                body = result.serialize(format=ox.QueryResultsFormat.from_media_type(media))
    except _Refused as e:
        return Answer(e.status, "text/plain; charset=utf-8", (str(e) + "\n").encode("utf-8"))
    except QueryError as e:
        status = 403 if "is a SPARQL update" in str(e) else 400
        # the library's messages speak to `kg query` users; say it for the endpoint
        message = str(e).replace("`kg query` only reads the graph", "this endpoint is read-only")
        message = message.split("; pass allow_service", 1)[0].replace("is refused", "is refused here")
        return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))
    except ValueError as e:  # an IRI in default-graph-uri that is not one
        return Answer(400, "text/plain; charset=utf-8", (f"{e}\n").encode("utf-8"))
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Answer(200, media + charset, body or b"")


def _handler(store: "pyoxigraph.Store", log: Optional[Log]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            # the library never prints; the CLI decides where a log goes
            if log is not None:
                log(f"{self.address_string()} {format % args}")

        def _send(self, a: Answer) -> None:
            self.send_response(a.status)
            self.send_header("Content-Type", a.media)
            self.send_header("Content-Length", str(len(a.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Vary", "Accept")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(a.body)

        def _route(self) -> Optional[str]:
            path, _, qs = self.path.partition("?")
            if path not in PATHS:
                self._send(Answer(404, "text/plain; charset=utf-8", f"no endpoint at {path}; use /query\n".encode()))
                return None
            return qs

        def do_OPTIONS(self) -> None:  # CORS preflight (YASGUI's POST)
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
            self.send_header("Access-Control-Max-Age", "86400")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            qs = self._route()
            if qs is None:
                return
            params = urllib.parse.parse_qs(qs, keep_blank_values=True)
            if not params:
                text = "kg: a read-only SPARQL endpoint. GET or POST query=… to /query\n"
                self._send(Answer(200, "text/plain; charset=utf-8", text.encode()))
                return
            self._send(answer(store, params, self.headers.get("Accept", "")))

        do_HEAD = do_GET

        def do_POST(self) -> None:
            qs = self._route()
            if qs is None:
                self._drain()
                return
            params = urllib.parse.parse_qs(qs, keep_blank_values=True)
            media = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            body = self._drain()
            if body is None:
                self._send(Answer(413, "text/plain; charset=utf-8", b"request body too large\n"))
                return
            text = body.decode("utf-8", "replace")
            if media == "application/x-www-form-urlencoded":
                for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            elif media == "application/sparql-query":
                params["query"] = [text]
            elif media == "application/sparql-update":
                params["update"] = [text]
            else:
                msg = f"unsupported Content-Type {media or '(none)'}: send application/sparql-query or a form\n"
                self._send(Answer(415, "text/plain; charset=utf-8", msg.encode()))
                return
            self._send(answer(store, params, self.headers.get("Accept", "")))

        def _drain(self) -> Optional[bytes]:
            n = int(self.headers.get("Content-Length") or 0)
            if n > MAX_BODY:
                self.close_connection = True
                return None
            return self.rfile.read(n) if n > 0 else b""

    return Handler


def make_server(
    graph: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    log: Optional[Log] = None,
) -> ThreadingHTTPServer:
    """A server for the graph at ``graph`` (as for `kg.store.open_store`);
    call ``serve_forever()`` on it, ``shutdown()`` from another thread.
    Port 0 takes a free port (``server.server_address[1]``).

    Raises UsageError when the graph is missing or the port is taken.
    """
    from .store import open_store

    store = open_store(Path(graph))
    try:
        server = ThreadingHTTPServer((host, port), _handler(store, log))
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port} ({e.strerror or e})") from e
    server.daemon_threads = True
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    """The query URL of a running server."""
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/query"


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

