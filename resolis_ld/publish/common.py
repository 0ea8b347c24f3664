"""What every target shares: the build read from dist/, the HTTP client and its errors, the summary.

Every target publishes what ``catalog.ttl`` describes, so the catalogue is read with rdflib and
the DCAT terms, not by file name: whatever distributions ``resolis-ld build`` lists are the dumps.
The checksums are recomputed from the files, so a catalogue older than its dumps is caught here,
before anything is sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from .. import __version__
from ..errors import InputError, PublishError, ValidationFailedError

SPDX = Namespace("http://spdx.org/rdf/terms#")
CATALOG = "catalog.ttl"
VALIDATION = "validation.json"
BUILD_FIRST = "run resolis-ld build first"


@dataclass(frozen=True)
class Dump:
    """One file of the build, as the catalogue describes it."""

    path: Path
    name: str
    title: str
    media_type: str
    format: str | None
    sha256: str
    size: int
    download_url: str | None = None

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class Build:
    """What a target publishes: the dataset's metadata, its dumps and the validation totals."""

    dist: Path
    dataset: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    keywords: tuple[str, ...]
    license: str | None
    dumps: tuple[Dump, ...]
    violations: int
    reports: int = 0
    publishable: int = 0
    identifier: str | None = None

    def title(self, language: str = "en") -> str:
        return _pick(self.titles, language) or self.dataset

    def description(self, language: str = "en") -> str:
        return _pick(self.descriptions, language) or ""

    def dump(self, media_type: str) -> Dump | None:
        """The first dump of this media type (``application/n-quads``, …)."""
        return next((d for d in self.dumps if d.media_type == media_type), None)


def _pick(texts: dict[str, str], language: str) -> str | None:
    for key in (language, "en", ""):
        if key in texts:
            return texts[key]
    return next(iter(sorted(texts.items())), (None, None))[1]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_build(dist: Path) -> Build:
    """Read ``dist/catalog.ttl`` and ``dist/validation.json``; check every dump against its file."""
    if not dist.is_dir():
        raise InputError(f"no such directory: {BUILD_FIRST} (or give --dist)", str(dist))
    catalog = _parse_catalog(dist / CATALOG)
    dataset = _the_dataset(catalog, dist / CATALOG)
    dumps = tuple(_dump(catalog, d, dist) for d in sorted(catalog.objects(dataset, DCAT.distribution), key=str))
    dumps = tuple(d for d in dumps if d is not None)
    if not dumps:
        raise InputError(f"the dataset has no distribution with a dcat:downloadURL: {BUILD_FIRST}", str(dist / CATALOG))
    totals = _validation_totals(dist / VALIDATION)
    return Build(
        dist=dist,
        dataset=str(dataset),
        titles=_texts(catalog, dataset, DCTERMS.title),
        descriptions=_texts(catalog, dataset, DCTERMS.description),
        keywords=tuple(sorted({str(k) for k in catalog.objects(dataset, DCAT.keyword)})),
        license=_first(catalog, dataset, DCTERMS.license),
        dumps=dumps,
        violations=totals.get("violations", 0),
        reports=totals.get("reports", 0),
        publishable=totals.get("publishable", 0),
        identifier=_first(catalog, dataset, DCTERMS.identifier),
    )


def check_publishable(build: Build, allow_invalid: bool) -> None:
    """Refuse a build whose validation found violations, unless the user said otherwise."""
    if build.violations and not allow_invalid:
        raise ValidationFailedError(
            f"{build.dist / VALIDATION}: validation found {build.violations} violation(s) "
            f"({build.publishable} of {build.reports} report(s) publishable); nothing was published: "
            "fix the reports and run resolis-ld build again, or publish anyway with --allow-invalid"
        )


def _parse_catalog(path: Path) -> Graph:
    if not path.is_file():
        raise InputError(f"missing: {BUILD_FIRST}", str(path))
    try:
        return Graph().parse(path, format="turtle")
    except Exception as error:  # rdflib raises many kinds on bad Turtle
        raise InputError(f"not readable Turtle ({one_line(error)}): {BUILD_FIRST}", str(path)) from None


