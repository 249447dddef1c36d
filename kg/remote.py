"""Share the graph through a SPARQL server: push with the Graph Store
Protocol (or SPARQL Update), query with the SPARQL 1.1 Protocol.

`push` writes every named graph of a built graph (one per article, IRI
``{base}graph/{doc_id}``) with one HTTP PUT each, so pushing again replaces
instead of duplicating, and DELETEs the server's graphs under
``{base}graph/`` that the local graph no longer has (an article removed).
``method="update"`` does the same with SPARQL Update, many graphs per
request, for servers that commit small transactions slowly.
The default graph gets the union of the article graphs, each triple once,
as in the local store (`kg.store` says why), so the bundled queries give the
same rows remotely as locally without any server setting.

`run_query` sends a query to a SPARQL 1.1 query endpoint and reads the
answer into the same `QueryResult` the local store gives, so every output
format works.

Only the standard library speaks HTTP here (urllib): a push is a few large
requests, where connection reuse or an HTTP library would gain nothing.
Credentials come from the environment (`AUTH_ENV`), never from arguments
that would show in a shell history or a process list.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

from .errors import KgError, QueryError, UsageError
from .vocab import DEFAULT_BASE

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

    from .query import QueryResult

AUTH_ENV = "KG_ENDPOINT_AUTH"

# What a push sends: N-Triples is a subset of Turtle that every server
# parses, line by line, without prefixes to carry between batches.
NT = "application/n-triples"
# Query answers we can read, best first: SPARQL JSON for SELECT and ASK,
# N-Triples or Turtle for CONSTRUCT and DESCRIBE.
ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.9, text/turtle;q=0.8"
)
# The usual way to list a store's named graphs; servers answer it from an index.
LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
# What is worth trying again: the server is starting, overloaded or restarting.
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}

Progress = Callable[[int, int, str], None]


class RemoteError(KgError):
    """The server cannot be reached or refused a request; one line naming the URL.

    ``status`` is the HTTP status of a refusal, None when there was no
    answer; ``timed_out`` says the server took longer than allowed.
    """

    def __init__(self, message: str, status: Optional[int] = None, *, timed_out: bool = False):
        super().__init__(message)
        self.status = status
        self.timed_out = timed_out


@dataclass(frozen=True)
class Endpoint:
    """Where a server takes queries and graphs (Graph Store Protocol).

    ``store_url`` gets ``?graph=IRI`` (or ``?default``) appended, unless it
    holds ``{graph}``, which is replaced by the percent-encoded graph IRI
    (Virtuoso names the parameter ``graph-uri``). It is None for a server
    known only by its query URL, which can be queried but not pushed to.
    ``update_url`` takes SPARQL updates (`push` with ``method="update"``).
    """

    query_url: str
    store_url: Optional[str] = None
    update_url: Optional[str] = None

    def graph_url(self, graph: Optional[str]) -> str:
        if self.store_url is None:
            raise UsageError(f"{self.query_url}: no Graph Store URL to push to; give --store-url")
        if "{graph}" in self.store_url:
            if graph is None:
                raise UsageError(
                    f"{self.store_url}: a {{graph}} template cannot address the default graph; "
                    "push with --no-union"
                )
            return self.store_url.replace("{graph}", urllib.parse.quote(graph, safe=""))
        sep = "&" if "?" in self.store_url else "?"
        if graph is None:
            return f"{self.store_url}{sep}default"
        return f"{self.store_url}{sep}graph={urllib.parse.quote(graph, safe='')}"


def endpoint(
    url: Optional[str] = None,
    *,
    store_url: Optional[str] = None,
    query_url: Optional[str] = None,
    update_url: Optional[str] = None,
) -> Endpoint:
    """The endpoint of a server from its base URL, laid out as Oxigraph
    does it (``URL/query``, ``URL/store``, ``URL/update``); the keyword
    URLs override any of them. A ``url`` ending in ``/query`` or ``/sparql``
    is taken for the query URL itself (``/query`` then implies ``/store``
    and ``/update`` beside it, as Oxigraph and `kg serve` have it).

    Raises UsageError for a URL that is not http(s), or that carries a user
    name or password (they belong in the environment, `AUTH_ENV`).

    >>> endpoint("http://localhost:7878/").store_url
    'http://localhost:7878/store'
    """
    if url:
        base = url.rstrip("/")
        head, _, last = base.rpartition("/")
        if last in ("query", "sparql") and head.count("/") >= 2:
            query_url = query_url or base
            if last == "query":
                store_url = store_url or f"{head}/store"
                update_url = update_url or f"{head}/update"
        else:
            query_url = query_url or f"{base}/query"
            store_url = store_url or f"{base}/store"
            update_url = update_url or f"{base}/update"
    if not query_url:
        raise UsageError("give the server's URL (--endpoint), or its query URL (--query-url)")
    for u in (query_url, store_url, update_url):
        if u is None:
            continue
        parts = urllib.parse.urlsplit(u)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{u}: not an http(s) URL")
        if parts.username or parts.password:
            raise UsageError(f"{u}: put credentials in ${AUTH_ENV} (user:password or 'Bearer TOKEN'), not in the URL")
    return Endpoint(query_url, store_url, update_url)


class _Credentials(urllib.request.HTTPPasswordMgr):
    """The one user and password of `AUTH_ENV`, for whichever realm asks."""

    def __init__(self, user: str, password: str) -> None:
        super().__init__()
        self.pair = (user, password)

    def find_user_password(self, realm: str, authuri: str) -> tuple[str, str]:
        return self.pair


def _auth() -> tuple[dict[str, str], urllib.request.OpenerDirector]:
    """The Authorization header to send with every request, and the opener,
    from `AUTH_ENV`: ``user:password`` (HTTP Basic, sent at once; answered
    with Digest when the server asks for it, as Virtuoso does) or ``Bearer
    TOKEN`` (sent as is)."""
    value = os.environ.get(AUTH_ENV, "").strip()
    if not value:
        return {}, urllib.request.build_opener()
    if value.lower().startswith("bearer "):
        return {"Authorization": value}, urllib.request.build_opener()
    user, colon, password = value.partition(":")
    if not colon:
        raise UsageError(f"${AUTH_ENV} must be user:password or 'Bearer TOKEN'")
    basic = "Basic " + base64.b64encode(value.encode("utf-8")).decode("ascii")
    digest = urllib.request.HTTPDigestAuthHandler(_Credentials(user, password))
    return {"Authorization": basic}, urllib.request.build_opener(digest)


def _one_line(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class _Http:
    """Requests with retries and exponential back-off; errors become RemoteError."""

    retries: int = 4
    backoff: float = 0.5
    timeout: float = 120.0
    retry_timeouts: bool = True
    requests: int = 0

    def __post_init__(self) -> None:
        self.auth, self.opener = _auth()
        self._lock = threading.Lock()

    def __call__(
        self,
        method: str,
        url: str,
        body: Optional[bytes] = None,
        headers: Optional[dict[str, str]] = None,
        ok_missing: bool = False,
    ) -> tuple[str, bytes]:
        """(content type, body) of the answer. ``ok_missing``: 404 is fine
        (deleting a graph that is not there)."""
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
            for k, v in self.auth.items():
                # unredirected: not sent on to another host, and replaced
                # by the Digest answer if the server asks for Digest
                req.add_unredirected_header(k, v)
            with self._lock:
                self.requests += 1
            try:
                with self.opener.open(req, timeout=self.timeout) as resp:
                    return resp.headers.get("Content-Type", ""), resp.read()
            except urllib.error.HTTPError as e:
                if e.code == 404 and ok_missing:
                    return "", b""
                detail = _read_error(e)
                if e.code not in _RETRY_STATUS or attempt >= self.retries:
                    raise _refused(method, url, e.code, e.reason, detail) from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, (socket.timeout, TimeoutError)) and not self.retry_timeouts:
                    # a query that took too long will take too long again
                    raise RemoteError(f"{_shown(url)}: no answer within {self.timeout:g} s", timed_out=True) from None
                why = _one_line(str(reason) or type(reason).__name__, 80)
                if attempt >= self.retries:
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise RemoteError(f"{_shown(url)}: cannot reach the server ({why}){tries}") from None
            # a server that is starting or overloaded gets time to recover
            time.sleep(min(self.backoff * 2**attempt, 30.0))
            attempt += 1


def _read_error(e: urllib.error.HTTPError) -> str:
    try:
        return _one_line(e.read().decode("utf-8", "replace"))
    except Exception:  # the body of an error is a courtesy
        return ""


def _shown(url: str) -> str:
    # the graph IRI in a query string makes messages long; the path is enough
    return url.split("?", 1)[0]


def _refused(method: str, url: str, code: int, reason: str, detail: str) -> RemoteError:
    hint = ""
    if code in (401, 403):
        hint = f"; set ${AUTH_ENV} to user:password or 'Bearer TOKEN'"
    elif code == 404:
        hint = "; is this the right URL? (--store-url, --query-url)"
    elif code == 405:
        hint = f"; the server does not take {method} here (--store-url, --query-url)"
    said = f": {detail}" if detail else ""
    return RemoteError(f"{_shown(url)}: the server refused {method} ({code} {reason}){said}{hint}", code)


# ---------------------------------------------------------------- push


@dataclass
class PushSummary:
    """What a push did. ``triples`` counts the named graphs' triples sent,
    ``union_triples`` the default graph's."""

    endpoint: Endpoint
    graphs: int = 0
    triples: int = 0
    union_triples: int = 0
    deleted: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


