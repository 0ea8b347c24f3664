"""resolis-ld publish udata against a fake udata API v1 on 127.0.0.1 that keeps its state.

The fake does what data.gouv.fr does for these calls: X-API-KEY checked (401 "Invalid API Key"),
a slug made from the title, an upload's title taken from its file name, a checksum computed on
upload, and file extensions outside the whitelist refused.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from publish_support import LocalServer, Request, write_dist

from resolis_ld.cli import cli
from resolis_ld.publish.udata import upload_name

KEY = "udata-key-9a7b2d"
API = "/api/1/"
WHITELIST = {"csv", "json", "xml", "gz", "zip", "txt"}


class FakeUdata:
    """Datasets and their resources in memory; uploads hashed with ``algorithm`` as udata does."""

    def __init__(self, algorithm: str = "sha256") -> None:
        self.datasets: dict[str, dict] = {}
        self.files: dict[str, bytes] = {}
        self.algorithm = algorithm

    def __call__(self, request: Request):
        path = request.path.removeprefix(API).strip("/").split("/")
        if request.method != "GET" and request.headers.get("X-API-KEY") != KEY:
            return 401, {"message": "Invalid API Key"}, {}
        if path == ["datasets"] and request.method == "POST":
            return self.create(request.json())
        dataset = self._find(path[1]) if len(path) > 1 else None
        if dataset is None:
            return 404, {"message": "The requested URL was not found on the server.", "status": 404}, {}
        if len(path) == 2:
            if request.method == "PUT":
                dataset.update(self._fields(request.json()))
            return 200, dataset, {}
        if path[2:] == ["upload"]:
            return self.upload(dataset, request, None)
        resource = next((r for r in dataset["resources"] if r["id"] == path[3]), None)
        if resource is None:
            return 404, {"message": "Resource not found", "status": 404}, {}
        if path[4:] == ["upload"]:
            return self.upload(dataset, request, resource)
        resource.update({k: v for k, v in request.json().items() if k in ("title", "description", "filetype")})
        return 200, resource, {}

    def _find(self, slug_or_id: str) -> dict | None:
        return next((d for d in self.datasets.values() if slug_or_id in (d["id"], d["slug"])), None)

    def _fields(self, body: dict) -> dict:
        fields = {k: v for k, v in body.items() if k in ("title", "description", "license", "tags")}
        if "organization" in body:
            fields["organization"] = {"id": body["organization"], "slug": body["organization"]}
        return fields

    def create(self, body: dict):
        if not body.get("title"):
            return 400, {"message": "Validation error", "errors": {"title": ["This field is required."]}}, {}
        identifier = uuid.uuid4().hex[:24]
        slug = re.sub(r"[^a-z0-9]+", "-", body["title"].lower()).strip("-")
        dataset = {"id": identifier, "slug": slug, "page": f"http://udata.invalid/datasets/{slug}/",
                   "resources": [], **self._fields(body)}
        self.datasets[identifier] = dataset
        return 201, dataset, {}

    def upload(self, dataset: dict, request: Request, resource: dict | None):
        _, files = request.form()
        filename, data, mime = files["file"]
        if filename.rsplit(".", 1)[-1] not in WHITELIST:
            return 400, {"message": "This file type is not allowed"}, {}
        if resource is None:
            resource = {"id": str(uuid.uuid4()), "description": None}
            dataset["resources"].append(resource)
        resource.update({
            "title": filename, "filesize": len(data), "mime": mime,
            "checksum": {"type": self.algorithm, "value": hashlib.new(self.algorithm, data).hexdigest()},
            "url": f"http://udata.invalid/{dataset['id']}/{filename}",
        })
        self.files[resource["id"]] = data
        return 201, resource, {}


@pytest.fixture
def udata():
    server = LocalServer(FakeUdata()).start()
    yield server
    server.stop()


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write_dist(tmp_path / "dist")


def publish(server: LocalServer, dist: Path, dataset: str, *extra: str, key: str | None = KEY) -> Result:
    args = ["publish", "udata", "--url", server.url, "--dataset", dataset, "--dist", str(dist),
            "--backoff", "0", "--retries", "2", *extra]
    result = CliRunner().invoke(cli, args, env={"RESOLIS_UDATA_API_KEY": key})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert KEY not in result.output
    return result


def routes(server: LocalServer) -> list[tuple[str, str]]:
    """Requests with the ids replaced by {id} and {rid}."""
    found = []
    for request in server.requests:
        path = re.sub(r"^datasets/[0-9a-f]{24}/", "datasets/{id}/", request.path.removeprefix(API))
        found.append((request.method, re.sub(r"/resources/[0-9a-f-]{36}/", "/resources/{rid}/", path)))
    return found


SLUG = "fiches-d-exp-rience-resolis"  # the fake's slug of the French title


def test_upload_names_fit_the_whitelist() -> None:
    assert upload_name("resolis.jsonld") == "resolis.json"
    assert upload_name("resolis.nq.gz") == "resolis.nq.gz"
    assert upload_name("resolis.ttl") == "resolis.ttl.gz"
    assert upload_name("resolis.nt") == "resolis.nt.gz"


def test_first_run_creates_the_dataset_and_uploads_every_dump(udata: LocalServer, dist: Path) -> None:
    result = publish(udata, dist, SLUG, "--organization", "5bbb6d6cff66bd4dc17bfd5a")
    assert result.exit_code == 0, result.output
    assert routes(udata) == [("GET", f"datasets/{SLUG}/"), ("POST", "datasets/")] + [
        ("POST", "datasets/{id}/upload/"), ("PUT", "datasets/{id}/resources/{rid}/")] * 4
    assert all(r.headers["X-API-KEY"] == KEY for r in udata.requests[1:])
    create = udata.requests[1].json()
    assert create["title"] == "Fiches d'expérience RESOLIS" and create["license"] == "cc-by"
    assert create["organization"] == "5bbb6d6cff66bd4dc17bfd5a"
    assert create["tags"] == ["economie-sociale", "linked-data", "social-innovation"]
    assert create["description"].startswith("Programmes sociaux")
    uploads = {}
    for request in udata.requests[2::2]:
        filename, data, _ = request.form()[1]["file"]
        uploads[filename] = data
    assert sorted(uploads) == ["resolis.json", "resolis.nq.gz", "resolis.nt.gz", "resolis.ttl.gz"]
    assert uploads["resolis.json"] == (dist / "resolis.jsonld").read_bytes()
    assert uploads["resolis.nq.gz"] == (dist / "resolis.nq.gz").read_bytes()
    assert gzip.decompress(uploads["resolis.ttl.gz"]) == (dist / "resolis.ttl").read_bytes()
    described = udata.requests[3].json()
    assert described["title"] == "resolis.json" and "resolis.jsonld" in described["description"]
    assert "Created 5, replaced 0, left alone 0." in result.stderr


def test_second_run_uploads_nothing(udata: LocalServer, dist: Path) -> None:
    assert publish(udata, dist, SLUG).exit_code == 0
    udata.requests.clear()
    result = publish(udata, dist, SLUG)
    assert result.exit_code == 0, result.output
    assert routes(udata) == [("GET", f"datasets/{SLUG}/")]
    assert "Created 0, replaced 0, left alone 5." in result.stderr


def test_the_portals_own_checksum_algorithm_is_used(dist: Path) -> None:
    server = LocalServer(FakeUdata(algorithm="sha1")).start()
    try:
        assert publish(server, dist, SLUG).exit_code == 0
        server.requests.clear()
        assert publish(server, dist, SLUG).exit_code == 0
        assert routes(server) == [("GET", f"datasets/{SLUG}/")]
    finally:
        server.stop()


def test_changed_dumps_replace_their_resources_in_place(udata: LocalServer, dist: Path) -> None:
    assert publish(udata, dist, SLUG).exit_code == 0
    (dataset,) = udata.app.datasets.values()
    before = {r["title"]: r["id"] for r in dataset["resources"]}
    write_dist(dist, variant=1)
    udata.requests.clear()
    result = publish(udata, dist, dataset["id"])
    assert result.exit_code == 0, result.output
    assert routes(udata) == [("GET", "datasets/{id}/")] + [("POST", "datasets/{id}/resources/{rid}/upload/")] * 4
    assert {r["title"]: r["id"] for r in dataset["resources"]} == before
    assert udata.app.files[before["resolis.json"]] == (dist / "resolis.jsonld").read_bytes()
    assert "Created 0, replaced 4, left alone 1." in result.stderr


def test_a_new_slug_is_reported_so_the_next_run_finds_the_dataset(udata: LocalServer, dist: Path) -> None:
    result = publish(udata, dist, "my-resolis")
    assert result.exit_code == 0, result.output
    (dataset,) = udata.app.datasets.values()
    assert f"note: the portal named the new dataset {SLUG}: pass --dataset {dataset['id']} next time" in result.stderr


def test_dry_run_sends_nothing(udata: LocalServer, dist: Path) -> None:
    result = publish(udata, dist, SLUG, "--dry-run", key=None)
    assert result.exit_code == 0, result.output
    assert udata.requests == []
    assert f"GET {udata.url}{API}datasets/{SLUG}/" in result.stdout
    assert "upload resolis.ttl as resolis.ttl.gz" in result.stdout


def test_missing_key_names_the_variable(udata: LocalServer, dist: Path) -> None:
    result = publish(udata, dist, SLUG, key=None)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: RESOLIS_UDATA_API_KEY is not set")


def test_a_wrong_key_gives_one_line_with_the_portals_message(udata: LocalServer, dist: Path) -> None:
    result = publish(udata, dist, SLUG, key="wrong-key")
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: udata: create the dataset: POST {udata.url}{API}datasets/ answered 401")
    assert '"Invalid API Key"' in line and "check RESOLIS_UDATA_API_KEY" in line
    assert "wrong-key" not in result.output


@pytest.mark.parametrize(("status", "body", "said"), [
    (403, {"message": "You do not have the permission to modify this dataset"}, "permission to modify"),
    (404, {"message": "Resource not found", "status": 404}, "Resource not found"),
    (409, {"message": "Conflict", "errors": {"slug": ["already used"]}}, "Conflict slug: already used"),
    (413, b"<html><title>413 Request Entity Too Large</title></html>", "413 Request Entity Too Large"),
])
def test_refused_upload_gives_one_line(udata: LocalServer, dist: Path, status: int, body, said: str) -> None:
    udata.fail(status, body, when=lambda r: r.path.endswith("/upload/"))
    result = publish(udata, dist, SLUG)
    assert result.exit_code == 4, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: udata: upload resolis.json: POST ") and f"answered {status}" in line and said in line


def test_503_then_success_is_retried(udata: LocalServer, dist: Path) -> None:
    udata.fail(503, b"busy", when=lambda r: r.path.endswith("/upload/"))
    result = publish(udata, dist, SLUG)
    assert result.exit_code == 0, result.output
    (dataset,) = udata.app.datasets.values()
    assert len(dataset["resources"]) == 4


def test_violations_refuse_to_publish_unless_allowed(udata: LocalServer, tmp_path: Path) -> None:
    dist = write_dist(tmp_path / "dist", violations=1)
    assert publish(udata, dist, SLUG).exit_code == 1
    assert udata.requests == []
    assert publish(udata, dist, SLUG, "--allow-invalid").exit_code == 0
