"""Reading report pages over HTTP, safely: the only module that imports requests.

One ``requests.Session`` per ``Fetcher`` (injectable, for tests and for callers with their own
settings). Every request has connect and read timeouts; connection errors, 429 and 5xx answers
are retried with exponential backoff, honouring ``Retry-After`` up to a cap; redirects are
followed by hand so that each hop's scheme is checked (a redirect to ``file://`` is refused);
the body is streamed and cut at ``max_bytes``; only text and HTML are accepted. With a cache,
requests are conditional (``If-None-Match``, ``If-Modified-Since``) and a 304 answer is served
from it, keeping the time of the original download so that re-runs give the same bytes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from . import __version__
from .cache import Cache, CacheEntry
from .errors import FetchError, OutputError

if TYPE_CHECKING:
    import requests
# requests (and urllib3, ssl) take a tenth of a second to import: every command imports this
# module, few read a URL, so the functions that talk HTTP import it when they run.

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
REPORT_TYPES = ("text/plain", "text/html", "application/xhtml+xml")
USER_AGENT = f"resolis-ld/{__version__} (+https://github.com/resolis-ld/resolis-ld)"
ACCEPT = "text/plain, text/html;q=0.9, application/xhtml+xml;q=0.9"
SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """Limits and cache settings; the defaults suit a CI job reading a few pages."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0  # a server that trickles bytes cannot hold a run for ever
    max_bytes: int = DEFAULT_MAX_BYTES
    retries: int = 3  # attempts after the first, for connection errors, 429 and 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_wait: float = 60.0  # the longest wait before a retry, whatever Retry-After says
    max_redirects: int = 5
    cache_dir: Path | None = None
    refresh: bool = False  # download again, ignoring what the cache holds


@dataclass(frozen=True)
class Page:
    """A report page as read: its bytes, what the server said they are, and when they came."""

    url: str  # as given
    location: str  # as requested (percent-encoded by requests), for provenance
    content_type: str  # the Content-Type header, with its parameters
    body: bytes
    sha256: str
    retrieved: str  # when these bytes were first downloaded (xsd:dateTime, UTC)
    how: str  # "downloaded", "not modified (cache)", "unchanged (cache)"
    notes: tuple[str, ...] = field(default=())  # warnings, e.g. the cache could not be written

    @property
    def media_type(self) -> str:
        return media_type(self.content_type)[0]

    @property
    def charset(self) -> str | None:
        return media_type(self.content_type)[1]


def media_type(content_type: str) -> tuple[str, str | None]:
    """("text/html", "windows-1252") from "text/html; charset=Windows-1252"; text/plain when absent."""
    if not content_type.strip():
        return "text/plain", None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return message.get_content_type(), (charset.strip().lower() or None) if isinstance(charset, str) else None


