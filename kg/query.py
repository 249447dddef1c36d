"""Run read-only SPARQL over the store: bundled named queries, files or text.

Queries see the union of the article graphs as their default graph (each
fact once), so a query need not know that every article has its own named
graph; ``GRAPH ?g`` still reaches a single article's triples. Parameters are bound by the engine
(pyoxigraph ``substitutions``), never pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

from .errors import QueryError

if TYPE_CHECKING:  # pragma: no cover
    import threading

    import pyoxigraph

QUERY_DIR = Path(__file__).parent / "queries"

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Lexical pieces that may hide keywords: long and short strings, IRIs and
# comments. Scanned left to right so that "#" inside an IRI or a string is
# not taken for a comment, nor "SERVICE" inside a string for the keyword.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
# a keyword, not part of a variable (?service), prefixed name or longer word
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:-])", re.IGNORECASE)
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


@dataclass
class QueryResult:
    """The answer to a query: column names and rows of RDF terms.

    Cells are pyoxigraph terms (NamedNode, BlankNode, Literal, Triple) or
    None where a variable is unbound. ASK queries give one column ``ask``;
    CONSTRUCT and DESCRIBE give ``subject``, ``predicate``, ``object``.
    """

    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts of plain text, as the CSV output shows them."""
        from .formats import cell_text

        return [dict(zip(self.columns, (cell_text(v) for v in row))) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


def list_queries() -> list[tuple[str, str]]:
    """(name, one-line description) of every bundled query, sorted by name."""
    out = []
    for path in sorted(QUERY_DIR.glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        desc = first[0].lstrip("#").strip() if first and first[0].startswith("#") else ""
        out.append((path.stem, desc))
    return out


def _looks_like_sparql(text: str) -> bool:
    # updates count as SPARQL too, so that `kg query 'DROP ALL'` is refused
    # as an update rather than reported as an unknown query name
    return "{" in text or bool(
        re.match(r"\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE|#)", text, re.IGNORECASE)
        or re.match(r"\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", text, re.IGNORECASE)
    )


def resolve_query(q: str) -> str:
    """The SPARQL text for a bundled query name, a .rq file path, or SPARQL text.

    Raises QueryError when ``q`` is none of these.

    >>> resolve_query("entities").startswith("#")
    True
    """
    return _resolve(q)[1]


def _resolve(q: str) -> tuple[str, str]:
    """(origin for messages, text) of a query argument."""
    if _NAME.match(q) and (QUERY_DIR / f"{q}.rq").is_file():
        return f"query {q}", (QUERY_DIR / f"{q}.rq").read_text(encoding="utf-8")
    if "\n" not in q and len(q) < 4096:
        path = Path(q)
        if path.suffix.lower() in (".rq", ".sparql") or (path.is_file() and not _looks_like_sparql(q)):
            try:
                return str(path), path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise QueryError(f"{path}: no such query file") from None
            except (OSError, UnicodeDecodeError) as e:
                raise QueryError(f"{path}: cannot read the query ({e})") from e
    if _looks_like_sparql(q):
        return "query", q
    names = ", ".join(n for n, _ in list_queries())
    raise QueryError(f"unknown query {q!r}: not a bundled query ({names}), a .rq file or SPARQL text")


def _strip_opaque(text: str) -> str:
    # keep newlines so that nothing downstream shifts lines
    return _OPAQUE.sub(lambda m: "\n" * m.group(0).count("\n") or " ", text)


def check_read_only(sparql: str, *, allow_service: bool = False, origin: str = "query") -> None:
    """Raise QueryError for SPARQL updates, and for SERVICE unless allowed."""
    bare = _strip_opaque(sparql)
    m = _UPDATE.match(bare)
    if m:
        raise QueryError(
            f"{origin}: {m.group(1).upper()} is a SPARQL update; `kg query` only reads the graph"
        )
    m = _SERVICE.search(bare)
    if m and not allow_service:
        line = bare.count("\n", 0, m.start()) + 1
        raise QueryError(
            f"{origin}: line {line}: SERVICE (a call to a remote endpoint) is refused; "
            "pass allow_service=True (--allow-service) to permit it"
        )


def _syntax_error(origin: str, sparql: str, e: BaseException) -> QueryError:
    text = " ".join(str(e).split())
    m = _POSITION.match(text)
    if not m:
        return QueryError(f"{origin}: {_clip(text, 160)}")
    line, column = int(m.group(1)), int(m.group(2))
    # pyoxigraph reports the furthest point its parser reached, often just
    # past the offending token (and past trailing blanks), so show the text
    # leading up to it as well
    lines = sparql.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    before = sparql[: max(offset, 0)].rstrip().rsplit("\n", 1)[-1].strip()
    near = ""
    if before:
        near = f" after '{before}'" if len(before) <= 24 else f" after '…{before[-24:]}'"
    return QueryError(f"{origin}: line {line}, column {column}{near}: {_expected(m.group(3))}")


def _expected(detail: str) -> str:
    # The parser lists every token it would have accepted, character
    # classes included; keep the words, drop the classes.
    if not detail.startswith("expected"):
        return _clip(detail, 160)
    items = re.sub(r"\[(?:[^\]\\]|\\.)*\]", "", detail[len("expected"):].removeprefix(" one of"))
    words = [w.strip() for w in items.split(",") if w.strip()]
    if "Prefix not found" in words:
        return "unknown prefix (declare it with PREFIX)"
    if not words:
        return "unexpected text"
    return _clip("expected " + (words[0] if len(words) == 1 else "one of " + ", ".join(words)), 160)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def to_term(value: Any):
    """A Python value as a pyoxigraph term for binding.

    Terms pass through; str is a plain string literal (use `parse_binding`
    for text from a command line); bool, int, Decimal and float become
    typed literals.
    """
    import pyoxigraph as ox

    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return value
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(xsd + "decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(xsd + "double"))
    if isinstance(value, str):
        return ox.Literal(value)
    try:
        from .store import _to_ox

        return _to_ox(value)
    except TypeError:
        raise QueryError(f"cannot bind {value!r}: not an RDF term or a plain value") from None


_LANG = re.compile(r'^"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$', re.DOTALL)


def parse_binding(text: str):
    """A command-line value as a term: ``<iri>`` or ``https://…`` → IRI,
    ``"文本"@zh`` → language-tagged literal, an integer → xsd:integer,
    anything else → a plain string literal.

    >>> parse_binding("42").value
    '42'
    """
    import pyoxigraph as ox

    t = text.strip()
    try:
        if t.startswith("<") and t.endswith(">"):
            return ox.NamedNode(t[1:-1])
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", t):
            return ox.NamedNode(t)
    except ValueError as e:
        raise QueryError(f"not a valid IRI: {t} ({e})") from e
    m = _LANG.match(t)
    if m:
        return ox.Literal(m.group(1), language=m.group(2))
    if re.fullmatch(r"[+-]?\d+", t):
        return to_term(int(t))
    return ox.Literal(text)


def _graph_options(store: "pyoxigraph.Store") -> dict[str, Any]:
    import pyoxigraph as ox

    # `open_store` and `write_store` keep the union of the article graphs in
    # the default graph (kg.store explains why); only a store made by other
    # means needs pyoxigraph's union view, which repeats shared facts.
    has_default = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    if has_default is None:
        return {"use_default_graph_as_union": True}
    return {}


def _prefixes() -> dict[str, str]:
    from .vocab import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def execute(
    store: "pyoxigraph.Store",
    sparql: str,
    *,
    bindings: Optional[Mapping[str, Any]] = None,
    allow_service: bool = False,
    origin: str = "query",
    default_graph: Optional[list[Any]] = None,
    named_graphs: Optional[list[Any]] = None,
):
    """Check and run a read-only query; return pyoxigraph's own answer
    (QuerySolutions, QueryBoolean or QueryTriples), which `kg serve`
    serializes in the SPARQL result formats. Arguments and errors as for
    `run_query`; ``default_graph`` and ``named_graphs`` (lists of IRIs) set
    the dataset as the protocol's default-graph-uri and named-graph-uri do.
    Rows are read lazily: iterate or serialize inside `query_errors`.
    """
    import pyoxigraph as ox

    check_read_only(sparql, allow_service=allow_service, origin=origin)
    subs = {}
    for name, value in (bindings or {}).items():
        bare = name.lstrip("?$")
        if not _VAR.match(bare):
            raise QueryError(f"{origin}: {name!r} is not a variable name")
        subs[ox.Variable(bare)] = to_term(value)
    dataset: dict[str, Any] = {}
    if default_graph is not None:
        dataset["default_graph"] = [to_term(g) for g in default_graph]
    else:
        dataset.update(_graph_options(store))
    if named_graphs is not None:
        dataset["named_graphs"] = [to_term(g) for g in named_graphs]
    with query_errors(sparql, origin):
        return store.query(sparql, prefixes=_prefixes(), substitutions=subs or None, **dataset)


class query_errors:
    """Turn pyoxigraph's errors, raised when a query is parsed or while its
    rows are read, into QueryError (with line and column for syntax)."""

    def __init__(self, sparql: str, origin: str = "query") -> None:
        self.sparql, self.origin = sparql, origin

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, e, tb) -> bool:
        if e is None:
            return False
        if isinstance(e, SyntaxError):
            raise _syntax_error(self.origin, self.sparql, e) from e
        if isinstance(e, RuntimeError):
            # pyoxigraph reports a binding for a variable the query does not
            # project as a RuntimeError
            raise QueryError(f"{self.origin}: {' '.join(str(e).split())}") from e
        if isinstance(e, OSError):
            raise QueryError(f"{self.origin}: the query failed: {e}") from e
        return False


def to_result(answer: Any) -> QueryResult:
    """A pyoxigraph query answer as a QueryResult (all rows read)."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(["ask"], [(to_term(bool(answer)),)])
    if isinstance(answer, ox.QueryTriples):
        return QueryResult(
            ["subject", "predicate", "object"],
            [(t.subject, t.predicate, t.object) for t in answer],
        )
    columns = [v.value for v in answer.variables]
    return QueryResult(columns, [tuple(sol[c] for c in columns) for sol in answer])


def run_query(
    store: "pyoxigraph.Store",
    sparql: str,
    *,
    bindings: Optional[Mapping[str, Any]] = None,
    allow_service: bool = False,
    origin: str = "query",
    timeout: Optional[float] = None,
) -> QueryResult:
    """Run a read-only SPARQL query and return all of its rows.

    ``sparql`` is query text (see `resolve_query`); ``bindings`` maps
    variable names to values substituted by the engine (see `to_term`).
    The usual prefixes (kg:, schema:, org:, skos: …) are predeclared.
    ``origin`` names the query in error messages. ``timeout`` (seconds)
    gives up on a query that has not finished by then (see `_within`).

    Raises QueryError for malformed SPARQL (with line and column), updates,
    SERVICE calls (unless ``allow_service``), bindings the query cannot take
    and queries that run out of time.
    """

    def run(stop: Optional["threading.Event"] = None) -> QueryResult:
        answer = execute(store, sparql, bindings=bindings, allow_service=allow_service, origin=origin)
        with query_errors(sparql, origin):
            return to_result(answer if stop is None else _stoppable(answer, stop))

    if timeout is None:
        return run()
    return _within(run, timeout, origin)


def _within(run: Any, timeout: float, origin: str) -> QueryResult:
    """``run(stop)`` in a worker thread, abandoned after ``timeout`` seconds.

    pyoxigraph has no timeout of its own, but it releases the GIL while it
    evaluates, so the caller can stop waiting. A query that streams its rows
    then ends at the next row (`_Stoppable`); one that must finish before its
    first row (ORDER BY, COUNT) goes on in its daemon thread until it ends or
    the process exits, as `kg query` does at once.
    """
    import threading
    import traceback

    if not timeout > 0:
        raise QueryError(f"{origin}: the timeout must be a positive number of seconds, not {timeout}")
    stop = threading.Event()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = run(stop)
        except BaseException as e:  # handed to the caller's thread
            # pyoxigraph's answer may only be freed by the thread that made
            # it: drop the frames (and their locals) the traceback keeps
            seen = e
            while seen is not None:
                traceback.clear_frames(seen.__traceback__)
                seen = seen.__cause__ or seen.__context__
            if not stop.is_set():
                box["error"] = e

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or ("result" not in box and "error" not in box):
        stop.set()
        raise QueryError(f"{origin}: stopped after {timeout:g} s (--timeout); "
                         "narrow the query or allow it more time")
    if "error" in box:
        raise box["error"]
    return box["result"]


class _Stopped(Exception):
    pass


def _stoppable(answer: Any, stop: "threading.Event") -> Any:
    import pyoxigraph as ox

    return _Stoppable(answer, stop) if isinstance(answer, ox.QuerySolutions) else answer


class _Stoppable:
    """Query solutions that end once ``stop`` is set: dropping pyoxigraph's
    iterator ends the evaluation."""

    def __init__(self, answer: Any, stop: "threading.Event") -> None:
        self.variables, self._answer, self._stop = answer.variables, answer, stop

    def __iter__(self) -> Any:
        for solution in self._answer:
            if self._stop.is_set():
                raise _Stopped
            yield solution


def run_named(store: "pyoxigraph.Store", q: str, **kwargs: Any) -> QueryResult:
    """`resolve_query` then `run_query`, with error messages naming the query."""
    origin, text = _resolve(q)
    kwargs.setdefault("origin", origin)
    return run_query(store, text, **kwargs)
