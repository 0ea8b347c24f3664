"""resolis-ld publish sparql against a real Oxigraph server, and a recording Graph Store for the headers.

The Oxigraph fixture runs ``oxigraph serve`` (the ``oxigraph`` package of the test extra) on a free
port, in memory; the tests read the graphs back through its Graph Store and query endpoints and
compare them with the dumps by isomorphism. Oxigraph has no authentication, so basic auth and
the error paths are checked against a small in-memory Graph Store that records each request.
"""

from __future__ import annotations

import base64
import gzip
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from click.testing import CliRunner, Result
from conftest import assert_isomorphic
from publish_support import BASE, REPORTS, LocalServer, Request, free_port, report_dataset, write_dist
from rdflib import Graph, URIRef

from resolis_ld.cli import cli


def _oxigraph() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture
def oxigraph():
    """A real Oxigraph server on 127.0.0.1: yields its root URL, stopped after the test."""
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(root + "/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph did not start")
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write_dist(tmp_path / "dist")


def publish(endpoint: str, dist: Path, *extra: str, env: dict | None = None) -> Result:
    args = ["publish", "sparql", "--endpoint", endpoint, "--dist", str(dist), "--backoff", "0", "--retries", "2", *extra]
    result = CliRunner().invoke(cli, args, env={"RESOLIS_SPARQL_USER": None, "RESOLIS_SPARQL_PASSWORD": None, **(env or {})})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def stored(root: str, graph: str | None) -> Graph:
    """A graph as the store holds it, read back through the Graph Store protocol."""
    where = f"graph={quote(graph, safe='')}" if graph else "default"
    response = requests.get(f"{root}/store?{where}", headers={"Accept": "application/n-triples"}, timeout=10)
    response.raise_for_status()
    return Graph().parse(data=response.text, format="nt")


def count(root: str, query: str) -> int:
    response = requests.post(f"{root}/query", data=query.encode(), timeout=10, headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def expected_graphs(variant: int = 0) -> dict[str, Graph]:
    dataset = report_dataset(variant)
    graphs = {}
    for slug in REPORTS:
        graph = Graph()
        for triple in dataset.graph(URIRef(f"{BASE}report/{slug}")):
            graph.add(triple)
        graphs[f"{BASE}report/{slug}"] = graph
    return graphs


def union(graphs: dict[str, Graph]) -> Graph:
    total = Graph()
    for graph in graphs.values():
        total += graph
    return total


ALL_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_per_report_graphs_land_in_their_graphs_and_a_rerun_duplicates_nothing(oxigraph: str, dist: Path) -> None:
    result = publish(f"{oxigraph}/store", dist, "--per-report-graphs")
    assert result.exit_code == 0, result.output
    expected = expected_graphs()
    for name, graph in expected.items():
        assert_isomorphic(stored(oxigraph, name), graph, f"graph <{name}>")
    total = sum(len(g) for g in expected.values())
    assert count(oxigraph, ALL_QUADS) == total
    assert "Created 2, replaced 0, left alone 0." in result.stderr

    result = publish(f"{oxigraph}/store", dist, "--per-report-graphs")
    assert result.exit_code == 0, result.output
    assert count(oxigraph, ALL_QUADS) == total
    assert "Created 0, replaced 2, left alone 0." in result.stderr


def test_a_changed_dump_replaces_the_graph(oxigraph: str, dist: Path) -> None:
    assert publish(f"{oxigraph}/store", dist, "--per-report-graphs").exit_code == 0
    write_dist(dist, variant=2)
    assert publish(f"{oxigraph}/store", dist, "--per-report-graphs").exit_code == 0
    for name, graph in expected_graphs(variant=2).items():
        assert_isomorphic(stored(oxigraph, name), graph, f"graph <{name}>")


def test_the_whole_dump_into_one_named_graph(oxigraph: str, dist: Path) -> None:
    graph = "https://w3id.org/resolis/graph/all"
    for _ in range(2):
        assert publish(f"{oxigraph}/store", dist, "--graph", graph).exit_code == 0
    assert_isomorphic(stored(oxigraph, graph), union(expected_graphs()), "the named graph")
    assert count(oxigraph, ALL_QUADS) == len(union(expected_graphs()))


def test_the_whole_dump_into_the_default_graph(oxigraph: str, dist: Path) -> None:
    for _ in range(2):
        result = publish(f"{oxigraph}/store", dist)
        assert result.exit_code == 0, result.output
    assert_isomorphic(stored(oxigraph, None), union(expected_graphs()), "the default graph")
    assert count(oxigraph, DEFAULT_TRIPLES) == len(union(expected_graphs()))
    assert "replaced: default graph (6 triples)" in result.stderr


# -- headers and errors, against a recording Graph Store ------------------------------------------


class FakeGraphStore:
    """PUT stores the body per graph (201 when new, 204 when replaced); asks for basic auth if set."""

    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        self.graphs: dict[str, bytes] = {}
        self.credentials = credentials

    def __call__(self, request: Request):
        if self.credentials:
            expected = "Basic " + base64.b64encode(":".join(self.credentials).encode()).decode()
            if request.headers.get("Authorization") != expected:
                return 401, b"Unauthorized: bad user or password", {"WWW-Authenticate": 'Basic realm="store"'}
        key = request.query.get("graph", "default")
        created = key not in self.graphs
        self.graphs[key] = request.body
        return (201 if created else 204), None, {}


@pytest.fixture
def store():
    server = LocalServer(FakeGraphStore(("loader", "s3cret"))).start()
    yield server
    server.stop()


def test_basic_auth_and_the_exact_requests(store: LocalServer, dist: Path) -> None:
    result = publish(f"{store.url}/store", dist, "--per-report-graphs",
                     env={"RESOLIS_SPARQL_USER": "loader", "RESOLIS_SPARQL_PASSWORD": "s3cret"})
    assert result.exit_code == 0, result.output
    assert [(r.method, r.path, r.query) for r in store.requests] == [
        ("PUT", "/store", {"graph": f"{BASE}report/{slug}"}) for slug in sorted(REPORTS)]
    for request in store.requests:
        assert request.headers["Content-Type"] == "application/n-triples"
        assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"loader:s3cret").decode()
        assert_isomorphic(Graph().parse(data=request.body, format="nt"), expected_graphs()[request.query["graph"]])
    assert "s3cret" not in result.output


