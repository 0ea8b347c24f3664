"""Shared fixtures: the report fixtures, golden graphs and an isomorphism check with a diff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

DATA = Path(__file__).parent / "data"
REPORTS = DATA / "reports"
GOLDEN = DATA / "golden"
REPORT_FILES = sorted(REPORTS.glob("*.txt"))
SEEDS = [path for path in REPORT_FILES if path.name[0].isdigit()]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true",
        help="Rewrite tests/data/golden/*.ttl from the converter's output (review them by hand!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--update-golden")


def assert_isomorphic(actual: Graph, expected: Graph, what: str = "graph") -> None:
    """Fail with the triples found only on one side, in N-Triples, sorted."""
    if to_isomorphic(actual) == to_isomorphic(expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))

    def dump(graph: Graph) -> str:
        return "\n".join(sorted(graph.serialize(format="nt").splitlines())) or "(none)"

    pytest.fail(
        f"{what} differs.\nonly in the converter's output:\n{dump(only_actual)}\n"
        f"only in the expected graph:\n{dump(only_expected)}",
        pytrace=False,
    )


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets a cache folder of its own: no test reads what another (or the user) cached."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


def serve_site(site) -> Iterator[str]:
    """Run resolis-ld serve's server for a site on a free port of 127.0.0.1; yield its URL, then
    stop it and its query workers."""
    from resolis_ld.server import Server

    httpd = Server(site, "127.0.0.1", 0)
    httpd.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        site.pool.close()
