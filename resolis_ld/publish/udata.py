"""udata (data.gouv.fr): one dataset whose resources are the build's dumps, through API v1.

``GET /api/1/datasets/{slug or id}/``, then ``POST /api/1/datasets/`` (create) or ``PUT`` (update
the metadata that differ), then each dump uploaded with ``POST …/upload/`` or replaced in place
with ``POST …/resources/{rid}/upload/``, matched by title. udata computes each upload's
``checksum`` ({type, value}) itself; the dump is hashed with that algorithm to compare, so an
unchanged dump is left alone whatever algorithm the portal uses.

data.gouv.fr accepts only whitelisted file extensions (``ALLOWED_RESOURCES_EXTENSIONS``: json and
gz are in, jsonld, ttl, nt and nq are not). So ``resolis.jsonld`` is uploaded, byte for byte, as
``resolis.json``; compressed dumps (``.gz``) keep their name; any other file whose extension is not
on the list (``resolis.ttl``) is gzip-compressed, reproducibly, and uploaded as ``resolis.ttl.gz``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import requests

from ..errors import PublishError
from .common import Build, Dump, Http, PlannedRequest, Summary

KEY_ENV = "RESOLIS_UDATA_API_KEY"
LICENSE = "cc-by"
HINTS = {
    401: f"the portal refused the API key: check {KEY_ENV}",
    403: f"the key's user may not edit this dataset: check {KEY_ENV}, or ask to join the dataset's organization",
    404: "not found: check --url and --dataset",
}
# udata's default ALLOWED_RESOURCES_EXTENSIONS, the part a dump could use
ALLOWED_EXTENSIONS = frozenset({"csv", "txt", "json", "xml", "rdf", "gz", "zip", "xz", "bz2", "tar", "tgz", "7z", "owl", "sql"})
RENAMES = {".jsonld": ".json"}


@dataclass(frozen=True)
class Upload:
    """A dump as the portal receives it: a whitelisted name and, for some, compressed bytes."""

    dump: Dump
    name: str
    data: bytes
    media_type: str

    def digest(self, algorithm: str) -> str | None:
        try:
            return hashlib.new(algorithm.replace("-", "").lower(), self.data).hexdigest()
        except ValueError:
            return None


def upload_name(name: str) -> str:
    """The name data.gouv.fr accepts for a dump: see the module's docstring."""
    for old, new in RENAMES.items():
        if name.endswith(old):
            return name[: -len(old)] + new
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return name if extension in ALLOWED_EXTENSIONS else name + ".gz"


def prepare_upload(dump: Dump) -> Upload:
    name = upload_name(dump.name)
    if name == dump.name + ".gz":
        buffer = io.BytesIO()
        # mtime=0 and no file name inside: the same dump always gives the same bytes and checksum
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as stream:
            stream.write(dump.read())
        return Upload(dump, name, buffer.getvalue(), "application/gzip")
    return Upload(dump, name, dump.read(), "application/json" if name.endswith(".json") else dump.media_type)


def api_url(url: str, path: str) -> str:
    return f"{url.rstrip('/')}/api/1/{path}"


def dataset_metadata(build: Build, organization: str | None = None) -> dict[str, Any]:
    """The catalogue record as udata fields: French first, since data.gouv.fr is read in French."""
    description = "\n\n".join(t for t in dict.fromkeys((build.description("fr"), build.description("en"))) if t)
    metadata: dict[str, Any] = {
        "title": build.title("fr"), "description": description, "license": LICENSE,
        "tags": udata_tags(build.keywords),
    }
    if organization:
        metadata["organization"] = organization
    return metadata


def udata_tags(keywords: tuple[str, ...]) -> list[str]:
    """Tags as udata stores them (slugs of 3 to 96 characters), so a re-run compares like with like."""
    tags = set()
    for keyword in keywords:
        ascii_ = unicodedata.normalize("NFKD", keyword).encode("ascii", "ignore").decode()
        tag = "-".join(re.findall(r"[a-z0-9]+", ascii_.lower()))[:96]
        if len(tag) >= 3:
            tags.add(tag)
    return sorted(tags)


