"""CKAN: one dataset (a "package") whose resources are the build's dumps, through the Action API.

``package_show``, then ``package_create`` or ``package_patch`` with the catalogue's metadata, then
each dump uploaded with ``resource_create`` or replaced in place with ``resource_patch``, matched by
name. A resource's ``hash`` holds the SHA-256 of the file it was uploaded from: CKAN does not
compute it, so it is ours to keep, and an unchanged dump is left alone on the next run.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from ..errors import PublishError
from .common import Build, Dump, Http, PlannedRequest, Summary

TOKEN_ENV = "RESOLIS_CKAN_TOKEN"
LICENSE_ID = "cc-by"  # CKAN's default licence list: "Creative Commons Attribution"
HINTS = {  # CKAN answers 403, not 401, to a token it does not know
    401: f"the portal refused the token: check {TOKEN_ENV}",
    403: f"check the token in {TOKEN_ENV}, and that its user may edit the dataset or its organization",
    404: "not found: check --url (the site's root)",
}
# CKAN's resource "format" is a short label users read; the IANA type goes into "mimetype"
FORMAT_LABELS = {
    "text/turtle": "Turtle", "application/ld+json": "JSON-LD", "application/n-triples": "N-Triples",
    "application/n-quads": "N-Quads", "application/rdf+xml": "RDF/XML", "application/gzip": "GZIP",
    "application/json": "JSON", "text/plain": "TXT",
}
TAG_CHARACTERS = re.compile(r"[^\w .\-]+")  # CKAN tags: letters, digits, spaces, "-", "_" and "."


def action_url(url: str, action: str) -> str:
    return f"{url.rstrip('/')}/api/3/action/{action}"


def package_metadata(build: Build) -> dict[str, Any]:
    """The catalogue record as CKAN package fields (``uri`` is the extra ckanext-dcat reads)."""
    notes = "\n\n".join(t for t in (build.description("en"), _other(build.descriptions)) if t)
    return {
        "title": build.title("en"),
        "notes": notes,
        "license_id": LICENSE_ID,
        "tags": [{"name": tag} for tag in ckan_tags(build.keywords)],
        "extras": [{"key": "uri", "value": build.dataset}],
    }


def _other(descriptions: dict[str, str]) -> str:
    """The French description under the English one: CKAN's notes hold one text."""
    english = descriptions.get("en")
    return next((text for lang, text in sorted(descriptions.items()) if lang != "en" and text != english), "")


def ckan_tags(keywords: tuple[str, ...]) -> list[str]:
    tags = {" ".join(TAG_CHARACTERS.sub(" ", keyword).split())[:100] for keyword in keywords}
    return sorted(tag for tag in tags if len(tag) >= 2)


def resource_fields(dump: Dump) -> dict[str, str]:
    return {
        "name": dump.name, "description": dump.title,
        "format": FORMAT_LABELS.get(dump.media_type, dump.media_type), "mimetype": dump.media_type,
        "hash": dump.sha256, "size": str(dump.size),
    }


def plan_ckan(build: Build, url: str, dataset: str, organization: str | None = None) -> list[PlannedRequest]:
    """The requests a run may send, without sending any: what ``--dry-run`` prints."""
    owner = f" in organization {organization}" if organization else ""
    plan = [
        PlannedRequest("GET", action_url(url, "package_show") + f"?id={dataset}", f"look up dataset {dataset}"),
        PlannedRequest("POST", action_url(url, "package_create"), f"create dataset {dataset}{owner} if it does not exist"),
        PlannedRequest("POST", action_url(url, "package_patch"), f"else update its metadata if it differs from {build.dist}/catalog.ttl"),
    ]
    for dump in build.dumps:
        what = f"upload {dump.name} ({dump.size} bytes, sha256 {dump.sha256[:12]}…)"
        plan.append(PlannedRequest("POST", action_url(url, "resource_create"), f"{what} if no resource is named {dump.name}"))
        plan.append(PlannedRequest("POST", action_url(url, "resource_patch"), f"else replace its file unless its hash is already {dump.sha256[:12]}…"))
    return plan


