"""What every publish target shares: reading dist/, the HTTP client's retries and its one-line errors."""

from __future__ import annotations

import json
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from publish_support import DATASET, LocalServer, write_dist

from resolis_ld.cli import cli
from resolis_ld.errors import InputError, PublishError
from resolis_ld.publish.common import Http, RetryPolicy, portal_message, read_build


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write_dist(tmp_path / "dist")


def dry_run(dist: Path):
    result = CliRunner().invoke(cli, ["publish", "sparql", "--endpoint", "http://127.0.0.1:9/store", "--dist", str(dist), "--dry-run"])
    assert "Traceback" not in result.output
    return result


# -- reading the build --------------------------------------------------------------------------


def test_the_catalogue_gives_the_dataset_and_its_dumps(dist: Path) -> None:
    build = read_build(dist)
    assert build.dataset == str(DATASET)
    assert build.title("fr") == "Fiches d'expérience RESOLIS" and build.title("en") == "RESOLIS practice reports"
    assert build.license == "http://creativecommons.org/licenses/by/3.0/"
    assert [d.name for d in build.dumps] == ["resolis.jsonld", "resolis.nq.gz", "resolis.nt.gz", "resolis.ttl"]
    turtle = build.dumps[-1]
    assert turtle.media_type == "text/turtle" and turtle.size == (dist / "resolis.ttl").stat().st_size
    assert turtle.format.endswith("/file-type/RDF_TURTLE") and turtle.title == "RESOLIS reports in Turtle"
    assert build.violations == 0 and build.reports == 2


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda d: [p.unlink() for p in d.iterdir()] and d.rmdir(), "no such directory: run resolis-ld build first"),
    (lambda d: (d / "catalog.ttl").unlink(), "catalog.ttl: error: missing: run resolis-ld build first"),
    (lambda d: (d / "catalog.ttl").write_text("not @ turtle"), "catalog.ttl: error: not readable Turtle"),
    (lambda d: (d / "validation.json").unlink(), "validation.json: error: missing: run resolis-ld build first"),
    (lambda d: (d / "validation.json").write_text("{}"), "validation.json: error: not a validation report"),
    (lambda d: (d / "resolis.nq.gz").unlink(), "resolis.nq.gz: missing, though the catalogue lists it"),
    (lambda d: (d / "resolis.ttl").write_text("# edited after the build\n"), "the catalogue is stale; run resolis-ld build again"),
])
def test_a_missing_or_stale_build_is_an_input_error(dist: Path, breakage, message: str) -> None:
    breakage(dist)
    with pytest.raises(InputError) as caught:
        read_build(dist)
    assert message in str(caught.value)
    result = dry_run(dist)
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line


def test_the_dump_a_target_needs_must_be_listed(dist: Path) -> None:
    catalog = (dist / "catalog.ttl").read_text()
    from rdflib import Graph
    from rdflib.namespace import DCAT

    graph = Graph().parse(data=catalog, format="turtle")
    for distribution in list(graph.objects(None, DCAT.distribution)):
        if str(distribution).endswith("nt-gz"):
            graph.remove((None, DCAT.distribution, distribution))
    graph.serialize(dist / "catalog.ttl", format="turtle")
    result = dry_run(dist)
    assert result.exit_code == 3
    assert "the catalogue lists no .nt dump (application/n-triples): run resolis-ld build first" in result.stderr


# -- HTTP ---------------------------------------------------------------------------------------


@pytest.fixture
def server():
    server = LocalServer(lambda r: (200, {"id": "ok"}, {})).start()
    yield server
    server.stop()


def client(sleeps: list[float], retries: int = 3, backoff: float = 0.5, **kwargs) -> Http:
    return Http("Portal", retry=RetryPolicy(retries=retries, backoff=backoff), sleep=sleeps.append, **kwargs)


def test_backoff_doubles_and_retry_after_wins(server: LocalServer) -> None:
    sleeps: list[float] = []
    server.fail(503, b"busy", times=2)
    server.fail(429, {"message": "slow down"}, headers={"Retry-After": "7"})
    response = client(sleeps).request("GET", server.url + "/x", what="read x")
    assert response.json() == {"id": "ok"}
    assert sleeps == [0.5, 1.0, 7.0]
    assert len(server.requests) == 4


def test_retry_after_as_a_date_and_its_cap(server: LocalServer) -> None:
    sleeps: list[float] = []
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    server.fail(429, None, headers={"Retry-After": later})
    server.fail(503, None, headers={"Retry-After": "100000"})
    client(sleeps).request("GET", server.url, what="read")
    assert 25 < sleeps[0] <= 30 and sleeps[1] == RetryPolicy().max_wait