def plan_udata(build: Build, url: str, dataset: str, organization: str | None = None) -> list[PlannedRequest]:
    """The requests a run may send, without sending any: what ``--dry-run`` prints."""
    plan = [
        PlannedRequest("GET", api_url(url, f"datasets/{dataset}/"), f"look up dataset {dataset}"),
        PlannedRequest("POST", api_url(url, "datasets/"), "create the dataset if it does not exist"
                       + (f", in organization {organization}" if organization else "")),
        PlannedRequest("PUT", api_url(url, "datasets/{id}/"), f"else update its metadata if it differs from {build.dist}/catalog.ttl"),
    ]
    for dump in build.dumps:
        name = upload_name(dump.name)
        plan.append(PlannedRequest("POST", api_url(url, "datasets/{id}/upload/"), f"upload {dump.name} as {name} if no resource is titled {name}"))
        plan.append(PlannedRequest("POST", api_url(url, "datasets/{id}/resources/{rid}/upload/"), "else replace its file unless its checksum matches"))
        plan.append(PlannedRequest("PUT", api_url(url, "datasets/{id}/resources/{rid}/"), "then set its title and description after an upload"))
    return plan


def publish_udata(build: Build, http: Http, url: str, dataset: str, organization: str | None = None) -> Summary:
    """Create or update the dataset, then upload each dump that is new or changed."""
    found = _call(http, "GET", api_url(url, f"datasets/{dataset}/"), f"look up dataset {dataset}", allow=(404,))
    wanted = dataset_metadata(build, organization)
    if found is None:
        found = _call(http, "POST", api_url(url, "datasets/"), "create the dataset", json=wanted)
        summary = Summary("udata", found.get("page") or api_url(url, f"datasets/{found['id']}/"))
        summary.created.append(f"dataset {found.get('slug') or found['id']} (id {found['id']})")
        if dataset not in (found.get("slug"), found["id"]):
            summary.notes.append(f"the portal named the new dataset {found.get('slug')}: pass --dataset {found['id']} next time")
    else:
        summary = Summary("udata", found.get("page") or api_url(url, f"datasets/{found['id']}/"))
        changes = _changes(found, wanted)
        if changes:
            found = _call(http, "PUT", api_url(url, f"datasets/{found['id']}/"), f"update dataset {dataset}", json=changes)
            summary.replaced.append(f"dataset {dataset} metadata ({', '.join(sorted(changes))})")
        else:
            summary.unchanged.append(f"dataset {dataset} metadata")
    dataset_id = found["id"]
    resources: dict[str, dict] = {}
    for resource in found.get("resources") or []:
        resources.setdefault(resource.get("title"), resource)
    for dump in build.dumps:
        upload = prepare_upload(dump)
        existing = resources.get(upload.name)
        checksum = (existing or {}).get("checksum") or {}
        if existing is not None and checksum.get("value") and upload.digest(str(checksum.get("type"))) == str(checksum["value"]).lower():
            summary.unchanged.append(f"resource {upload.name} ({checksum['type']} {checksum['value'][:12]}…)")
            continue
        files = {"file": (upload.name, upload.data, upload.media_type)}
        if existing is None:
            path, verb, done = f"datasets/{dataset_id}/upload/", "upload", summary.created
        else:
            path, verb, done = f"datasets/{dataset_id}/resources/{existing['id']}/upload/", "replace", summary.replaced
        resource = _call(http, "POST", api_url(url, path), f"{verb} {upload.name}", files=files)
        fields = {"title": upload.name, "description": _resource_description(upload)}
        if any(resource.get(k) != v for k, v in fields.items()):
            _call(http, "PUT", api_url(url, f"datasets/{dataset_id}/resources/{resource['id']}/"),
                  f"describe {upload.name}", json={**fields, "filetype": "file"})
        done.append(f"resource {upload.name}" + (f" (from {dump.name})" if upload.name != dump.name else ""))
    return summary


def _resource_description(upload: Upload) -> str:
    how = " (gzip-compressed)" if upload.name == upload.dump.name + ".gz" else ""
    return f"{upload.dump.title}: {upload.dump.name}{how}, {upload.dump.media_type}."


def _changes(found: dict, wanted: dict[str, Any]) -> dict[str, Any]:
    changes = {k: wanted[k] for k in ("title", "description", "license") if (found.get(k) or "") != wanted[k]}
    if sorted(found.get("tags") or []) != wanted["tags"]:
        changes["tags"] = wanted["tags"]
    organization = found.get("organization") or {}
    if "organization" in wanted and wanted["organization"] not in (organization.get("id"), organization.get("slug")):
        changes["organization"] = wanted["organization"]
    return changes


def _call(http: Http, method: str, url: str, what: str, *, allow: tuple[int, ...] = (), **kwargs) -> dict | None:
    response = http.request(method, url, what=what, allow=allow, **kwargs)
    if response.status_code in allow:
        return None
    try:
        body = response.json()
    except requests.JSONDecodeError:
        body = None
    if not isinstance(body, dict) or "id" not in body:
        raise PublishError(
            f"udata: {what}: {method} {url} did not answer as udata's API does "
            "(check --url: it is the site's root, e.g. https://www.data.gouv.fr)", response,
        )
    return body