def test_default_graph_is_put_with_the_default_parameter(store: LocalServer, dist: Path) -> None:
    result = publish(f"{store.url}/store", dist, env={"RESOLIS_SPARQL_USER": "loader", "RESOLIS_SPARQL_PASSWORD": "s3cret"})
    assert result.exit_code == 0, result.output
    (request,) = store.requests
    assert request.query == {"default": ""}
    assert request.body == gzip.decompress((dist / "resolis.nt.gz").read_bytes())


def test_wrong_credentials_give_one_line(store: LocalServer, dist: Path) -> None:
    result = publish(f"{store.url}/store", dist, env={"RESOLIS_SPARQL_USER": "loader", "RESOLIS_SPARQL_PASSWORD": "nope"})
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert "answered 401" in line and '"Unauthorized: bad user or password"' in line
    assert "set RESOLIS_SPARQL_USER and RESOLIS_SPARQL_PASSWORD" in line and "nope" not in line


def test_half_the_credentials_is_a_usage_error(store: LocalServer, dist: Path) -> None:
    result = publish(f"{store.url}/store", dist, env={"RESOLIS_SPARQL_USER": "loader"})
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: RESOLIS_SPARQL_PASSWORD is not set")
    assert store.requests == []


def test_413_and_retries(store: LocalServer, dist: Path) -> None:
    auth = {"RESOLIS_SPARQL_USER": "loader", "RESOLIS_SPARQL_PASSWORD": "s3cret"}
    store.fail(502, b"Bad Gateway")
    assert publish(f"{store.url}/store", dist, env=auth).exit_code == 0
    assert len(store.requests) == 2
    store.fail(413, b"<h1>Payload Too Large</h1> limit is 1 MB")
    result = publish(f"{store.url}/store", dist, env=auth)
    assert result.exit_code == 4
    assert '"Payload Too Large limit is 1 MB"' in result.stderr and "larger than the portal accepts" in result.stderr


def test_dry_run_lists_each_graph_and_sends_nothing(store: LocalServer, dist: Path) -> None:
    result = publish(f"{store.url}/store", dist, "--per-report-graphs", "--dry-run")
    assert result.exit_code == 0, result.output
    assert store.requests == []
    for slug in REPORTS:
        assert f"PUT {store.url}/store?graph={quote(BASE + 'report/' + slug, safe='')}" in result.stdout


def test_graph_and_per_report_graphs_exclude_each_other(dist: Path) -> None:
    result = publish("http://127.0.0.1:9/store", dist, "--graph", "https://example.org/g", "--per-report-graphs")
    assert result.exit_code == 2
    assert "--graph and --per-report-graphs exclude each other" in result.output