def one_line(error: Exception, limit: int = 200) -> str:
    """A parser's error on one line: its messages span several."""
    text = f"{type(error).__name__}: {' '.join(str(error).split())}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _the_dataset(catalog: Graph, path: Path) -> URIRef:
    """The catalogue's dataset: the one a dcat:Catalog lists, else the only dcat:Dataset."""
    listed = sorted({d for d in catalog.objects(None, DCAT.dataset) if isinstance(d, URIRef)}, key=str)
    typed = sorted({d for d in catalog.subjects(RDF.type, DCAT.Dataset) if isinstance(d, URIRef)}, key=str)
    candidates = listed or typed
    if len(candidates) != 1:
        found = ", ".join(map(str, candidates)) or "none"
        raise InputError(f"expected one dcat:Dataset, found {found}: {BUILD_FIRST}", str(path))
    return candidates[0]


def _dump(catalog: Graph, distribution, dist: Path) -> Dump | None:
    url = _first(catalog, distribution, DCAT.downloadURL)
    if url is None:
        return None  # an access point such as a SPARQL endpoint: nothing to upload
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    path = dist / name
    where = str(dist / CATALOG)
    if not name or not path.is_file():
        raise InputError(f"{path}: missing, though the catalogue lists it: {BUILD_FIRST}", where)
    expected = _checksum(catalog, distribution)
    if expected is None:
        raise InputError(f"{name}: no SHA-256 spdx:checksum in the catalogue: {BUILD_FIRST}", where)
    actual = sha256_file(path)
    if actual != expected:
        raise InputError(
            f"{path}: its SHA-256 is {actual[:12]}…, the catalogue says {expected[:12]}…: the catalogue "
            "is stale; run resolis-ld build again", where,
        )
    media_type = _first(catalog, distribution, DCAT.mediaType) or ""
    media_type = media_type.split("/media-types/", 1)[-1]
    return Dump(
        path=path, name=name,
        title=_pick(_texts(catalog, distribution, DCTERMS.title), "en") or name,
        media_type=media_type or "application/octet-stream",
        format=_first(catalog, distribution, DCTERMS["format"]),
        sha256=actual, size=path.stat().st_size, download_url=url,
    )


def _checksum(catalog: Graph, distribution) -> str | None:
    for checksum in catalog.objects(distribution, SPDX.checksum):
        algorithm = catalog.value(checksum, SPDX.algorithm)
        value = catalog.value(checksum, SPDX.checksumValue)
        if value is not None and (algorithm is None or str(algorithm).lower().endswith("sha256")):
            return str(value).lower()
    return None


def _first(graph: Graph, subject, predicate) -> str | None:
    values = sorted(str(o) for o in graph.objects(subject, predicate))
    return values[0] if values else None


def _texts(graph: Graph, subject, predicate) -> dict[str, str]:
    texts: dict[str, str] = {}
    for value in sorted(graph.objects(subject, predicate), key=str):
        if isinstance(value, Literal):
            texts.setdefault(value.language or "", str(value))
    return texts


