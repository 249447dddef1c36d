"""The `kg` command line: parse options, call one library function, print.

Library errors (``KgError``) become one line on stderr and an exit code:
0 done, 1 done with failures (skips under --strict, eval below threshold),
2 usage or query error. Nothing else reaches the user as a traceback.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .errors import KgError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Knowledge graphs from Chinese news about China's AI industry and policy.",
    pretty_exceptions_enable=False,
)


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    tsv = "tsv"


class PushMethod(str, Enum):
    gsp = "gsp"
    update = "update"


class ExportFmt(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    ntriples = "ntriples"
    jsonld = "jsonld"
    graphml = "graphml"


GRAPH_OPT = typer.Option(Path("outputs"), "--graph", "-g", help="A build's output folder or an RDF file.")


def _fail(err: KgError) -> None:
    typer.echo(f"kg: {err}", err=True)
    raise typer.Exit(err.exit_code)


@app.command()
def build(
    paths: List[Path] = typer.Argument(None, help="Files or folders of articles (default: seeds/)."),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output folder."),
    base: str = typer.Option("https://w3id.org/cnaikg/id/", "--base", help="Base IRI of the data."),
    min_confidence: float = typer.Option(0.6, "--min-confidence", help="Leave out guesses below this confidence."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when an input was skipped or the graph breaks a shape."),
    html: bool = typer.Option(True, "--html/--no-html", help="Write graph.html."),
    max_bytes: Optional[int] = typer.Option(
        None, "--max-bytes", min=1, help="Skip files larger than this many bytes (default 20 MB)."),
    endpoint: Optional[str] = typer.Option(
        None, "--endpoint", help="Then push the graph to this SPARQL server (see `kg push`)."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes that extract articles (default: one per core)."),
) -> None:
    """Build the graph of PATHS into OUT: graph.ttl, graph.trig, store/, graph.html.

    Re-running into the same OUT re-extracts only new or changed articles."""
    from .build import build as run

    paths = paths or [Path("seeds")]
    bar = _Progress()
    try:
        limit = {"max_bytes": max_bytes} if max_bytes else {}
        s = run(paths, out, base=base, min_confidence=min_confidence, html=html, progress=bar, jobs=jobs, **limit)
    except KgError as err:
        _fail(err)
    bar.close()
    typer.echo(f"read {s.read} article(s), skipped {len(s.skipped)}")
    if s.unchanged:
        typer.echo("nothing changed since the last build: outputs kept")
    elif s.extracted < s.read + len(s.skipped):
        typer.echo(f"extracted {s.extracted}, the others unchanged since the last build")
    for sk in s.skipped:
        typer.echo(f"  skipped {sk.path}: {sk.reason}")
    typer.echo("entities: " + (", ".join(f"{k} {v}" for k, v in s.entities_by_type.items()) or "none"))
    typer.echo(f"observations: {s.observations}   triples: {s.triples}   seconds: {s.seconds:.1f}")
    for name, path in s.files.items():
        typer.echo(f"wrote {path}")
    if "graph.html" in s.files:
        typer.echo(f"open {s.files['graph.html'].resolve().as_uri()} in a browser")
    if s.validated:
        sample = f" (a sample of {s.checked_articles} articles)" if s.checked_articles < s.read else ""
        typer.echo(f"SHACL{sample}: {'conforms' if not s.violations else f'{len(s.violations)} violation(s)'}")
        for v in s.violations[:20]:
            typer.echo(f"  {v.line()}")
    if endpoint:
        _push(s.out, endpoint, base=base)
    if strict and (s.skipped or s.violations):
        raise typer.Exit(1)


class _Progress:
    """A progress line on stderr for long builds (only when stderr is a terminal)."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, i: int, n: int, path: str) -> None:
        if n < 20 or not sys.stderr.isatty():
            return
        self.shown = True
        sys.stderr.write(f"\r[{i}/{n}] {path[-60:]:<60}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 80 + "\r")


@app.command()
def query(
    sparql: str = typer.Argument(..., metavar="QUERY", help="SPARQL text, a .rq file, or a bundled query name."),
    graph: Path = GRAPH_OPT,
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="Output format."),
    timeout: Optional[float] = typer.Option(
        None, "--timeout", metavar="SECONDS", help="Give up on a query still running after SECONDS (exit 2)."),
    allow_service: bool = typer.Option(
        False, "--allow-service", help="Let SERVICE call remote SPARQL endpoints (refused by default)."),
    endpoint: Optional[str] = typer.Option(
        None, "--endpoint", help="Query this SPARQL server instead: its base URL, or its query URL."),
    query_url: Optional[str] = typer.Option(None, "--query-url", help="The server's query URL, if not ENDPOINT/query."),
) -> None:
    """Run a SPARQL query against a built graph, or a SPARQL server (--endpoint)."""
    from . import formats, query as q, remote, store

    try:
        text = q.resolve_query(sparql)
        if endpoint or query_url:
            ep = remote.endpoint(endpoint, query_url=query_url)
            result = remote.run_query(ep, text, timeout=timeout, allow_service=allow_service)
        else:
            result = q.run_query(store.open_store(graph), text, timeout=timeout, allow_service=allow_service)
        typer.echo(formats.render(result, fmt.value), nl=False)
    except KgError as err:
        _fail(err)


