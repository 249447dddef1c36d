"""Push throughput into a local Oxigraph server, in triples per second.

    python bench/push_bench.py [--articles 2200] [--endpoint URL] [--batch N]

Synthesises a graph shaped as `kg build` writes it (ontology/MODEL.md): one
named graph per article holding its article node, sentences, the entities
it names (drawn from a shared pool, so facts repeat across articles and the
default-graph union is smaller than the sum), posts and observations; about
450 triples per article, so the default 2200 articles make about a million.
Then starts `oxigraph serve` on a free loopback port with a temporary store
(or uses --endpoint), pushes with `kg.remote.push`, and prints the triples
per second, counting the named graphs' triples and the union's.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg import remote  # noqa: E402
from kg.vocab import DEFAULT_BASE, KG, PREFIXES, SCHEMA  # noqa: E402

RDF_TYPE = ox.NamedNode(str(PREFIXES["rdf"].type))
XSD = str(PREFIXES["xsd"])
SKOS = str(PREFIXES["skos"])
ORG = str(PREFIXES["org"])
PROV = str(PREFIXES["prov"])
QB = str(PREFIXES["qb"])
SDMX_DIM = str(PREFIXES["sdmx-dimension"])
SDMX_MEASURE = str(PREFIXES["sdmx-measure"])
SDMX_ATTR = str(PREFIXES["sdmx-attribute"])
CLASSES = ["Person", "GovernmentOrganization", "Corporation", "City", "ResearchOrganization"]


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=n(XSD + datatype)) if datatype else ox.Literal(str(value))


def synthesise(articles: int, seed: int = 7) -> ox.Store:
    """Named-graph quads as a build of ``articles`` articles would give."""
    rnd = random.Random(seed)
    base = DEFAULT_BASE
    pool = [(f"{base}entity/实体{i}", SCHEMA[CLASSES[i % len(CLASSES)]], f"实体{i}", f"Entity {i}")
            for i in range(max(articles * 4, 100))]
    store = ox.Store()
    quads = []
    for a in range(articles):
        doc = f"{a:05d}_{rnd.getrandbits(32):08x}"
        g = n(f"{base}graph/{doc}")
        art = n(f"{base}article/{doc}")

        def add(s, p, o, g=g, out=quads):
            out.append(ox.Quad(s, p if isinstance(p, ox.NamedNode) else n(str(p)), o, g))

        add(art, RDF_TYPE, n(str(SCHEMA.NewsArticle)))
        add(art, RDF_TYPE, n(PROV + "Entity"))
        add(art, SCHEMA.headline, lit(f"人工智能产业报道第{a}篇", lang="zh"))
        add(art, SCHEMA.datePublished, lit(f"2025-{a % 12 + 1:02d}-{a % 28 + 1:02d}", "date"))
        add(art, KG.sourcePath, lit(f"news/{doc}.txt"))
        add(art, KG.contentHash, lit(f"{rnd.getrandbits(128):032x}"))
        named = rnd.sample(pool, 20)
        sentences = []
        for k in range(20):
            sent = n(f"{base}article/{doc}/chars/{k * 40}-{k * 40 + 38}")
            sentences.append(sent)
            add(sent, RDF_TYPE, n(str(KG.Sentence)))
            add(sent, SCHEMA.text, lit(f"第{k}句：{named[k][2]}在人工智能领域取得进展。", lang="zh"))
            add(sent, SCHEMA.isPartOf, art)
            add(sent, KG.startChar, lit(k * 40, "integer"))
            add(sent, KG.endChar, lit(k * 40 + 38, "integer"))
        for iri, cls, zh, en in named:
            e = n(iri)
            add(art, SCHEMA.mentions, e)
            add(e, RDF_TYPE, n(str(cls)))
            add(e, PREFIXES["rdfs"].label, lit(zh, lang="zh"))
            add(e, SKOS + "prefLabel", lit(zh, lang="zh"))
            add(e, SKOS + "prefLabel", lit(en, lang="en"))
            add(e, SKOS + "altLabel", lit(zh[:-1] or zh, lang="zh"))
            add(e, KG.rule, lit("lexicon.bench"))
            add(e, KG.confidence, lit("0.9", "decimal"))
        for k in range(5):
            person, organization = n(named[k][0]), n(named[k + 5][0])
            m = n(f"{base}membership/{doc}-{k}")
            role = n(f"{base}role/职务{k}")
            add(person, ORG + "memberOf", organization)
            add(m, RDF_TYPE, n(ORG + "Membership"))
            add(m, ORG + "member", person)
            add(m, ORG + "organization", organization)
            add(m, ORG + "role", role)
            add(m, PROV + "wasDerivedFrom", sentences[k])
            add(m, KG.rule, lit("person.bench"))
            add(m, KG.confidence, lit("0.9", "decimal"))
            add(role, RDF_TYPE, n(ORG + "Role"))
            add(role, SKOS + "prefLabel", lit(f"职务{k}", lang="zh"))
        for k in range(10):
            o = n(f"{base}observation/{doc}-{k}")
            ind = n(f"{base}indicator/指标{k}")
            add(o, RDF_TYPE, n(QB + "Observation"))
            add(o, QB + "dataSet", n(f"{base}dataset/observations"))
            add(o, SDMX_DIM + "refArea", n(named[k][0]))
            add(o, KG.indicator, ind)
            add(o, SDMX_DIM + "refPeriod", lit(2020 + k % 6, "gYear"))
            add(o, SDMX_MEASURE + "obsValue", lit(rnd.randrange(1, 10**12), "decimal"))
            add(o, SDMX_ATTR + "unitMeasure", n(f"{base}unit/CNY"))
            add(o, KG.qualifier, n(str(KG.approx)))
            add(o, KG.status, n(str(KG.reported)))
            add(o, PROV + "wasDerivedFrom", sentences[10 + k])
            add(o, KG.rule, lit("metric.bench"))
            add(o, KG.confidence, lit("0.9", "decimal"))
            add(ind, SKOS + "prefLabel", lit(f"指标{k}", lang="zh"))
        if len(quads) > 200_000:
            store.bulk_extend(quads)
            quads.clear()
    store.bulk_extend(quads)
    # the union in the default graph, each triple once, as `kg build` keeps it
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not binary:
        sys.exit("push_bench: the Oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("push_bench: oxigraph serve did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2200)
    ap.add_argument("--endpoint", help="push here instead of a fresh local Oxigraph server")
    ap.add_argument("--batch", type=int, default=250_000)
    ap.add_argument("--runs", type=int, default=2, help="pushes in a row (the second one replaces)")
    ap.add_argument("--workers", type=int, default=2, help="requests in flight at once")
    ap.add_argument("--method", choices=remote.METHODS, default="gsp", help="Graph Store Protocol or SPARQL Update")
    args = ap.parse_args()

    t0 = time.perf_counter()
    store = synthesise(args.articles)
    quads = len(store)
    print(f"synthesised {args.articles} article graphs, {quads} quads in {time.perf_counter() - t0:.1f} s")
    proc = None
    tmp = tempfile.mkdtemp(prefix="kg-push-bench-")
    try:
        if args.endpoint:
            url = args.endpoint
        else:
            proc, url = _start_oxigraph(Path(tmp) / "db")
        ep = remote.endpoint(url)
        for run in range(1, args.runs + 1):
            s = remote.push(store, ep, batch=args.batch, workers=args.workers, method=args.method)
            total = s.triples + s.union_triples
            print(f"push {run} ({args.method}, {args.workers} workers): {s.graphs} graphs, {s.triples} triples + {s.union_triples} in the default graph "
                  f"= {total} in {s.seconds:.1f} s: {total / s.seconds:,.0f} triples/s ({s.requests} requests)")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else '?'}")


if __name__ == "__main__":
    main()