METHODS = ("gsp", "update")


def push(
    graph: str | os.PathLike[str] | "pyoxigraph.Store",
    ep: Endpoint,
    *,
    base: str = DEFAULT_BASE,
    union: bool = True,
    method: str = "gsp",
    batch: int = 250_000,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 300.0,
    workers: int = 2,
    progress: Optional[Progress] = None,
) -> PushSummary:
    """Write the named graphs of ``graph`` (a build folder, RDF file or
    store) to the server at ``ep``; delete the server's graphs under
    ``{base}graph/`` that are not in ``graph``.

    ``method="gsp"`` (the Graph Store Protocol): one PUT per named graph;
    a graph of more than ``batch`` triples goes as a PUT of the first
    ``batch`` and POSTs (appends) of the rest, so no request grows without
    bound (a graph with blank nodes goes whole: a blank node means the same
    node only within one request). ``method="update"`` (SPARQL 1.1 Update
    at ``ep.update_url``): ``DROP SILENT GRAPH`` and ``INSERT DATA`` for
    as many graphs as fit in ``batch`` triples per request, each request
    one transaction; the same result in far fewer transactions, which
    some servers (Oxigraph among them) write much faster.

    With ``union`` the default graph is replaced by the union of all the
    graphs; leave it off for servers whose default graph is already the
    union (see README). Failed requests are retried ``retries`` times,
    waiting ``backoff``, twice that, and so on. ``workers`` requests are
    in flight at once, so the server parses while this side serializes.
    ``progress(done, total, graph IRI)`` is called as graphs are written
    or deleted.

    Raises RemoteError (server down, or refusing), UsageError, InputError.
    A push that failed half way leaves some graphs new and some old; the
    next push completes it.
    """
    import pyoxigraph as ox

    from .store import open_store

    if method not in METHODS:
        raise UsageError(f"unknown push method {method!r} (choose {' or '.join(METHODS)})")
    if method == "update" and ep.update_url is None:
        raise UsageError(f"{ep.query_url}: no SPARQL Update URL to push to; give --update-url")
    if method == "gsp":
        # a missing URL is a usage error now, not after the first graphs
        ep.graph_url(None) if union else ep.graph_url(base)
    started = time.perf_counter()
    store = graph if isinstance(graph, ox.Store) else open_store(Path(graph))
    client = _Http(retries=retries, backoff=backoff, timeout=timeout)
    local = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    ours = f"{base}graph/"
    have = {g.value for g in local}
    stale = sorted(g for g in _remote_graphs(ep, client) if g.startswith(ours) and g not in have)
    make = _gsp_tasks if method == "gsp" else _update_tasks
    tasks = make(client, ep, store, local, stale, union, max(batch, 1))
    total = sum(n for _, n, _ in tasks)
    summary = PushSummary(ep)
    done = 0

    def finished(label: str, graphs: int, result: dict[str, Any]) -> None:
        nonlocal done
        done += graphs
        summary.graphs += result.get("graphs", 0)
        summary.triples += result.get("triples", 0)
        summary.union_triples += result.get("union_triples", 0)
        summary.deleted += result.get("deleted", [])
        if progress:
            progress(done, total, label)

    try:
        if workers <= 1:
            for label, graphs, work in tasks:
                finished(label, graphs, work())
        else:
            _run_parallel(tasks, workers, finished)
    except RemoteError as e:
        raise RemoteError(f"{e}; {done} of {total} graphs done, push again to finish", e.status) from None
    summary.deleted.sort()
    summary.requests = client.requests
    summary.seconds = time.perf_counter() - started
    return summary