def _validation_totals(path: Path) -> dict[str, int]:
    if not path.is_file():
        raise InputError(f"missing: {BUILD_FIRST}", str(path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        totals = document["totals"]
        return {key: int(totals[key]) for key in ("violations", "reports", "publishable") if key in totals}
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"not a validation report (no totals: {error}): {BUILD_FIRST}", str(path)) from None


# -- HTTP: one session, timeouts, retries, and the error ladder ---------------------------------

USER_AGENT = f"resolis-ld/{__version__} (+https://github.com/resolis-ld/resolis-ld)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
HINTS = {
    401: "the portal refused the credentials",
    403: "the credentials may not do this: check them, and ask the portal's administrators for editor rights",
    404: "not found: check the URL and the dataset name",
    409: "the portal refused the data as it stands",
    413: "the file is larger than the portal accepts: ask its administrators to raise the upload limit",
}


@dataclass(frozen=True)
class RetryPolicy:
    """Retries after a failed connection, a 429 or a 5xx: wait backoff × 2ⁿ s, or Retry-After."""

    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 120.0

    def delay(self, attempt: int, response: requests.Response | None) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (attempts count from 1)."""
        wait = self.backoff * 2 ** (attempt - 1)
        if response is not None and response.headers.get("Retry-After"):
            wait = _retry_after(response.headers["Retry-After"], wait)
        return max(0.0, min(wait, self.max_wait))


def _retry_after(value: str, default: float) -> float:
    """Retry-After is seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return (when - datetime.now(timezone.utc)).total_seconds()


def make_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


class Http:
    """Sends one request at a time through one ``requests.Session``, retrying what is worth it.

    A 429 or a 5xx answer means the server did not do the work, so every method is retried; a
    read timeout is retried only for idempotent methods, since a POST may have been carried out.
    Redirects are not followed: credentials must not travel to another host, and the user should
    give the final address. Any other failure becomes a one-line ``PublishError``.
    """

    def __init__(
        self, portal: str, *, session: requests.Session | None = None, headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None, hints: dict[int, str] | None = None,
        timeout: tuple[float, float] = (10.0, 300.0), retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.portal = portal
        self.session = session or make_session()
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self.auth = auth
        self.hints = {**HINTS, **(hints or {})}
        self.timeout = timeout
        self.retry = retry
        self.sleep = sleep

    def request(self, method: str, url: str, *, what: str, allow: tuple[int, ...] = (), **kwargs) -> requests.Response:
        """Send; return a 2xx answer or one whose status is in ``allow``; raise PublishError otherwise."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        attempts = self.retry.retries + 1
        for attempt in range(1, attempts + 1):
            response = None
            try:
                response = self.session.request(
                    method, url, headers=headers, auth=self.auth, timeout=self.timeout,
                    allow_redirects=False, **kwargs,
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                retryable = not isinstance(error, requests.ReadTimeout) or method in IDEMPOTENT
                if not retryable or attempt == attempts:
                    tried = f"tried {attempt} time{'s' if attempt > 1 else ''}"
                    raise PublishError(
                        f"{self.portal}: {what}: cannot reach {_origin(url)}: {_reason(error)} "
                        f"({tried}; check the URL and the network)"
                    ) from None
            else:
                if response.status_code < 300 or response.status_code in allow:
                    return response
                if response.status_code not in RETRY_STATUSES or attempt == attempts:
                    raise self._error(method, url, what, response, attempt)
            self.sleep(self.retry.delay(attempt, response))
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, method: str, url: str, what: str, response: requests.Response, attempt: int) -> PublishError:
        status = response.status_code
        said = portal_message(response)
        if 300 <= status < 400:
            hint = f"redirected to {response.headers.get('Location', '?')}: give that address instead"
        elif status in RETRY_STATUSES:
            hint = f"still failing after {attempt} attempts: try again later"
        else:
            hint = self.hints.get(status, "the request was refused")
        quoted = f': "{said}"' if said else ""
        return PublishError(
            f"{self.portal}: {what}: {method} {url} answered {status} {response.reason or ''}".rstrip()
            + f"{quoted} ({hint})",
            response,
        )


def portal_message(response: requests.Response, limit: int = 300) -> str:
    """The portal's own words: CKAN's error.message and field errors, udata's message and errors, or the text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    parts: list[str] = []
    if isinstance(body, dict):
        if isinstance(body.get("error"), dict):  # CKAN: {"error": {"__type", "message", field: [...]}}
            error = body["error"]
            message = error.get("message")
            fields = {k: v for k, v in error.items() if k not in ("message", "__type")}
        else:  # udata: {"message", "errors": {field: [...]}}; others: {"error": "text"}
            message = body.get("message") or (body["error"] if isinstance(body.get("error"), str) else None)
            fields = body["errors"] if isinstance(body.get("errors"), dict) else {}
        parts += [str(message)] if message else []
        for key, value in sorted(fields.items()):
            parts.append(f"{key}: {'; '.join(map(str, value)) if isinstance(value, list) else value}")
    text = " ".join(parts) if parts else re.sub(r"<[^>]*>", " ", response.text or "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _reason(error: Exception) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    found = re.search(r"\[Errno -?\d+\] [^'\")]+", str(error))
    return found.group(0).strip() if found else "connection failed"


# -- what a run does: the plan (dry run) and the summary ------------------------------------------


@dataclass(frozen=True)
class PlannedRequest:
    """One request a run would send: what ``--dry-run`` prints."""

    method: str
    url: str
    what: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} — {self.what}"


@dataclass
class Summary:
    """What a run did, item by item: created, replaced, or left alone because it was unchanged."""

    target: str
    location: str
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
