"""RDF files read by pyoxigraph into N-Triples strings: every dump of a build gives back its
graph, a broken file is an input error naming its line, and ``validate`` on the dumps says what
it says on the reports."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPORT_FILES
from resolis_ld.build import build
from resolis_ld.cli import cli
from resolis_ld.errors import InputError
from resolis_ld.rdf_input import is_rdf_name, rdf_format, read_triples

DUMPS = ["resolis.nt", "resolis.nt.gz", "resolis.nq.gz", "resolis.ttl", "resolis.jsonld"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build([str(path) for path in REPORT_FILES], out)
    return out


def nt_lines(path: Path) -> set[tuple[str, str, str]]:
    return {tuple(line[:-2].split(" ", 2)) for line in path.read_text(encoding="utf-8").splitlines()}  # type: ignore[misc]


@pytest.mark.parametrize("name", DUMPS)
def test_every_dump_reads_back_as_the_strings_of_the_build(dist: Path, name: str):
    expected = nt_lines(dist / "resolis.nt")
    triples = read_triples(dist / name)
    assert set(triples) == expected
    assert len(triples) == len(expected)  # the N-Quads put each triple in one graph only


def test_formats_by_extension():
    assert rdf_format("a.NT") is not None and rdf_format("dist/resolis.nq.gz") is not None
    assert rdf_format("report.txt") is None and rdf_format("a.gz") is None
    assert is_rdf_name("x.ttl") and not is_rdf_name("https://example.org/x.ttl") and not is_rdf_name("data/reports")


@pytest.mark.parametrize(
    ("name", "data", "message", "line"),
    [
        ("broken.nt", b'<http://a> <http://b> "x" .\n<http://a> <http://b> oops .\n', "not valid N-Triples", 2),
        ("binary.ttl", b"\xff\xfe\x00garbage", "not valid Turtle", 1),
        ("broken.jsonld", b'{"@id": "http://a", ', "not valid JSON-LD", 1),
        ("bad.nt.gz", b"not gzip at all", "cannot read", None),
        ("cut.nt.gz", gzip.compress(b"<http://a> <http://b> <http://c> .\n")[:-6], "cannot read", None),
        ("notes.rdfx", b"", "unknown RDF file type", None),
    ],
)
def test_a_broken_file_is_an_input_error_with_its_line(tmp_path: Path, name: str, data: bytes, message: str,
                                                       line: int | None):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_triples(path)
    assert message in caught.value.message and caught.value.path == str(path)
    assert caught.value.line == line


def test_a_missing_file_and_a_directory(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_triples(tmp_path / "missing.nt")
    (tmp_path / "folder.ttl").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_triples(tmp_path / "folder.ttl")


def test_an_empty_file_is_an_empty_graph(tmp_path: Path):
    (tmp_path / "empty.nt").write_bytes(b"")
    (tmp_path / "empty.nq.gz").write_bytes(gzip.compress(b""))
    assert read_triples(tmp_path / "empty.nt") == [] == read_triples(tmp_path / "empty.nq.gz")


@pytest.fixture
def context_server() -> Iterator[str]:
    """A JSON-LD context served on 127.0.0.1, as a remote context would be."""
    body = json.dumps({"@context": {"name": "http://schema.org/name"}}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld"
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_context_is_read_by_rdflib(tmp_path: Path, context_server: str):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": context_server, "@id": "http://example.org/a", "name": "A"}), encoding="utf-8")
    assert read_triples(path) == [("<http://example.org/a>", "<http://schema.org/name>", '"A"')]


def test_validate_says_the_same_of_the_dumps_as_of_the_reports(dist: Path):
    def validate(*inputs: object) -> str:
        result = CliRunner().invoke(cli, ["validate", "--format", "json", *map(str, inputs)])
        assert result.exit_code in (0, 1), result.output
        return result.stdout

    expected = validate(*REPORT_FILES)
    for name in DUMPS:
        assert validate(dist / name) == expected, name
    assert validate("--jobs", "1", "--no-cache", *REPORT_FILES) == expected


def test_validate_reads_the_rest_when_one_rdf_file_is_broken(tmp_path: Path, dist: Path):
    broken = tmp_path / "broken.nt"
    broken.write_text("<http://a> <http://b> oops .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(broken), str(dist / "resolis.nt.gz")])
    assert result.exit_code == 3
    assert f"{broken}:1: error: not valid N-Triples" in result.stderr
    assert f"{len(REPORT_FILES)} of {len(REPORT_FILES)} report(s)" in result.stdout
    assert "Traceback" not in result.output