# A task: (label for progress, graphs it covers, work returning what it did).
# The union is the largest, so it comes first: with several workers it
# starts at once instead of holding up the end.
Task = tuple[str, int, Callable[[], dict[str, Any]]]


def _gsp_tasks(client, ep, store, local, stale, union, batch) -> list[Task]:
    tasks: list[Task] = []
    if union:
        tasks.append(("default graph", 1, lambda: {"union_triples": _put(client, ep.graph_url(None), _union(store), batch)}))
    for g in local:
        tasks.append((g.value, 1, lambda g=g: {"graphs": 1, "triples": _put(client, ep.graph_url(g.value), _triples(store, g), batch)}))

    def delete(iri: str) -> dict[str, Any]:
        client("DELETE", ep.graph_url(iri), ok_missing=True)
        return {"deleted": [iri]}

    tasks += [(iri, 1, lambda iri=iri: delete(iri)) for iri in stale]
    return tasks


def _update_tasks(client, ep, store, local, stale, union, batch) -> list[Task]:
    """Requests of SPARQL Update, each holding whole graphs up to ``batch``
    triples (a larger graph, or the union, gets requests of its own, in order)."""
    import pyoxigraph as ox

    def send(operations: list[str]) -> None:
        body = " ;\n".join(operations).encode("utf-8")
        client("POST", ep.update_url, body, {"Content-Type": "application/sparql-update; charset=utf-8"})

    def one_graph(g: Optional[Any], triples: Iterable[Any]) -> int:
        # DROP then INSERT in the first request; later chunks only add
        target = "DEFAULT" if g is None else f"GRAPH {g}"
        sent = 0
        for i, chunk in enumerate(_whole_if_blank(_chunks(triples, batch))):
            ops = [f"DROP SILENT {target}"] if i == 0 else []
            ops.append(_insert_data(g, chunk))
            send(ops)
            sent += len(chunk)
        if sent == 0:
            send([f"DROP SILENT {target}"])
        return sent

    def several(graphs: list[Any]) -> dict[str, Any]:
        ops, n = [], 0
        for g in graphs:
            chunk = list(_triples(store, g))
            ops += [f"DROP SILENT GRAPH {g}", _insert_data(g, chunk)]
            n += len(chunk)
        send(ops)
        return {"graphs": len(graphs), "triples": n}

    def drop(ops: list[str], iris: list[str]) -> dict[str, Any]:
        send(ops)
        return {"deleted": iris}

    tasks: list[Task] = []
    if union:
        tasks.append(("default graph", 1, lambda: {"union_triples": one_graph(None, _union(store))}))
    group: list[Any] = []
    size = 0
    for g in local:
        n = sum(1 for _ in store.quads_for_pattern(None, None, None, g))
        if n > batch:
            tasks.append((g.value, 1, lambda g=g: {"graphs": 1, "triples": one_graph(g, _triples(store, g))}))
            continue
        if group and size + n > batch:
            tasks.append((group[-1].value, len(group), lambda gs=group: several(gs)))
            group, size = [], 0
        group.append(g)
        size += n
    if group:
        tasks.append((group[-1].value, len(group), lambda gs=group: several(gs)))
    for i in range(0, len(stale), 1000):
        part = stale[i : i + 1000]
        ops = [f"DROP SILENT GRAPH {ox.NamedNode(iri)}" for iri in part]
        tasks.append((part[-1], len(part), lambda ops=ops, part=part: drop(ops, part)))
    return tasks


