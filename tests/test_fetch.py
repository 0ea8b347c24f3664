"""resolis_ld.fetch, cache and remote against a local HTTP server: what is asked, what is refused.

Each test drives a ``Fetcher`` with an injected ``requests.Session``, a recording ``sleep`` and a
fixed clock, and asserts the requests the server saw (method, path, headers) and the outcome.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
from conftest import DATA, REPORTS
from local_server import LocalServer, Reply, conditional, sequence, static

from resolis_ld import __version__
from resolis_ld.cache import Cache
from resolis_ld.errors import FetchError, ParseError
from resolis_ld.fetch import Fetcher, FetchOptions, media_type
from resolis_ld.remote import read_url, report_file_name, report_file_names, report_text

PARENTS = (REPORTS / "002_e8fb812dc0f34af1.txt").read_bytes()
PARENTS_HTML = (DATA / "html" / "002_e8fb812dc0f34af1.html").read_bytes()
T0 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a proxy in the environment must not see these
    local = LocalServer().start()
    yield local
    local.stop()


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def make(tmp_path: Path, waits: list[float]):
    """A Fetcher with a fresh session, a recording sleep and a clock; options by keyword."""
    sessions = []

    def build(**options) -> Fetcher:
        options.setdefault("cache_dir", tmp_path / "cache")
        options.setdefault("connect_timeout", 2.0)
        options.setdefault("read_timeout", 2.0)
        session = requests.Session()
        sessions.append(session)
        return Fetcher(FetchOptions(**options), session=session, sleep=waits.append, clock=Clock())

    yield build
    for session in sessions:
        session.close()


# -- a page, its headers and the cache ----------------------------------------------------------


def test_text_page_and_the_request_it_took(server: LocalServer, make):
    server.routes["/r.txt"] = static(PARENTS, "text/plain")
    page = make().fetch(server.url("/r.txt"))
    assert page.body == PARENTS and page.media_type == "text/plain" and page.charset is None
    assert page.sha256 == hashlib.sha256(PARENTS).hexdigest()
    assert page.retrieved == "2024-05-01T10:00:00Z" and page.how == "downloaded"
    [request] = server.requests
    assert (request.method, request.path) == ("GET", "/r.txt")
    assert request.headers["user-agent"].startswith(f"resolis-ld/{__version__} ")
    assert "text/plain" in request.headers["accept"] and "text/html" in request.headers["accept"]
    assert "if-none-match" not in request.headers and "if-modified-since" not in request.headers


def test_etag_second_fetch_is_conditional_and_gets_no_body(server: LocalServer, make):
    server.routes["/r.txt"] = conditional(PARENTS, "text/plain", etag='"v1"')
    first = make().fetch(server.url("/r.txt"))
    fetcher = make()
    fetcher.clock.now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    second = fetcher.fetch(server.url("/r.txt"))
    assert [r.headers.get("if-none-match") for r in server.requests] == [None, '"v1"']
    assert [r.body_sent for r in server.requests] == [True, False]
    assert second.body == PARENTS and second.how == "not modified (cache)"
    assert second.retrieved == first.retrieved == "2024-05-01T10:00:00Z"  # the original download's time


def test_last_modified_second_fetch_is_conditional(server: LocalServer, make):
    stamp = "Wed, 01 May 2024 08:00:00 GMT"
    server.routes["/r.txt"] = conditional(PARENTS, "text/plain", last_modified=stamp)
    make().fetch(server.url("/r.txt"))
    second = make().fetch(server.url("/r.txt"))
    assert server.requests[1].headers.get("if-modified-since") == stamp
    assert not server.requests[1].body_sent and second.body == PARENTS


def test_refresh_ignores_the_cache(server: LocalServer, make):
    server.routes["/r.txt"] = conditional(PARENTS, "text/plain", etag='"v1"')
    make().fetch(server.url("/r.txt"))
    fetcher = make(refresh=True)
    fetcher.clock.now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    page = fetcher.fetch(server.url("/r.txt"))
    assert "if-none-match" not in server.requests[1].headers and server.requests[1].body_sent
    assert page.how == "downloaded" and page.retrieved == "2030-01-01T00:00:00Z"


def test_same_bytes_without_validators_keep_the_first_retrieval_time(server: LocalServer, make):
    server.routes["/r.txt"] = static(PARENTS, "text/plain")
    make().fetch(server.url("/r.txt"))
    fetcher = make()
    fetcher.clock.now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    page = fetcher.fetch(server.url("/r.txt"))
    assert page.retrieved == "2024-05-01T10:00:00Z" and page.how == "unchanged (cache)"


def test_changed_page_is_downloaded_again(server: LocalServer, make):
    server.routes["/r.txt"] = conditional(PARENTS, "text/plain", etag='"v1"')
    make().fetch(server.url("/r.txt"))
    server.routes["/r.txt"] = conditional(PARENTS + b"\nMore.\n", "text/plain", etag='"v2"')
    fetcher = make()
    fetcher.clock.now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    page = fetcher.fetch(server.url("/r.txt"))
    assert page.body.endswith(b"More.\n") and page.retrieved == "2030-01-01T00:00:00Z"
    assert make().cache.get(server.url("/r.txt")).etag == '"v2"'


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other-url", "empty"])
def test_a_corrupted_cache_entry_is_ignored(server: LocalServer, make, tmp_path: Path, damage: str):
    server.routes["/r.txt"] = conditional(PARENTS, "text/plain", etag='"v1"')
    url = server.url("/r.txt")
    make().fetch(url)
    entry = Cache(tmp_path / "cache").path(url)
    data = entry.read_bytes()
    entry.write_bytes({
        "truncate": data[:-10], "garbage": b"\x00\xff not json\n" + data, "empty": b"",
        "other-url": data.replace(url.encode(), b"http://elsewhere/"),
    }[damage])
    page = make().fetch(url)
    assert "if-none-match" not in server.requests[1].headers  # nothing trusted from the entry
    assert page.body == PARENTS and Cache(tmp_path / "cache").get(url) is not None  # and it is rewritten


def test_an_unwritable_cache_is_a_note_not_a_failure(server: LocalServer, make, tmp_path: Path):
    (tmp_path / "blocker").write_text("a file where the cache directory should be")
    server.routes["/r.txt"] = static(PARENTS, "text/plain")
    page = make(cache_dir=tmp_path / "blocker" / "cache").fetch(server.url("/r.txt"))
    assert page.body == PARENTS and len(page.notes) == 1 and "not cached" in page.notes[0]


def test_without_a_cache_nothing_is_written(server: LocalServer, make, tmp_path: Path):
    server.routes["/r.txt"] = static(PARENTS, "text/plain")
    assert make(cache_dir=None).fetch(server.url("/r.txt")).body == PARENTS
    assert not (tmp_path / "cache").exists()


def test_http_redirect_is_followed(server: LocalServer, make):
    server.routes["/old"] = lambda request: Reply(301, b"", None, {"Location": "/r.txt"})
    server.routes["/r.txt"] = static(PARENTS, "text/plain")
    page = make().fetch(server.url("/old"))
    assert page.body == PARENTS and page.location == server.url("/r.txt")
    assert [r.path for r in server.requests] == ["/old", "/r.txt"]


# -- retries ------------------------------------------------------------------------------------


def test_503_then_success_is_retried_with_backoff(server: LocalServer, make, waits: list[float]):
    server.routes["/r.txt"] = sequence(Reply(503, b"busy"), Reply(503, b"busy"), Reply(200, PARENTS, "text/plain"))
    page = make(backoff=0.5).fetch(server.url("/r.txt"))
    assert page.body == PARENTS and len(server.requests) == 3
    assert waits == [0.5, 1.0]


def test_429_honours_retry_after(server: LocalServer, make, waits: list[float]):
    server.routes["/r.txt"] = sequence(Reply(429, b"slow down", headers={"Retry-After": "2"}), Reply(200, PARENTS, "text/plain"))
    assert make().fetch(server.url("/r.txt")).body == PARENTS
    assert waits == [2.0]


def test_retry_after_as_a_date_and_capped(server: LocalServer, make, waits: list[float]):
    later = "Wed, 01 May 2024 10:00:05 GMT"  # 5 s after the fixed clock
    server.routes["/r.txt"] = sequence(
        Reply(503, b"", headers={"Retry-After": later}), Reply(503, b"", headers={"Retry-After": "3600"}),
        Reply(200, PARENTS, "text/plain"),
    )
    make(max_wait=30).fetch(server.url("/r.txt"))
    assert waits == [5.0, 30.0]


def test_server_errors_give_up_after_the_retries(server: LocalServer, make, waits: list[float]):
    server.routes["/r.txt"] = lambda request: Reply(503, b"down")
    with pytest.raises(FetchError) as caught:
        make(retries=2, backoff=0.1).fetch(server.url("/r.txt"))
    assert len(server.requests) == 3 and waits == [0.1, 0.2]
    assert "server error (HTTP 503 Service Unavailable) after 3 attempts (try again later)" in str(caught.value)
    assert str(caught.value).startswith(server.url("/r.txt") + ": error: ")


def test_connection_refused_is_retried_then_named(make, waits: list[float]):
    url = _closed_port_url()
    with pytest.raises(FetchError) as caught:
        make(retries=2, backoff=0.1).fetch(url)
    assert waits == [0.1, 0.2]
    assert f"{url}: error: connection refused by 127.0.0.1 after 3 attempts" in str(caught.value)


def test_dns_failure_names_the_host(make):
    with pytest.raises(FetchError, match=r"host nowhere\.invalid not found .*check the URL"):
        make(retries=0).fetch("http://nowhere.invalid/report.txt")


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status, why", [
    (404, "not found (HTTP 404 Not Found; check the URL)"),
    (410, "not found (HTTP 410 Gone"),
    (403, "access refused (HTTP 403 Forbidden"),
    (418, "unexpected answer HTTP 418"),
])
def test_http_errors(server: LocalServer, make, status: int, why: str):
    server.routes["/r.txt"] = lambda request: Reply(status, b"no")
    with pytest.raises(FetchError) as caught:
        make().fetch(server.url("/r.txt"))
    assert why in str(caught.value) and caught.value.status == status
    assert len(server.requests) == 1  # not retried


def test_slow_server_times_out(server: LocalServer, make):
    server.routes["/slow"] = lambda request: Reply(200, PARENTS, delay=3)
    with pytest.raises(FetchError, match=r"no answer within 0\.3 s .*raise --timeout"):
        make(read_timeout=0.3).fetch(server.url("/slow"))


@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "no-content-length"])
def test_oversized_body_is_refused(server: LocalServer, make, with_length: bool):
    server.routes["/big"] = lambda request: Reply(200, b"x" * 300_000, "text/plain", content_length=with_length)
    with pytest.raises(FetchError) as caught:
        make(max_bytes=100_000).fetch(server.url("/big"))
    message = str(caught.value)
    assert ("300000 bytes, more than the limit of 100000" if with_length else "larger than the limit of 100000 bytes") in message
    assert "raise --max-bytes" in message


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/report.txt"])
def test_redirect_to_another_scheme_is_refused(server: LocalServer, make, target: str):
    server.routes["/r.txt"] = lambda request: Reply(302, b"", None, {"Location": target})
    with pytest.raises(FetchError, match=f"redirected to {target}, which is not an http\\(s\\) URL: refused"):
        make().fetch(server.url("/r.txt"))
    assert len(server.requests) == 1


def test_redirect_loop_stops(server: LocalServer, make):
    server.routes["/loop"] = lambda request: Reply(302, b"", None, {"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 2 redirects"):
        make(max_redirects=2).fetch(server.url("/loop"))
    assert len(server.requests) == 3


@pytest.mark.parametrize("url, why", [
    ("ftp://example.org/r.txt", "unsupported URL scheme 'ftp'"),
    ("file:///etc/passwd", "unsupported URL scheme 'file'"),
    ("http:///r.txt", "no host in this URL"),
])
def test_other_schemes_are_refused_before_any_request(make, url: str, why: str):
    with pytest.raises(FetchError, match=why):
        make().fetch(url)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json; charset=utf-8"])
def test_wrong_content_type_is_refused_with_its_name(server: LocalServer, make, content_type: str):
    server.routes["/r"] = static(b"%PDF-1.4", content_type)
    with pytest.raises(FetchError) as caught:
        make().fetch(server.url("/r"))
    assert f"the server sent {content_type.split(';')[0]}, not a report page" in str(caught.value)


# -- decoding and parsing -----------------------------------------------------------------------


def test_media_type():
    assert media_type("text/HTML; Charset=Windows-1252") == ("text/html", "windows-1252")
    assert media_type("") == ("text/plain", None)


def test_windows_1252_page_is_read_by_its_declared_charset(server: LocalServer, make):
    data = PARENTS.decode("utf-8").encode("cp1252")
    server.routes["/r.txt"] = static(data, "text/plain; charset=windows-1252")
    parsed = read_url(server.url("/r.txt"), make())
    assert parsed.report.organisation.address.street.value == "5 Impasse du Moulin à Vent"
    assert parsed.warnings == ()  # declared, so no guessing and no warning
    assert parsed.report.source.sha256 == hashlib.sha256(data).hexdigest()


def test_windows_1252_html_page_with_meta_charset(server: LocalServer, make):
    data = PARENTS_HTML.decode("utf-8").replace('<meta charset="utf-8">', '<meta charset="windows-1252">').encode("cp1252")
    server.routes["/r.html"] = static(data, "text/html")
    parsed = read_url(server.url("/r.html"), make())
    assert parsed.report.title.value == "Time for Parents Training Sessions"
    assert "Sénart" in parsed.report.funding.written and parsed.warnings == ()


def test_undeclared_windows_1252_is_guessed_with_a_warning(server: LocalServer, make):
    server.routes["/r.txt"] = static(PARENTS.decode("utf-8").encode("cp1252"), "text/plain")
    parsed = read_url(server.url("/r.txt"), make())
    assert "Sénart" in parsed.report.funding.written
    assert [str(w) for w in parsed.warnings] == [f"{server.url('/r.txt')}: warning: no charset declared and not UTF-8: read as windows-1252"]


def test_a_wrong_declared_charset_falls_back_with_a_warning(server: LocalServer, make):
    server.routes["/r.txt"] = static(PARENTS.decode("utf-8").encode("cp1252"), "text/plain; charset=utf-8")
    parsed = read_url(server.url("/r.txt"), make())
    assert "Sénart" in parsed.report.funding.written
    assert "not valid utf-8 as the server declares" in parsed.warnings[0].message


def test_html_page_converts_like_the_text(server: LocalServer, make):
    server.routes["/r.html"] = static(PARENTS_HTML, "text/html; charset=utf-8")
    parsed = read_url(server.url("/r.html"), make())
    assert parsed.report.title.value == "Time for Parents Training Sessions"
    assert parsed.report.source.name == server.url("/r.html")
    assert parsed.report.source.url == server.url("/r.html")
    assert parsed.report.source.sha256 == hashlib.sha256(PARENTS_HTML).hexdigest()
    assert parsed.report.source.retrieved == "2024-05-01T10:00:00Z"


def test_xhtml_is_read_as_html(server: LocalServer, make):
    server.routes["/r.xhtml"] = static(PARENTS_HTML, "application/xhtml+xml")
    page = make().fetch(server.url("/r.xhtml"))
    assert report_text(page)[0].startswith("Logo Le Temps des Parents\n")


def test_a_page_that_is_not_a_report(server: LocalServer, make):
    server.routes["/r.txt"] = static(b"Hello, world.\nNothing to see here.\n", "text/plain")
    with pytest.raises(ParseError, match="not a RESOLIS report"):
        read_url(server.url("/r.txt"), make())


# -- file names for resolis-ld fetch ------------------------------------------------------------


@pytest.mark.parametrize("url, name", [
    ("https://example.org/reports/time-for-parents.html", "time-for-parents.txt"),
    ("https://example.org/reports/002.txt?lang=en#top", "002.txt"),
    ("https://example.org/reports/", "reports.txt"),
    ("https://example.org/", "example.org.txt"),
    ("https://example.org/a/..%2F..%2Fetc%2Fpasswd", "etc-passwd.txt"),
    ("https://example.org/%2E%2E", "example.org.txt"),
    ("https://example.org/.hidden", "hidden.txt"),
    ("https://example.org/fiche/Sant%C3%A9%20et%20logement", "Sante-et-logement.txt"),
    ("https://example.org/CON", "CON-report.txt"),
])
def test_report_file_name_is_safe(url: str, name: str):
    assert report_file_name(url) == name


def test_urls_sharing_a_name_get_their_own_hash():
    a, b, c = "https://a.example/r/report.html", "https://b.example/x/report.txt", "https://a.example/other.html"
    names = report_file_names([a, b, c])
    assert names[c] == "other.txt"
    assert names[a] == f"report-{hashlib.sha256(a.encode()).hexdigest()[:8]}.txt"
    assert names[b] == f"report-{hashlib.sha256(b.encode()).hexdigest()[:8]}.txt"
    assert report_file_names([c, b, a]) == names  # whatever the order


def _closed_port_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/report.txt"