def publish_ckan(build: Build, http: Http, url: str, dataset: str, organization: str | None = None) -> Summary:
    """Create or update the dataset, then upload each dump that is new or changed."""
    summary = Summary("CKAN", f"{url.rstrip('/')}/dataset/{dataset}")
    package = _action(http, url, "package_show", f"look up dataset {dataset}", params={"id": dataset}, allow=(404,))
    wanted = package_metadata(build)
    if package is None:
        body = {"name": dataset, **wanted, **({"owner_org": organization} if organization else {})}
        package = _action(http, url, "package_create", f"create dataset {dataset}", json=body)
        summary.created.append(f"dataset {dataset}")
    else:
        changes = _changes(package, wanted, organization)
        if changes:
            package = _action(http, url, "package_patch", f"update dataset {dataset}", json={"id": package["id"], **changes})
            summary.replaced.append(f"dataset {dataset} metadata ({', '.join(sorted(changes))})")
        else:
            summary.unchanged.append(f"dataset {dataset} metadata")
    resources: dict[str, dict] = {}
    for resource in package.get("resources") or []:
        resources.setdefault(resource.get("name"), resource)
    for dump in build.dumps:
        existing = resources.get(dump.name)
        upload = {"upload": (dump.name, dump.read(), dump.media_type)}
        if existing is None:
            fields = {"package_id": package["id"], **resource_fields(dump)}
            _action(http, url, "resource_create", f"upload {dump.name}", data=fields, files=upload)
            summary.created.append(f"resource {dump.name}")
        elif _sha256(existing) == dump.sha256:
            summary.unchanged.append(f"resource {dump.name} (sha256 {dump.sha256[:12]}…)")
        else:
            fields = {"id": existing["id"], **resource_fields(dump)}
            _action(http, url, "resource_patch", f"replace {dump.name}", data=fields, files=upload)
            summary.replaced.append(f"resource {dump.name}")
    return summary


def _changes(package: dict, wanted: dict[str, Any], organization: str | None) -> dict[str, Any]:
    """Only the fields that differ; other extras the portal holds are kept."""
    changes = {}
    for key in ("title", "notes", "license_id"):
        if (package.get(key) or "") != wanted[key]:
            changes[key] = wanted[key]
    if sorted(t.get("name") for t in package.get("tags") or []) != [t["name"] for t in wanted["tags"]]:
        changes["tags"] = wanted["tags"]
    extras = {e.get("key"): e.get("value") for e in package.get("extras") or []}
    if extras.get("uri") != wanted["extras"][0]["value"]:
        extras["uri"] = wanted["extras"][0]["value"]
        changes["extras"] = [{"key": k, "value": v} for k, v in sorted(extras.items())]
    org = package.get("organization") or {}
    if organization and organization not in (package.get("owner_org"), org.get("name"), org.get("id")):
        changes["owner_org"] = organization
    return changes


def _sha256(resource: dict) -> str:
    value = str(resource.get("hash") or "").strip().lower()
    return value.removeprefix("sha256:")


def _action(http: Http, url: str, action: str, what: str, *, allow: tuple[int, ...] = (), **kwargs) -> dict | None:
    """Call one action; its ``result``, or None for an allowed error status."""
    method = "GET" if action == "package_show" else "POST"
    response = http.request(method, action_url(url, action), what=what, allow=allow, **kwargs)
    if response.status_code in allow:
        return None
    try:
        body = response.json()
    except requests.JSONDecodeError:
        body = None
    if not isinstance(body, dict) or not body.get("success") or not isinstance(body.get("result"), dict):
        raise PublishError(
            f"CKAN: {what}: {method} {action_url(url, action)} did not answer as CKAN's Action API does "
            "(check --url: it is the site's root, e.g. https://demo.ckan.org)", response,
        )
    return body["result"]