def _insert_data(g: Optional[Any], triples: list[Any]) -> str:
    import pyoxigraph as ox

    # N-Triples lines are valid SPARQL triples, escapes included
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""
    return f"INSERT DATA {{\n{nt}}}" if g is None else f"INSERT DATA {{ GRAPH {g} {{\n{nt}}} }}"


def _whole_if_blank(chunks: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """The chunks, or one chunk of everything when the first holds a blank
    node: a blank node means the same node only within one request."""
    import pyoxigraph as ox

    first = next(chunks, [])
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in first):
        first += [t for c in chunks for t in c]
    yield first
    yield from chunks


def _run_parallel(tasks: list[Task], workers: int, finished: Callable[[str, int, dict[str, Any]], None]) -> None:
    """Run the tasks ``workers`` at a time; report each as it completes, in
    this thread (so ``progress`` needs no locking). The first error stops
    the tasks not yet started and is raised once the running ones end."""
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-push") as pool:
        pending = {pool.submit(work): (label, graphs) for label, graphs, work in tasks}
        while pending:
            ready, _ = wait(pending, return_when=FIRST_EXCEPTION)
            for f in ready:
                label, graphs = pending.pop(f)
                if f.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise f.exception()
                finished(label, graphs, f.result())


def _remote_graphs(ep: Endpoint, client: _Http) -> list[str]:
    import pyoxigraph as ox

    result = _ask_server(ep, client, LIST_GRAPHS, "listing the server's graphs")
    return [row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)]


