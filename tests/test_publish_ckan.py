"""resolis-ld publish ckan against a fake CKAN Action API on 127.0.0.1 that keeps its state.

The fake answers as CKAN does (``{"success": …, "result"|"error": …}``, 403 without a valid token,
404 "Not found", 409 validation errors), so the tests assert the exact calls: method, URL, the
Authorization header, the JSON or multipart body, and what the portal holds after each run.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from publish_support import DATASET, LocalServer, Request, free_port, write_dist

from resolis_ld.cli import cli

TOKEN = "ckan-token-5f3c1e"
ACTION = "/api/3/action/"


class FakeCkan:
    """The actions resolis-ld calls, with packages and uploaded files kept in memory."""

    def __init__(self) -> None:
        self.packages: dict[str, dict] = {}
        self.files: dict[str, bytes] = {}

    def __call__(self, request: Request):
        action = request.path.removeprefix(ACTION)
        if action == "package_show":
            package = self._find(request.query.get("id", ""))
            return (200, _ok(package), {}) if package else (404, _error("Not Found Error", message="Not found"), {})
        if request.headers.get("Authorization") != TOKEN:
            return 403, _error("Authorization Error", message=f"Access denied: not authorized to call {action}"), {}
        return getattr(self, action)(request)

    def _find(self, name_or_id: str) -> dict | None:
        return next((p for p in self.packages.values() if name_or_id in (p["name"], p["id"])), None)

    def package_create(self, request: Request):
        body = request.json()
        if body["name"] in self.packages:
            return 409, _error("Validation Error", name=["That URL is already in use."]), {}
        organization = body.get("owner_org")
        package = {**body, "id": str(uuid.uuid4()), "resources": [], "owner_org": organization,
                   "organization": {"name": organization, "id": organization} if organization else None}
        self.packages[body["name"]] = package
        return 200, _ok(package), {}

    def package_patch(self, request: Request):
        body = request.json()
        package = self._find(body.pop("id"))
        package.update(body)
        return 200, _ok(package), {}

    def resource_create(self, request: Request):
        fields, files = request.form()
        package = self._find(fields.pop("package_id"))
        resource = {**fields, "id": str(uuid.uuid4()), "package_id": package["id"], "url_type": "upload"}
        self._store(resource, files)
        package["resources"].append(resource)
        return 200, _ok(resource), {}

    def resource_patch(self, request: Request):
        fields, files = request.form()
        resource = next(r for p in self.packages.values() for r in p["resources"] if r["id"] == fields["id"])
        resource.update(fields)
        self._store(resource, files)
        return 200, _ok(resource), {}

    def _store(self, resource: dict, files: dict) -> None:
        filename, data, _ = files["upload"]
        resource["url"] = f"http://ckan.invalid/dataset/resource/{resource['id']}/download/{filename}"
        self.files[resource["id"]] = data


def _ok(result: dict) -> dict:
    return {"help": "http://ckan.invalid/api/3/action/help_show", "success": True, "result": result}


def _error(kind: str, **details) -> dict:
    return {"help": "http://ckan.invalid/api/3/action/help_show", "success": False, "error": {"__type": kind, **details}}


@pytest.fixture
def ckan():
    server = LocalServer(FakeCkan()).start()
    yield server
    server.stop()


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write_dist(tmp_path / "dist")


def publish(server: LocalServer, dist: Path, *extra: str, token: str | None = TOKEN) -> Result:
    args = ["publish", "ckan", "--url", server.url, "--dataset", "resolis", "--dist", str(dist),
            "--backoff", "0", "--retries", "2", *extra]
    result = CliRunner().invoke(cli, args, env={"RESOLIS_CKAN_TOKEN": token})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert TOKEN not in result.output
    return result


def calls(server: LocalServer) -> list[tuple[str, str]]:
    return [(r.method, r.path.removeprefix(ACTION)) for r in server.requests]


def test_first_run_creates_the_dataset_and_uploads_every_dump(ckan: LocalServer, dist: Path) -> None:
    result = publish(ckan, dist, "--organization", "resolis-org")
    assert result.exit_code == 0, result.output
    assert calls(ckan) == [("GET", "package_show"), ("POST", "package_create")] + [("POST", "resource_create")] * 4
    show, create, *uploads = ckan.requests
    assert show.query == {"id": "resolis"}
    assert all(r.headers["Authorization"] == TOKEN for r in ckan.requests)
    assert all(r.headers["User-Agent"].startswith("resolis-ld/") for r in ckan.requests)
    body = create.json()
    assert body["name"] == "resolis" and body["owner_org"] == "resolis-org"
    assert body["title"] == "RESOLIS practice reports" and body["license_id"] == "cc-by"
    assert "Social programmes" in body["notes"] and "Programmes sociaux" in body["notes"]
    assert body["tags"] == [{"name": "linked data"}, {"name": "social innovation"}, {"name": "économie sociale"}]
    assert body["extras"] == [{"key": "uri", "value": str(DATASET)}]
    package = ckan.app.packages["resolis"]
    for request in uploads:
        fields, files = request.form()
        filename, data, content_type = files["upload"]
        assert fields["name"] == filename and fields["package_id"] == package["id"]
        assert data == (dist / filename).read_bytes()
        assert fields["hash"] == __import__("hashlib").sha256(data).hexdigest()
        assert fields["size"] == str(len(data)) and fields["mimetype"] == content_type
    assert sorted(r["name"] for r in package["resources"]) == sorted(p.name for p in dist.glob("resolis.*"))
    assert "created: dataset resolis" in result.stderr
    assert "Created 5, replaced 0, left alone 0." in result.stderr


def test_second_run_uploads_nothing(ckan: LocalServer, dist: Path) -> None:
    assert publish(ckan, dist).exit_code == 0
    ckan.requests.clear()
    result = publish(ckan, dist)
    assert result.exit_code == 0, result.output
    assert calls(ckan) == [("GET", "package_show")]
    assert "Created 0, replaced 0, left alone 5." in result.stderr


def test_changed_dumps_replace_their_resources_in_place(ckan: LocalServer, dist: Path, tmp_path: Path) -> None:
    assert publish(ckan, dist).exit_code == 0
    before = {r["name"]: r["id"] for r in ckan.app.packages["resolis"]["resources"]}
    write_dist(dist, variant=1)
    ckan.requests.clear()
    result = publish(ckan, dist)
    assert result.exit_code == 0, result.output
    assert calls(ckan) == [("GET", "package_show")] + [("POST", "resource_patch")] * 4
    resources = ckan.app.packages["resolis"]["resources"]
    assert {r["name"]: r["id"] for r in resources} == before  # same resources, no duplicate
    for resource in resources:
        assert ckan.app.files[resource["id"]] == (dist / resource["name"]).read_bytes()
    assert "Created 0, replaced 4, left alone 1." in result.stderr


def test_changed_metadata_is_patched_keeping_other_extras(ckan: LocalServer, dist: Path) -> None:
    assert publish(ckan, dist).exit_code == 0
    package = ckan.app.packages["resolis"]
    package["title"] = "Edited on the portal"
    package["extras"].append({"key": "theme", "value": "social"})
    ckan.requests.clear()
    result = publish(ckan, dist)
    assert result.exit_code == 0, result.output
    assert calls(ckan) == [("GET", "package_show"), ("POST", "package_patch")]
    patch = ckan.requests[1].json()
    assert patch == {"id": package["id"], "title": "RESOLIS practice reports"}
    assert "replaced: dataset resolis metadata (title)" in result.stderr


def test_dry_run_sends_nothing(ckan: LocalServer, dist: Path) -> None:
    result = publish(ckan, dist, "--dry-run", token=None)
    assert result.exit_code == 0, result.output
    assert ckan.requests == []
    assert f"GET {ckan.url}{ACTION}package_show?id=resolis" in result.stdout
    assert result.stdout.count(f"POST {ckan.url}{ACTION}resource_create") == 4


def test_missing_token_names_the_variable(ckan: LocalServer, dist: Path) -> None:
    result = publish(ckan, dist, token=None)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: RESOLIS_CKAN_TOKEN is not set")
    assert ckan.requests == []


@pytest.mark.parametrize(("status", "body", "said"), [
    (401, _error("Authorization Error", message="Token is invalid or expired"), "Token is invalid or expired"),
    (403, _error("Authorization Error", message="User not authorized to create packages"), "User not authorized"),
    (404, b"<html><h1>404 Not Found</h1></html>", "404 Not Found"),
    (409, _error("Validation Error", name=["That URL is already in use."]), "name: That URL is already in use."),
    (413, b"<html><head><title>413 Request Entity Too Large</title></head></html>", "413 Request Entity Too Large"),
])
def test_refusals_give_one_line_quoting_the_portal(ckan: LocalServer, dist: Path, status: int, body, said: str) -> None:
    ckan.fail(status, body, when=lambda r: r.path.endswith("package_create"))
    result = publish(ckan, dist)
    assert result.exit_code == 4, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: CKAN: create dataset resolis: POST "), lines
    assert f"answered {status}" in lines[0] and said in lines[0]
    assert sum(r.path.endswith("package_create") for r in ckan.requests) == 1  # not retried
    assert TOKEN not in result.stderr
    if status == 401:
        assert "check RESOLIS_CKAN_TOKEN" in lines[0]


def test_a_real_wrong_token_is_refused(ckan: LocalServer, dist: Path) -> None:
    result = publish(ckan, dist, token="not-the-token")
    assert result.exit_code == 4
    assert "answered 403" in result.stderr and "Access denied" in result.stderr
    assert "check the token in RESOLIS_CKAN_TOKEN" in result.stderr
    assert "not-the-token" not in result.output


def test_503_then_success_is_retried(ckan: LocalServer, dist: Path) -> None:
    ckan.fail(503, b"Service Unavailable", times=2, when=lambda r: r.path.endswith("resource_create"))
    result = publish(ckan, dist)
    assert result.exit_code == 0, result.output
    assert calls(ckan).count(("POST", "resource_create")) == 6
    assert len(ckan.app.packages["resolis"]["resources"]) == 4


def test_500_every_time_gives_up_after_the_retries(ckan: LocalServer, dist: Path) -> None:
    ckan.fail(500, _error("Internal Error", message="database is locked"), times=99)
    result = publish(ckan, dist)
    assert result.exit_code == 4
    assert len(ckan.requests) == 3  # --retries 2
    assert 'answered 500 Internal Server Error: "database is locked" (still failing after 3 attempts' in result.stderr


def test_429_waits_as_retry_after_says(ckan: LocalServer, dist: Path) -> None:
    ckan.fail(429, {"message": "Too many requests"}, headers={"Retry-After": "0"})
    result = publish(ckan, dist)
    assert result.exit_code == 0, result.output
    assert calls(ckan)[:2] == [("GET", "package_show"), ("GET", "package_show")]


def test_connection_refused_exits_4_after_the_retries(dist: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["publish", "ckan", "--url", url, "--dataset", "resolis", "--dist", str(dist),
                                      "--retries", "2", "--backoff", "0"], env={"RESOLIS_CKAN_TOKEN": TOKEN})
    assert result.exit_code == 4
    assert result.stderr == (f"Error: CKAN: look up dataset resolis: cannot reach {url}: [Errno 111] Connection refused "
                             "(tried 3 times; check the URL and the network)\n")


def test_violations_refuse_to_publish_unless_allowed(ckan: LocalServer, tmp_path: Path) -> None:
    dist = write_dist(tmp_path / "dist", violations=3)
    result = publish(ckan, dist)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {dist}/validation.json: validation found 3 violation(s)")
    assert "--allow-invalid" in result.stderr and ckan.requests == []
    result = publish(ckan, dist, "--allow-invalid")
    assert result.exit_code == 0, result.output
    assert len(ckan.app.packages["resolis"]["resources"]) == 4


def test_a_portal_that_is_not_ckan_is_named(ckan: LocalServer, dist: Path) -> None:
    ckan.fail(200, b"<html>a web page</html>")
    result = publish(ckan, dist)
    assert result.exit_code == 4
    assert "did not answer as CKAN's Action API does (check --url" in result.stderr