def check_url(url: str) -> None:
    """Only absolute http(s) URLs are read."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        scheme = f"'{parts.scheme}'" if parts.scheme else "none"
        raise FetchError(f"unsupported URL scheme {scheme} (only http:// and https:// are read; give a local file by its path)", url)
    if not parts.hostname:
        raise FetchError("no host in this URL (write e.g. https://www.resolis.org/...)", url)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Fetcher:
    """Fetches report pages with one session, the limits of ``options`` and its cache."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.options = options or FetchOptions()
        self._session = session
        self.sleep = sleep or time.sleep
        self.clock = clock or _now
        self.cache = Cache(self.options.cache_dir) if self.options.cache_dir else None
        self.history: list[Page] = []  # the pages read, in order, for a verbose report

    @property
    def session(self) -> requests.Session:
        if self._session is None:  # only a run that reads a URL opens one
            import requests

            self._session = requests.Session()
        return self._session

    def fetch(self, url: str) -> Page:
        """The page at ``url``; raises ``FetchError`` with a one-line reason."""
        check_url(url)
        cached = self.cache.get(url) if self.cache else None
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
        if cached and not self.options.refresh:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        response, location = self._request(url, headers)
        with response:
            if response.status_code == 304:
                if cached is None or self.options.refresh:
                    raise FetchError("HTTP 304 Not Modified to a request that was not conditional (run again with --refresh)", url, 304)
                return self._record(_page(url, location, cached, "not modified (cache)"))
            self._check_status(url, response)
            content_type = response.headers.get("Content-Type", "")
            kind = media_type(content_type)[0]
            if kind not in REPORT_TYPES:
                raise FetchError(f"the server sent {kind}, not a report page (text/plain or text/html expected; check the URL)", url, response.status_code)
            body = self._read_body(url, response)
        digest = hashlib.sha256(body).hexdigest()
        if cached and cached.sha256 == digest and not self.options.refresh:
            retrieved, how = cached.retrieved, "unchanged (cache)"  # same bytes: same provenance
        else:
            retrieved, how = timestamp(self.clock()), "downloaded"
        entry = CacheEntry(
            url=url, content_type=content_type, retrieved=retrieved, sha256=digest, body=body,
            etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
        )
        notes: tuple[str, ...] = ()
        if self.cache:
            try:
                self.cache.put(entry)
            except OutputError as error:
                notes = (f"not cached: {error}",)
        return self._record(_page(url, location, entry, how, notes))

    def _record(self, page: Page) -> Page:
        self.history.append(page)
        return page

    # -- requests, redirects and retries ----------------------------------------------------

    def _request(self, url: str, headers: dict[str, str]) -> tuple[requests.Response, str]:
        """The final response (redirects followed) and the URL as requested, retrying connection
        errors, 429 and 5xx."""
        import requests

        attempts = self.options.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response, location = self._follow(url, headers)
            except requests.exceptions.ConnectionError as error:
                if attempt == attempts or isinstance(error, requests.exceptions.SSLError):
                    raise FetchError(_connection_problem(error, url, self.options, attempt), url) from None
                self.sleep(self._backoff(attempt))
                continue
            except requests.exceptions.Timeout:
                raise FetchError(f"no answer within {self.options.read_timeout:g} s (the server is slow or down: try again later or raise --timeout)", url) from None
            except requests.exceptions.RequestException as error:
                raise FetchError(f"cannot read this URL: {_first_line(error)} (check the URL)", url) from None
            status = response.status_code
            if (status == 429 or status >= 500) and attempt < attempts:
                wait = _retry_after(response.headers.get("Retry-After"), self.clock())
                response.close()
                self.sleep(min(wait if wait is not None else self._backoff(attempt), self.options.max_wait))
                continue
            return response, location
        raise AssertionError("unreachable")  # pragma: no cover

    def _follow(self, url: str, headers: dict[str, str]) -> tuple[requests.Response, str]:
        current = url
        for _ in range(self.options.max_redirects + 1):
            response = self.session.get(
                current, headers=headers, stream=True, allow_redirects=False,
                timeout=(self.options.connect_timeout, self.options.read_timeout),
            )
            location = response.headers.get("Location")
            if response.status_code not in _REDIRECTS or not location:
                return response, response.url or current
            response.close()
            target = urljoin(response.url or current, location)
            if urlsplit(target).scheme.lower() not in SCHEMES:
                raise FetchError(f"redirected to {target}, which is not an http(s) URL: refused (only http:// and https:// are read)", url)
            current = target
        raise FetchError(f"more than {self.options.max_redirects} redirects (the site redirects in a loop; check the URL)", url)

    def _backoff(self, attempt: int) -> float:
        return min(self.options.backoff * 2 ** (attempt - 1), self.options.max_wait)

    def _check_status(self, url: str, response: requests.Response) -> None:
        status, reason = response.status_code, response.reason or ""
        said = f"HTTP {status} {reason}".strip()
        attempts = _after(self.options.retries + 1)
        if 200 <= status < 300:
            return
        if status in (404, 410):
            raise FetchError(f"not found ({said}; check the URL)", url, status)
        if status in (401, 403):
            raise FetchError(f"access refused ({said}; the page is not public)", url, status)
        if status == 429:
            raise FetchError(f"too many requests ({said}){attempts} (try again later)", url, status)
        if status >= 500:
            raise FetchError(f"server error ({said}){attempts} (try again later)", url, status)
        raise FetchError(f"unexpected answer {said} (check the URL)", url, status)

    def _read_body(self, url: str, response: requests.Response) -> bytes:
        import requests

        limit = self.options.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise FetchError(f"the page is {int(length)} bytes, more than the limit of {limit} (raise --max-bytes)", url)
        deadline = time.monotonic() + self.options.total_timeout
        body = bytearray()
        try:
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise FetchError(f"the page is larger than the limit of {limit} bytes (raise --max-bytes)", url)
                if time.monotonic() > deadline:
                    raise FetchError(f"the download took more than {self.options.total_timeout:g} s (the server is too slow; try again later)", url)
        except requests.exceptions.RequestException as error:
            raise FetchError(f"the connection broke while reading the page: {_first_line(error)} (try again later or raise --timeout)", url) from None
        return bytes(body)


def _page(url: str, location: str, entry: CacheEntry, how: str, notes: tuple[str, ...] = ()) -> Page:
    return Page(url, location, entry.content_type, entry.body, entry.sha256, entry.retrieved, how, notes)


def _after(attempts: int) -> str:
    return f" after {attempts} attempts" if attempts > 1 else ""


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max((moment - now).total_seconds(), 0.0)


def _connection_problem(error: requests.exceptions.ConnectionError, url: str, options: FetchOptions, attempts: int) -> str:
    """What went wrong, for a user: DNS, refusal, timeout or TLS."""
    import requests

    host = urlsplit(url).hostname or url
    text, after = repr(error), _after(attempts)
    if isinstance(error, requests.exceptions.SSLError):
        return f"TLS error with {host}: {_first_line(error)} (check the URL; the certificate may be invalid)"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"no connection to {host} within {options.connect_timeout:g} s{after} (the server is unreachable: check the URL, or raise --timeout)"
    if any(word in text for word in ("NameResolutionError", "Name or service not known", "nodename nor servname", "getaddrinfo failed", "name resolution", "No address associated")):
        return f"host {host} not found{after} (check the URL and your network)"
    if "refused" in text.lower():
        return f"connection refused by {host}{after} (is the server up? check the URL and port)"
    return f"cannot connect to {host}{after}: {_first_line(error)} (check the URL and your network)"


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