def _triples(store: "pyoxigraph.Store", g: Any) -> Iterator["pyoxigraph.Triple"]:
    import pyoxigraph as ox

    for q in store.quads_for_pattern(None, None, None, g):
        yield ox.Triple(q.subject, q.predicate, q.object)


def _union(store: "pyoxigraph.Store") -> Iterator["pyoxigraph.Triple"]:
    """The default graph as the local store has it: already the union of the
    article graphs (`kg.store` keeps it so), or, for a store made by other
    means, the union computed here, each triple once."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    if next(iter(store.quads_for_pattern(None, None, None, default)), None) is not None:
        yield from _triples(store, default)
        return
    yield from store.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")


def _chunks(triples: Iterable["pyoxigraph.Triple"], size: int) -> Iterator[list["pyoxigraph.Triple"]]:
    it = iter(triples)
    while chunk := list(islice(it, size)):
        yield chunk


def _put(client: _Http, url: str, triples: Iterable["pyoxigraph.Triple"], batch: int) -> int:
    """PUT the triples to ``url``, then POST what did not fit in ``batch``
    (an empty PUT empties the graph); the number of triples sent."""
    import pyoxigraph as ox

    sent = 0
    for i, chunk in enumerate(_whole_if_blank(_chunks(triples, batch))):
        body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) if chunk else b""
        client("PUT" if i == 0 else "POST", url, body, {"Content-Type": NT})
        sent += len(chunk)
    return sent


# ---------------------------------------------------------------- query


def run_query(
    ep: Endpoint,
    sparql: str,
    *,
    origin: str = "query",
    allow_service: bool = False,
    timeout: Optional[float] = None,
    retries: int = 2,
    backoff: float = 0.5,
) -> "QueryResult":
    """Run a read-only query at the server's query endpoint; the rows as
    a `QueryResult` of pyoxigraph terms, as the local store gives them.

    The query is checked here first, so a malformed query, an update or a
    SERVICE call (unless ``allow_service``) gets the same one-line error as
    locally; the usual prefixes are declared for the server as the local
    store predeclares them. ``timeout`` (seconds, default 300) bounds the
    wait for the answer.

    Raises QueryError (the query, or the server refusing it), RemoteError.
    """
    import pyoxigraph as ox

    from . import query as q

    if allow_service:
        q.check_read_only(sparql, allow_service=True, origin=origin)
    else:
        # parsing against an empty store checks the syntax exactly as locally
        q.run_query(ox.Store(), sparql, origin=origin)
    if timeout is not None and not timeout > 0:
        raise QueryError(f"{origin}: the timeout must be a positive number of seconds, not {timeout}")
    client = _Http(retries=retries, backoff=backoff, timeout=timeout or 300.0, retry_timeouts=False)
    try:
        return _ask_server(ep, client, _with_prefixes(sparql), origin)
    except RemoteError as e:
        # the query's fault, not the server's: exit 2 as a local query would
        if e.status == 400 or e.timed_out:
            raise QueryError(f"{origin}: {e}") from None
        raise


def run_named(ep: Endpoint, name: str, **kwargs: Any) -> "QueryResult":
    """`kg.query.resolve_query` then `run_query`, errors naming the query."""
    from . import query as q

    origin, text = q._resolve(name)
    kwargs.setdefault("origin", origin)
    return run_query(ep, text, **kwargs)


def _with_prefixes(sparql: str) -> str:
    from .vocab import PREFIXES

    # A query's own PREFIX lines come later and win over these.
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    return head + sparql


def _ask_server(ep: Endpoint, client: _Http, sparql: str, origin: str) -> "QueryResult":
    import pyoxigraph as ox

    from .query import QueryResult, to_result

    ctype, body = client(
        "POST",
        ep.query_url,
        sparql.encode("utf-8"),
        {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": ACCEPT},
    )
    media = ctype.split(";", 1)[0].strip().lower()
    try:
        if media in ("application/sparql-results+json", "application/json"):
            return to_result(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        if media in ("application/sparql-results+xml", "application/xml"):
            return to_result(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))
        if media in ("application/n-triples", "text/turtle", "text/plain"):
            fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
            triples = [(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
            return QueryResult(["subject", "predicate", "object"], triples)
    except (SyntaxError, ValueError) as e:
        raise RemoteError(f"{_shown(ep.query_url)}: {origin}: unreadable answer ({_one_line(str(e), 100)})") from e
    raise RemoteError(f"{_shown(ep.query_url)}: {origin}: the server answered {media or 'no content type'}, not SPARQL results")