@app.command()
def push(
    graph: Path = GRAPH_OPT,
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="The SPARQL server's base URL (Oxigraph layout)."),
    store_url: Optional[str] = typer.Option(None, "--store-url", help="Its Graph Store Protocol URL, if not ENDPOINT/store."),
    query_url: Optional[str] = typer.Option(None, "--query-url", help="Its query URL, if not ENDPOINT/query."),
    update_url: Optional[str] = typer.Option(None, "--update-url", help="Its SPARQL Update URL, if not ENDPOINT/update."),
    method: PushMethod = typer.Option(
        PushMethod.gsp, "--method", help="gsp: one PUT per graph; update: SPARQL Update, many graphs per request."),
    base: str = typer.Option("https://w3id.org/cnaikg/id/", "--base", help="Base IRI of the data, as built."),
    union: bool = typer.Option(True, "--union/--no-union", help="Also write the union of the graphs as the default graph."),
) -> None:
    """Push a built graph to a SPARQL server: one PUT per article graph; credentials from $KG_ENDPOINT_AUTH."""
    urls = {"store_url": store_url, "query_url": query_url, "update_url": update_url}
    _push(graph, endpoint, urls, base=base, union=union, method=method.value)


def _push(graph: Path, endpoint: Optional[str], urls: Optional[dict] = None, **options) -> None:
    from . import remote

    bar = _Progress()
    try:
        ep = remote.endpoint(endpoint, **(urls or {}))
        s = remote.push(graph, ep, progress=bar, **options)
    except KgError as err:
        bar.close()
        _fail(err)
    bar.close()
    where = ep.update_url if options.get("method") == "update" else ep.store_url
    typer.echo(f"pushed {s.graphs} graph(s), {s.triples} triples (+{s.union_triples} in the default graph) "
               f"to {where} in {s.seconds:.1f} s; deleted {len(s.deleted)} old graph(s)")


@app.command()
def serve(
    graph: Path = GRAPH_OPT,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not log requests."),
) -> None:
    """Serve a built graph as a read-only SPARQL endpoint (SPARQL 1.1 Protocol) until Ctrl-C."""
    from . import serve as sv

    try:
        server = sv.make_server(graph, host, port, log=None if quiet else lambda m: typer.echo(m, err=True))
    except KgError as err:
        _fail(err)
    if not sv.is_loopback(host):
        typer.echo(f"warning: listening on {host}: anyone who can reach it can read the graph", err=True)
    typer.echo(f"serving {graph} read-only at {sv.url_of(server)}  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def validate(graph: Path = GRAPH_OPT) -> None:
    """Check a built graph against the SHACL shapes in ontology/shapes.ttl."""
    from .validate import validate as run

    try:
        report = run(graph)
    except KgError as err:
        _fail(err)
    if report.conforms:
        typer.echo("conforms: no violations")
        return
    for v in report.violations:
        typer.echo(v.line())
    typer.echo(f"{len(report.violations)} violation(s)", err=True)
    raise typer.Exit(1)


@app.command()
def stats(graph: Path = GRAPH_OPT, fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="Output format.")) -> None:
    """Counts of a built graph: articles, entities, observations, triples (graph.ttl), quads (graph.trig)."""
    from . import formats, query as q, store

    try:
        typer.echo(formats.render(q.run_named(store.open_store(graph), "stats"), fmt.value))
    except KgError as err:
        _fail(err)


