"""A SPARQL 1.1 Graph Store (Oxigraph, Fuseki, GraphDB): each graph PUT as N-Triples.

The SPARQL 1.1 Graph Store HTTP Protocol says PUT replaces the graph named by ``?graph=IRI`` (or
the default graph, ``?default``) with the request's body, so a second run replaces the graph with
the same triples instead of adding copies: publishing is idempotent by construction. A store
answers 201 Created for a graph it did not hold and 200 or 204 for one it replaced. Graphs the
build does not name are never touched.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..errors import InputError
from .common import BUILD_FIRST, Build, Dump, Http, PlannedRequest, Summary, one_line

USER_ENV = "RESOLIS_SPARQL_USER"
PASSWORD_ENV = "RESOLIS_SPARQL_PASSWORD"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
HINTS = {
    401: f"the store asks for credentials: set {USER_ENV} and {PASSWORD_ENV}",
    404: "not found: check --endpoint (Oxigraph's Graph Store is http://HOST:7878/store)",
}


@dataclass(frozen=True)
class GraphLoad:
    """One PUT: a graph (None for the default graph) and its triples as N-Triples."""

    graph: str | None
    data: bytes
    triples: int
    source: str


def graph_url(endpoint: str, graph: str | None) -> str:
    """``endpoint?graph=IRI`` or ``endpoint?default``, as the protocol spells them."""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}" + (f"graph={quote(graph, safe='')}" if graph else "default")


def _find_dump(build: Build, media_type: str, extension: str) -> Dump:
    for dump in build.dumps:
        if dump.media_type == media_type or dump.name.endswith((extension, extension + ".gz")):
            return dump
    raise InputError(f"the catalogue lists no {extension} dump ({media_type}): {BUILD_FIRST}", str(build.dist / "catalog.ttl"))


def _content(dump: Dump) -> bytes:
    data = dump.read()
    if dump.name.endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise InputError(f"not a gzip file ({error}): {BUILD_FIRST}", str(dump.path)) from None
    return data


def graph_loads(build: Build, graph: str | None = None, per_report: bool = False) -> list[GraphLoad]:
    """What to PUT: the N-Triples dump into one graph, or each named graph of the N-Quads dump."""
    if not per_report:
        dump = _find_dump(build, N_TRIPLES, ".nt")
        data = _content(dump)
        triples = sum(1 for line in data.splitlines() if line.strip() and not line.lstrip().startswith(b"#"))
        return [GraphLoad(graph, data, triples, dump.name)]
    dump = _find_dump(build, N_QUADS, ".nq")
    dataset = Dataset()
    try:
        dataset.parse(data=_content(dump), format="nquads")
    except Exception as error:  # rdflib's parser raises several kinds
        raise InputError(f"not readable N-Quads ({one_line(error)}): {BUILD_FIRST}", str(dump.path)) from None
    loads = []
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(context) == 0:
            continue
        name = None if context.identifier == DATASET_DEFAULT_GRAPH_ID else str(context.identifier)
        loads.append(GraphLoad(name, _n_triples(context), len(context), dump.name))
    if not loads:
        raise InputError(f"holds no triples: {BUILD_FIRST}", str(dump.path))
    return loads


def _n_triples(graph: Graph) -> bytes:
    """Sorted lines, so the same graph always gives the same body."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    return b"\n".join(sorted(line for line in lines if line.strip())) + b"\n"


def _what(load: GraphLoad) -> str:
    target = f"graph <{load.graph}>" if load.graph else "the default graph"
    return f"replace {target} with {load.triples} triples from {load.source}"


def plan_sparql(build: Build, endpoint: str, graph: str | None = None, per_report: bool = False) -> list[PlannedRequest]:
    """The requests a run sends, without sending any: what ``--dry-run`` prints."""
    return [PlannedRequest("PUT", graph_url(endpoint, load.graph), _what(load)) for load in graph_loads(build, graph, per_report)]


def publish_sparql(build: Build, http: Http, endpoint: str, graph: str | None = None, per_report: bool = False) -> Summary:
    """PUT each graph; the summary tells the graphs the store created from those it replaced."""
    summary = Summary("SPARQL Graph Store", endpoint)
    for load in graph_loads(build, graph, per_report):
        response = http.request(
            "PUT", graph_url(endpoint, load.graph), what=_what(load), data=load.data,
            headers={"Content-Type": N_TRIPLES},
        )
        item = f"{f'graph <{load.graph}>' if load.graph else 'default graph'} ({load.triples} triples)"
        (summary.created if response.status_code == 201 else summary.replaced).append(item)
    return summary
