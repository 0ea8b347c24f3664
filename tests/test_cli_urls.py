"""URLs as inputs from the command line: convert, validate, build and fetch, against a local server.

A URL that cannot be read prints one line ``URL: error: why (what to do)`` and exits 3, while the
other inputs are still converted and written; a re-run served from the cache downloads nothing
and gives the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import DATA, assert_isomorphic
from local_server import LocalServer, Reply, conditional, sequence, static
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, XSD
from test_cli import PARENTS, SEED, TITLES, assert_one_error, file_programmes, programmes, run, without_sources

from resolis_ld.namespaces import DEFAULT_BASE, RESOLIS

PARENTS_BYTES = PARENTS.read_bytes()
PARENTS_HTML = (DATA / "html" / "002_e8fb812dc0f34af1.html").read_bytes()
ETAG = '"parents-v1"'


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty working directory, and the default cache under it, never in the user's home."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def server():
    local = LocalServer().start()
    local.routes["/parents.txt"] = conditional(PARENTS_BYTES, "text/plain", etag=ETAG)
    local.routes["/parents.html"] = conditional(PARENTS_HTML, "text/html; charset=utf-8", last_modified="Wed, 01 May 2024 08:00:00 GMT")
    local.routes["/seed.txt"] = static(SEED.read_bytes(), "text/plain; charset=utf-8")
    yield local
    local.stop()


def graph_of(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def without_provenance(graph: Graph) -> Graph:
    """Less the source records and the source map (line numbers of the text read)."""
    kept = without_sources(graph)
    kept.remove((None, RESOLIS.sourceMap, None))
    return kept


# -- convert --------------------------------------------------------------------------------------


def test_text_url_converts_like_the_file(server: LocalServer, tmp_path: Path):
    url = server.url("/parents.txt")
    assert run("convert", url, "-o", tmp_path / "url.ttl", "--cache", tmp_path / "c").exit_code == 0
    assert run("convert", PARENTS, "-o", tmp_path / "file.ttl").exit_code == 0
    assert_isomorphic(without_sources(graph_of(tmp_path / "url.ttl")), without_sources(graph_of(tmp_path / "file.ttl")))


def test_html_url_converts_like_the_file(server: LocalServer, tmp_path: Path):
    result = run("convert", server.url("/parents.html"), "-o", tmp_path / "url.ttl", "--cache", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    run("convert", PARENTS, "-o", tmp_path / "file.ttl")
    assert_isomorphic(without_provenance(graph_of(tmp_path / "url.ttl")), without_provenance(graph_of(tmp_path / "file.ttl")))


def test_provenance_of_a_url_is_the_url_its_retrieval_time_and_hash(server: LocalServer, tmp_path: Path):
    url = server.url("/parents.html")
    run("convert", url, "-o", tmp_path / "out.ttl", "--cache", tmp_path / "c")
    graph = graph_of(tmp_path / "out.ttl")
    digest = hashlib.sha256(PARENTS_HTML).hexdigest()
    source = URIRef(f"{DEFAULT_BASE}source/{digest}")
    assert (URIRef(DEFAULT_BASE + "report/time-for-parents-training-sessions"), PROV.wasDerivedFrom, source) in graph
    assert graph.value(source, RDFS.label) == Literal(url)
    assert graph.value(source, DCTERMS.source) == URIRef(url)
    assert graph.value(source, RESOLIS.sha256) == Literal(digest)
    retrieved = graph.value(source, PROV.generatedAtTime)
    assert retrieved is not None and retrieved.datatype == XSD.dateTime


def test_file_provenance_has_no_url_or_time(tmp_path: Path):
    run("convert", PARENTS, "-o", tmp_path / "out.ttl")
    graph = graph_of(tmp_path / "out.ttl")
    assert not list(graph.triples((None, DCTERMS.source, None)))
    assert not list(graph.triples((None, PROV.generatedAtTime, None)))


def test_second_run_downloads_nothing_and_gives_the_same_bytes(server: LocalServer, tmp_path: Path):
    urls = [server.url("/parents.txt"), server.url("/parents.html")]
    first = run("convert", *urls, "-o", tmp_path / "1.ttl", "--cache", tmp_path / "c")
    second = run("-v", "convert", *urls, "-o", tmp_path / "2.ttl", "--cache", tmp_path / "c")
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "1.ttl").read_bytes() == (tmp_path / "2.ttl").read_bytes()
    txt, html = server.requests_for("/parents.txt"), server.requests_for("/parents.html")
    assert [r.body_sent for r in txt + html] == [True, False, True, False]
    assert txt[1].headers["if-none-match"] == ETAG
    assert html[1].headers["if-modified-since"] == "Wed, 01 May 2024 08:00:00 GMT"
    assert f"{urls[0]}: not modified (cache), {len(PARENTS_BYTES)} bytes of text/plain" in second.stderr


def test_refresh_downloads_again(server: LocalServer, tmp_path: Path):
    url = server.url("/parents.txt")
    run("convert", url, "-o", tmp_path / "1.ttl", "--cache", tmp_path / "c")
    assert run("convert", url, "-o", tmp_path / "2.ttl", "--cache", tmp_path / "c", "--refresh").exit_code == 0
    assert [("if-none-match" in r.headers, r.body_sent) for r in server.requests] == [(False, True), (False, True)]


def test_the_default_cache_is_under_xdg_cache_home(server: LocalServer, tmp_path: Path):
    assert run("convert", server.url("/parents.txt"), "-o", tmp_path / "out.ttl").exit_code == 0
    assert len(list((tmp_path / "xdg-cache" / "resolis-ld").glob("*.entry"))) == 1


def test_files_only_create_no_cache(tmp_path: Path):
    assert run("convert", PARENTS, "-o", tmp_path / "out.ttl").exit_code == 0
    assert not (tmp_path / "xdg-cache").exists()



BAD_URLS = {
    "404": ("/missing.txt", None, [], "not found (HTTP 404 Not Found; check the URL)"),
    "wrong content type": ("/doc.pdf", Reply(200, b"%PDF-1.4\n", "application/pdf"), [], "the server sent application/pdf, not a report page"),
    "redirect to file://": ("/go", Reply(302, b"", None, {"Location": "file:///etc/passwd"}), [], "redirected to file:///etc/passwd, which is not an http(s) URL: refused"),
    "slow server": ("/slow", Reply(200, PARENTS_BYTES, delay=3), ["--timeout", "0.3"], "no answer within 0.3 s"),
    "too large with length": ("/big", Reply(200, b"x" * 300_000), ["--max-bytes", "100000"], "300000 bytes, more than the limit of 100000 (raise --max-bytes)"),
    "too large without length": ("/big", Reply(200, b"x" * 300_000, content_length=False), ["--max-bytes", "100000"], "larger than the limit of 100000 bytes"),
    "503 for ever": ("/down", Reply(503, b"", headers={"Retry-After": "0"}), ["--retries", "1"], "server error (HTTP 503 Service Unavailable) after 2 attempts (try again later)"),
    "not a report": ("/hello.txt", Reply(200, b"Hello, world.\nNothing here.\n"), [], "not a RESOLIS report"),
}


@pytest.mark.parametrize("path, reply, options, why", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_bad_url_exits_3_and_the_good_inputs_are_still_written(server: LocalServer, tmp_path: Path, path, reply, options, why):
    if reply is not None:
        server.routes[path] = lambda request: reply
    bad, out = server.url(path), tmp_path / "out.ttl"
    result = run("convert", server.url("/seed.txt"), bad, PARENTS, "-o", out, "--cache", tmp_path / "c", *options)
    assert result.exit_code == 3
    assert_one_error(result.stderr, bad, why)
    assert file_programmes(out) == {TITLES[SEED], TITLES[PARENTS]}


@pytest.mark.parametrize("url, why", [
    ("ftp://127.0.0.1/report.txt", "unsupported URL scheme 'ftp' (only http:// and https:// are read"),
    ("file:///etc/passwd", "unsupported URL scheme 'file'"),
    ("http://nowhere.invalid/report.txt", "host nowhere.invalid not found"),
])
def test_unreadable_url_names_it(tmp_path: Path, url: str, why: str):
    result = run("convert", url, PARENTS, "-o", tmp_path / "out.ttl", "--retries", "0", "--cache", tmp_path / "c")
    assert result.exit_code == 3
    assert_one_error(result.stderr, url, why)
    assert file_programmes(tmp_path / "out.ttl") == {TITLES[PARENTS]}


def test_connection_refused(tmp_path: Path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/r.txt"
    result = run("convert", url, "--retries", "0", "--cache", tmp_path / "c")
    assert result.exit_code == 3
    assert_one_error(result.stderr, url, "connection refused by 127.0.0.1 (is the server up?")


def test_503_then_success_and_429_with_retry_after(server: LocalServer, tmp_path: Path):
    server.routes["/flaky.txt"] = sequence(Reply(503, b"", headers={"Retry-After": "0"}), Reply(200, PARENTS_BYTES, "text/plain"))
    server.routes["/busy.txt"] = sequence(Reply(429, b"", headers={"Retry-After": "1"}), Reply(200, SEED.read_bytes(), "text/plain"))
    result = run("convert", server.url("/flaky.txt"), server.url("/busy.txt"), "--cache", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert programmes(result.stdout) == {TITLES[PARENTS], TITLES[SEED]}
    assert [len(server.requests_for(p)) for p in ("/flaky.txt", "/busy.txt")] == [2, 2]


def test_windows_1252_page(server: LocalServer, tmp_path: Path):
    server.routes["/cp1252.txt"] = static(PARENTS_BYTES.decode("utf-8").encode("cp1252"), "text/plain; charset=windows-1252")
    result = run("convert", server.url("/cp1252.txt"), "-o", tmp_path / "url.ttl", "--cache", tmp_path / "c")
    assert result.exit_code == 0 and result.stderr == ""
    run("convert", PARENTS, "-o", tmp_path / "file.ttl")
    assert_isomorphic(without_sources(graph_of(tmp_path / "url.ttl")), without_sources(graph_of(tmp_path / "file.ttl")))


# -- validate and build -------------------------------------------------------------------------


def test_validate_a_url(server: LocalServer, tmp_path: Path):
    by_url = run("validate", server.url("/seed.txt"), "--cache", tmp_path / "c")
    by_file = run("validate", SEED)
    assert by_url.exit_code == by_file.exit_code == 0
    assert by_url.stdout == by_file.stdout.replace(str(SEED), server.url("/seed.txt"))


def test_validate_a_missing_url_exits_3(server: LocalServer, tmp_path: Path):
    result = run("validate", server.url("/missing.txt"), SEED, "--cache", tmp_path / "c")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0].startswith(server.url("/missing.txt") + ": error: not found")


def test_build_with_repeated_inputs_and_a_url(server: LocalServer, tmp_path: Path):
    out = tmp_path / "dist"
    result = run("-q", "build", "--input", PARENTS, "--input", server.url("/seed.txt"), "--out", out, "--cache", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert file_programmes(out / "resolis.ttl") == {TITLES[PARENTS], TITLES[SEED]}


# -- fetch --------------------------------------------------------------------------------------


def test_fetch_saves_report_files_that_convert_like_the_originals(server: LocalServer, tmp_path: Path):
    urls = [server.url("/parents.txt"), server.url("/parents.html"), server.url("/seed.txt")]
    result = run("fetch", *urls, "-d", tmp_path / "reports", "--cache", tmp_path / "c")
    assert result.exit_code == 0, result.output
    # /parents.txt and /parents.html both give parents.txt: each gets its URL's hash
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    suffix = {url: hashlib.sha256(url.encode()).hexdigest()[:8] for url in urls}
    assert names == sorted([f"parents-{suffix[urls[0]]}.txt", f"parents-{suffix[urls[1]]}.txt", "seed.txt"])
    assert (tmp_path / "reports" / f"parents-{suffix[urls[0]]}.txt").read_bytes() == PARENTS_BYTES
    assert result.stderr.splitlines()[0] == (
        f"{urls[0]}: saved {tmp_path / 'reports' / f'parents-{suffix[urls[0]]}.txt'} (downloaded, {len(PARENTS_BYTES)} bytes of text/plain)"
    )
    saved = [tmp_path / "reports" / f"parents-{suffix[urls[1]]}.txt", tmp_path / "reports" / "seed.txt"]
    converted = run("convert", *saved, "-o", tmp_path / "out.ttl")
    assert converted.exit_code == 0 and converted.stderr == ""
    run("convert", PARENTS, SEED, "-o", tmp_path / "files.ttl")
    assert_isomorphic(without_provenance(graph_of(tmp_path / "out.ttl")), without_provenance(graph_of(tmp_path / "files.ttl")))


def test_fetch_again_is_served_from_the_cache(server: LocalServer, tmp_path: Path):
    run("fetch", server.url("/parents.txt"), "-d", tmp_path, "--cache", tmp_path / "c")
    result = run("fetch", server.url("/parents.txt"), "-d", tmp_path, "--cache", tmp_path / "c")
    assert result.exit_code == 0
    assert "(not modified (cache)," in result.stderr
    assert [r.body_sent for r in server.requests] == [True, False]


def test_fetch_errors_exit_3_and_save_the_others(server: LocalServer, tmp_path: Path):
    server.routes["/hello.txt"] = static(b"Hello, world.\nNothing here.\n")
    bad = [server.url("/missing.txt"), server.url("/hello.txt"), "ftp://127.0.0.1/x.txt", "notes.txt"]
    result = run("-q", "fetch", bad[0], server.url("/seed.txt"), *bad[1:], "-d", tmp_path / "out", "--cache", tmp_path / "c")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == bad
    assert "not a URL (fetch reads http:// and https:// URLs)" in lines[3]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["seed.txt"]


def test_fetch_html_saves_the_report_text(server: LocalServer, tmp_path: Path):
    assert run("-q", "fetch", server.url("/parents.html"), "--cache", tmp_path / "c").exit_code == 0
    text = (tmp_path / "parents.txt").read_text("utf-8")
    assert text.startswith("Logo Le Temps des Parents\n\nTime for Parents Training Sessions\n")
    assert "  • Budget : 8640\n" in text


def test_fetch_into_a_file_is_an_error(server: LocalServer, tmp_path: Path):
    (tmp_path / "afile").write_text("x")
    result = run("fetch", server.url("/seed.txt"), "-d", tmp_path / "afile" / "sub", "--cache", tmp_path / "c")
    assert result.exit_code == 3
    assert "cannot write here" in result.stderr and len(result.stderr.splitlines()) == 1


def test_the_provenance_of_a_url_reads_back(server: LocalServer, tmp_path: Path):
    from resolis_ld.reader import reports_from_graph

    run("convert", server.url("/parents.txt"), "-o", tmp_path / "out.ttl", "--cache", tmp_path / "c")
    [(_, report)] = reports_from_graph(graph_of(tmp_path / "out.ttl"))
    assert report.source.name == report.source.url == server.url("/parents.txt")
    assert report.source.sha256 == hashlib.sha256(PARENTS_BYTES).hexdigest()
    assert report.source.retrieved is not None