@app.command()
def queries() -> None:
    """List the bundled queries."""
    from . import query as q

    for name, desc in q.list_queries():
        typer.echo(f"{name:<14} {desc}")


@app.command()
def viz(
    graph: Path = GRAPH_OPT,
    out: Path = typer.Option(Path("outputs/graph.html"), "--out", "-o", help="HTML file to write."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Show the neighbourhood of this entity (label or IRI)."),
    depth: int = typer.Option(2, "--depth", help="Radius of the --focus neighbourhood."),
    types: Optional[str] = typer.Option(None, "--types", help="Comma-separated entity types to keep."),
    max_nodes: int = typer.Option(1500, "--max-nodes", help="Reduce larger graphs to their most central nodes."),
) -> None:
    """Write the interactive HTML network of a built graph."""
    from . import store, viz as v

    try:
        kinds = {x.strip() for x in types.split(",")} if types else None
        s = v.render(store.load_rdflib(graph), out, focus=focus, depth=depth, types=kinds, max_nodes=max_nodes)
    except KgError as err:
        _fail(err)
    typer.echo(f"wrote {s.path} ({s.nodes} nodes, {s.edges} edges{f', reduced from {s.total}' if s.reduced else ''})")


@app.command()
def export(
    fmt: ExportFmt = typer.Option(..., "--format", "-f", help="Output format."),
    graph: Path = GRAPH_OPT,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
) -> None:
    """Export a built graph as Turtle, TriG, N-Quads, N-Triples, JSON-LD or GraphML."""
    from . import export as ex

    try:
        ex.export(graph, fmt.value, out)
    except KgError as err:
        _fail(err)
    if out is not None:
        typer.echo(f"wrote {out}")


@app.command("eval")
def eval_(
    gold: List[Path] = typer.Argument(..., help="Gold annotation files (JSON)."),
    docs: List[Path] = typer.Option([Path("seeds")], "--docs", help="Folders or files of the annotated articles."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table or json."),
    min_f1: Optional[float] = typer.Option(None, "--min-f1", help="Exit 1 if any category's F1 is below this."),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", help="As for build."),
) -> None:
    """Score extraction against gold annotations: precision, recall, F1, misses and extras."""
    import json

    from . import evaluate as ev

    try:
        report = ev.evaluate(gold, docs, min_confidence=min_confidence)
    except KgError as err:
        _fail(err)
    if fmt == Fmt.json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(ev.render(report))
    if min_f1 is not None:
        low = [c for c in ev.CATEGORIES if report.scores[c].f1 < min_f1]
        if low or report.attribute_share < min_f1:
            typer.echo(f"below --min-f1 {min_f1}: {', '.join(low) or 'observation attributes'}", err=True)
            raise typer.Exit(1)


def main() -> None:
    """The console script: whatever fails reaches the user as one line on
    stderr, never a traceback (KG_DEBUG=1 lets it through, for a report)."""
    try:
        app()
    except KgError as err:  # commands convert their own; this is the net
        typer.echo(f"kg: {err}", err=True)
        sys.exit(err.exit_code)
    except Exception as err:
        if os.environ.get("KG_DEBUG"):
            raise
        typer.echo(f"kg: {_unexpected(err)}", err=True)
        sys.exit(1)


def _unexpected(err: Exception) -> str:
    detail = " ".join(str(err).split())[:300]
    if isinstance(err, OSError):  # the file system's refusal, with its path
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or detail}"
    return (f"internal error ({type(err).__name__}{': ' + detail if detail else ''}); "
            "please report it, with the traceback KG_DEBUG=1 shows")


if __name__ == "__main__":
    main()