def test_a_refusal_is_not_retried_and_carries_the_response(server: LocalServer) -> None:
    server.fail(409, {"message": "Validation error", "errors": {"title": ["required"]}})
    with pytest.raises(PublishError) as caught:
        client([]).request("POST", server.url + "/d", what="create d", json={})
    error = caught.value
    assert error.exit_code == 4 and error.response.status_code == 409
    assert str(error) == (f'Portal: create d: POST {server.url}/d answered 409 Conflict: '
                          '"Validation error title: required" (the portal refused the data as it stands)')
    assert len(server.requests) == 1


def test_a_redirect_is_not_followed(server: LocalServer) -> None:
    server.fail(301, b"", headers={"Location": "https://portal.example/api"})
    with pytest.raises(PublishError, match="redirected to https://portal.example/api: give that address instead"):
        client([]).request("GET", server.url, what="read", headers={"X-API-KEY": "secret"})
    assert len(server.requests) == 1


def test_headers_user_agent_and_credentials(server: LocalServer) -> None:
    client([], headers={"X-API-KEY": "k"}, auth=("u", "p")).request("GET", server.url, what="read")
    (request,) = server.requests
    assert request.headers["X-API-KEY"] == "k" and request.headers["Authorization"].startswith("Basic ")
    assert request.headers["User-Agent"].startswith("resolis-ld/0.")


def test_an_injected_session_is_used(server: LocalServer) -> None:
    session = requests.Session()
    session.headers["X-Trace"] = "t1"
    Http("Portal", session=session).request("GET", server.url, what="read")
    assert server.requests[0].headers["X-Trace"] == "t1"


def test_a_post_is_not_retried_after_a_read_timeout() -> None:
    slow = LocalServer(lambda r: (time.sleep(0.5), (200, {"id": 1}, {}))[1]).start()
    try:
        sleeps: list[float] = []
        http = client(sleeps, timeout=(1.0, 0.1))
        with pytest.raises(PublishError, match=r"cannot reach .*: timed out \(tried 1 time;"):
            http.request("POST", slow.url, what="create")
        with pytest.raises(PublishError, match=r"timed out \(tried 4 times;"):
            http.request("GET", slow.url, what="read")
        assert [r.method for r in slow.requests] == ["POST"] + ["GET"] * 4
    finally:
        slow.stop()


@pytest.mark.parametrize(("body", "said"), [
    ({"success": False, "error": {"__type": "Not Found Error", "message": "Not found"}}, "Not found"),
    ({"success": False, "error": {"__type": "Validation Error", "name": ["in use"], "url": ["bad"]}}, "name: in use url: bad"),
    ({"message": "Invalid API Key"}, "Invalid API Key"),
    ({"error": "rate limited"}, "rate limited"),
    (b"<html><body><h1>Bad\n  Gateway</h1></body></html>", "Bad Gateway"),
    (b"x" * 500, "x" * 299 + "…"),
])
def test_the_portals_own_message(server: LocalServer, body, said: str) -> None:
    server.fail(400, body)
    response = requests.get(server.url, timeout=5)
    assert portal_message(response) == said


def test_validation_json_of_the_real_schema_is_read(dist: Path) -> None:
    document = json.loads((dist / "validation.json").read_text())
    document["totals"]["violations"] = 2
    (dist / "validation.json").write_text(json.dumps(document))
    assert read_build(dist).violations == 2
    assert dry_run(dist).exit_code == 1


@pytest.mark.parametrize("command", [[], ["ckan"], ["udata"], ["sparql"]], ids=lambda c: " ".join(c) or "publish")
def test_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["publish", *command, "-h"])
    assert result.exit_code == 0
    assert "Example" in result.stdout and "resolis-ld publish " in result.stdout


@pytest.mark.parametrize("where", [0, 1, 2, 6])
def test_quiet_prints_nothing_on_success(dist: Path, where: int) -> None:
    store = LocalServer(lambda r: (201, None, {})).start()
    args = ["publish", "sparql", "--endpoint", store.url + "/store", "--dist", str(dist)]
    try:
        result = CliRunner().invoke(cli, args[:where] + ["-q"] + args[where:])
    finally:
        store.stop()
    assert result.exit_code == 0 and result.output == ""
    assert [r.method for r in store.requests] == ["PUT"]
