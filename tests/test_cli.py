"""resolis-ld convert, build and render from the command line: exit codes, messages and outputs.

The contract: 0 ok; 1 validation failed; 2 usage error; 3 input error (the other inputs are still
converted and written); 70 an unexpected crash. A bad input prints one line ``PATH: error: why``
on stderr and the run goes on; a warning prints ``PATH:LINE: warning: message``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA, REPORTS, assert_isomorphic
from rdflib import Graph, URIRef

from resolis_ld import __version__
from resolis_ld.cli import cli
from resolis_ld.namespaces import DEFAULT_BASE

SEED = REPORTS / "000_bf3554a4a4265cfd.txt"
PARENTS = REPORTS / "002_e8fb812dc0f34af1.txt"
KITCHENS = REPORTS / "S1_shared_kitchens.txt"
ATELIERS = REPORTS / "S2_ateliers_numeriques_fr.txt"
GARDENS = REPORTS / "S3_community_gardens_crlf.txt"  # gives two warnings
ORGANISATIONS = DATA / "organisations.csv"

TITLES = {
    SEED: "School Workshops: help parents to better support their child's education",
    PARENTS: "Time for Parents Training Sessions",
    KITCHENS: "Shared Kitchens for Isolated Elderly People",
    ATELIERS: "Ateliers numériques pour les demandeurs d'emploi",
    GARDENS: "Community Gardens in the Housing Estates of Roubaix",
}
PARENTS_IRI = DEFAULT_BASE + "programme/time-for-parents-training-sessions"
PROGRAMME_TITLES = """
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?title WHERE { ?programme a <https://w3id.org/resolis/ns#Programme> ; dcterms:title ?title }
"""
NT_LINE = re.compile(r'^<[^>]+> <[^>]+> (<[^>]+>|"([^"\\]|\\.)*"(@[A-Za-z0-9-]+|\^\^<[^>]+>)?) \.$')


# -- helpers ------------------------------------------------------------------------------------


def invoke(*args: object, input: bytes | None = None) -> Result:
    """The command as a user types it, in-process; exceptions are caught by CliRunner."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def run(*args: object, input: bytes | None = None) -> Result:
    """``invoke``, checking what holds on every path: no traceback, no escaped exception."""
    result = invoke(*args, input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def run_process(*args: object, input: bytes | None = None, cwd: Path) -> subprocess.CompletedProcess:
    """The command in a real Python process, as ``python -m resolis_ld``."""
    return subprocess.run(
        [sys.executable, "-m", "resolis_ld", *map(str, args)],
        input=input, capture_output=True, cwd=cwd, timeout=300, check=False,
    )


def programmes(rdf: str | bytes, format: str = "turtle") -> set[str]:
    """The titles of the programmes in an RDF text."""
    graph = Graph().parse(data=rdf, format=format)
    return {str(row.title) for row in graph.query(PROGRAMME_TITLES)}


def file_programmes(path: Path) -> set[str]:
    format_ = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}[path.suffix]
    return programmes(path.read_bytes(), format_)


def assert_one_error(stderr: str, path: object, why: str) -> None:
    """stderr is exactly one line ``PATH: error: ...why...``."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"{path}: error: "), lines[0]
    assert why in lines[0], lines[0]


def without_sources(graph: Graph) -> Graph:
    """The graph less the source-file entities (named by the file's hash and path)."""
    sources = DEFAULT_BASE + "source/"
    kept = Graph()
    for triple in graph:
        if not any(isinstance(term, URIRef) and str(term).startswith(sources) for term in triple):
            kept.add(triple)
    return kept


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty directory: no data/organisations.csv picked up, nothing written in the repo."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``resolis-ld build`` of the five test reports; its output directory."""
    out = tmp_path_factory.mktemp("dist")
    result = run("-q", "build", "--input", REPORTS, "--out", out, "--organisations", ORGANISATIONS)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def afile(tmp_path: Path) -> Path:
    """A regular file where a directory is expected."""
    path = tmp_path / "afile"
    path.write_text("not a directory\n", encoding="utf-8")
    return path


# -- bad inputs: one line each, the others converted ----------------------------------------------


def _file(content: bytes) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / "bad.txt"
        path.write_bytes(content)
        return path
    return make


def _directory(*files: str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / "folder"
        path.mkdir()
        for name in files:
            (path / name).write_text("# notes\n", encoding="utf-8")
        return path
    return make


README = (
    b"resolis-ld\n\nThis project turns practice reports into linked open data. Install it with pip,\n"
    b"then run the tests with pytest. Contributions are welcome: open an issue first.\n"
)
BAD_INPUTS = {
    "empty file": (_file(b""), "the file is empty"),
    "blank file": (_file(b" \n\r\n\t\n"), "the file is empty"),
    "binary with NULs": (_file(bytes(range(256)) * 4), "the file is binary"),
    "PNG image": (_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + b"\x08\x02" * 50), "the file is binary"),
    "control characters": (_file(b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11" * 10), "the file is binary"),
    "neither UTF-8 nor cp1252": (_file(b"Logo X\n\nTitle \x81\x8d\x8f\n"), "neither UTF-8 nor Windows-1252"),
    "unrelated text": (_file(README), "not a RESOLIS report"),
    "missing file": (lambda tmp_path: tmp_path / "missing.txt", "no such file or directory"),
    "missing directory": (lambda tmp_path: tmp_path / "no-such-dir", "no such file or directory"),
    "empty directory": (_directory(), "no *.txt report in this directory"),
    "directory without *.txt": (_directory("README.md", "notes.csv"), "no *.txt report in this directory"),
}


@pytest.mark.parametrize("make, why", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_exits_3_and_the_good_one_is_still_written(tmp_path: Path, make, why: str):
    """A user converts a bad input along with a good report into a file: one error line, exit 3, the good report written."""
    bad, out = make(tmp_path), tmp_path / "out.ttl"
    result = run("convert", bad, PARENTS, "-o", out)
    assert result.exit_code == 3
    assert_one_error(result.stderr, bad, why)
    assert result.stdout == ""
    assert file_programmes(out) == {TITLES[PARENTS]}


def test_bad_input_with_output_on_stdout(tmp_path: Path):
    """A user converts an empty file and a report to stdout: the report's RDF is still printed, exit 3."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("convert", PARENTS, empty, SEED)
    assert result.exit_code == 3
    assert_one_error(result.stderr, empty, "the file is empty")
    assert programmes(result.stdout) == {TITLES[PARENTS], TITLES[SEED]}


def test_errors_are_listed_in_input_order(tmp_path: Path):
    """A user gives several bad inputs: the errors come in the order the inputs were given."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    names = [tmp_path / "b-missing.txt", empty, tmp_path / "a-missing.txt"]
    result = run("convert", names[0], PARENTS, names[1], names[2], "-o", tmp_path / "out.nt")
    assert result.exit_code == 3
    assert [line.split(": error: ")[0] for line in result.stderr.splitlines()] == [str(name) for name in names]
    assert file_programmes(tmp_path / "out.nt") == {TITLES[PARENTS]}


def test_bad_input_in_a_real_process(tmp_path: Path):
    """A user runs ``python -m resolis_ld convert`` on a README and a report: exit 3, one line, no traceback."""
    readme = tmp_path / "README.txt"
    readme.write_bytes(README)
    process = run_process("convert", readme, PARENTS, cwd=tmp_path)
    stderr = process.stderr.decode("utf-8")
    assert process.returncode == 3
    assert "Traceback" not in stderr
    assert_one_error(stderr, readme, "not a RESOLIS report")
    assert programmes(process.stdout) == {TITLES[PARENTS]}


# -- encodings and line ends ----------------------------------------------------------------------


def test_windows_1252_report_converts_with_a_warning(tmp_path: Path):
    """A user gives a report saved as Windows-1252: it converts, with a warning, and the accents are right."""
    legacy = tmp_path / "ateliers-cp1252.txt"
    legacy.write_bytes(ATELIERS.read_text(encoding="utf-8").encode("cp1252"))
    result = run("convert", legacy, "-f", "nt")
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert warnings and all(re.match(rf"{re.escape(str(legacy))}:\d+: warning: ", line) for line in warnings), warnings
    assert any("windows-1252" in line.lower() for line in warnings), warnings
    assert programmes(result.stdout, "nt") == {"Ateliers numériques pour les demandeurs d'emploi"}


VARIANTS = {
    "BOM + CRLF": lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),
    "BOM": lambda data: b"\xef\xbb\xbf" + data,
    "CRLF": lambda data: data.replace(b"\n", b"\r\n"),
    "no final newline": lambda data: data.rstrip(b"\n"),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
@pytest.mark.parametrize("report", [PARENTS, ATELIERS], ids=lambda path: path.stem)
def test_bom_and_line_ends_convert_like_the_original(tmp_path: Path, report: Path, variant):
    """A user's copy of a report with a BOM or CRLF line ends gives the same graph (less its source file)."""
    copy = tmp_path / report.name
    copy.write_bytes(variant(report.read_bytes()))
    original, changed = run("convert", report, "-f", "nt"), run("convert", copy, "-f", "nt")
    assert (original.exit_code, changed.exit_code) == (0, 0)
    assert changed.stderr == original.stderr == ""
    assert_isomorphic(
        without_sources(Graph().parse(data=changed.stdout, format="nt")),
        without_sources(Graph().parse(data=original.stdout, format="nt")),
        f"{copy.name} ({variant})",
    )


# -- outputs that cannot be written ---------------------------------------------------------------


@pytest.mark.parametrize("command", [
    lambda afile, built: ["convert", PARENTS, "-o", afile / "out.ttl"],
    lambda afile, built: ["build", "--input", REPORTS, "--out", afile / "dist"],
    lambda afile, built: ["render", built / "resolis.ttl", "-o", afile / "texts"],
], ids=["convert -o", "build --out", "render -o"])
def test_output_under_a_regular_file_exits_3(afile: Path, built: Path, command):
    """A user writes into a path whose parent is a regular file: exit 3, one "Error:" line naming it."""
    result = run("-q", *command(afile, built))
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and str(afile) in lines[0] and "cannot write" in lines[0], lines[0]
    assert afile.read_text(encoding="utf-8") == "not a directory\n"


def test_output_under_a_regular_file_says_not_a_directory(tmp_path: Path, afile: Path):
    """A user writes -o afile/out.ttl where afile is a file: the message says afile is not a directory."""
    result = run("convert", PARENTS, "-o", afile / "out.ttl")
    assert result.exit_code == 3
    assert result.stderr == f"Error: {afile}: error: cannot write here: Not a directory\n"


@pytest.mark.parametrize("command, kind", [("build", "is a file"), ("convert", "is a directory")])
def test_output_of_the_wrong_kind_is_a_usage_error(tmp_path: Path, afile: Path, command: str, kind: str):
    """A user points ``build --out`` at a file or ``convert -o`` at a directory: click refuses it, exit 2."""
    if command == "build":
        target, args = afile, ["build", "--input", REPORTS, "--out", afile]
    else:
        target, args = tmp_path, ["convert", PARENTS, "-o", tmp_path]
    result = run(*args)
    assert result.exit_code == 2
    assert "Error: Invalid value for" in result.stderr
    assert kind in result.stderr and str(target) in result.stderr
    assert afile.read_text(encoding="utf-8") == "not a directory\n"


# -- options --------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", ["not a url", "ftp://x/", "http://", "https://exa mple.org/", "example.org/data"])
def test_bad_base_iri_is_a_usage_error(base: str):
    """A user gives a --base-iri that is not an http(s) IRI: exit 2 with a message naming the value."""
    result = run("convert", PARENTS, "--base-iri", base)
    assert result.exit_code == 2
    assert "--base-iri" in result.stderr and repr(base) in result.stderr and "http(s) IRI" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("base", ["https://example.org/data", "https://example.org/data/"])
def test_base_iri_gets_a_trailing_slash(base: str):
    """A user gives --base-iri without a trailing slash: the IRIs are minted under base + "/"."""
    result = run("convert", PARENTS, "--base-iri", base, "-f", "nt")
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format="nt")
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    assert "https://example.org/data/programme/time-for-parents-training-sessions" in iris
    assert all(iri.startswith("https://example.org/data/") for iri in iris if iri.startswith("https://example.org/data"))
    assert not any(iri.startswith(DEFAULT_BASE) for iri in iris)


def _looks_like(format_: str, text: str) -> None:
    if format_ == "json-ld":
        document = json.loads(text)
        assert "@context" in document and document["@graph"]
    elif format_ == "nt":
        lines = text.splitlines()
        assert lines and all(NT_LINE.match(line) for line in lines), [line for line in lines if not NT_LINE.match(line)][:3]
    else:
        assert text.startswith("@prefix ")


@pytest.mark.parametrize("format_", ["turtle", "json-ld", "nt"])
def test_format_option(format_: str):
    """A user picks the output format with -f: stdout is in that format."""
    result = run("convert", PARENTS, KITCHENS, "-f", format_)
    assert result.exit_code == 0
    _looks_like(format_, result.stdout)
    assert programmes(result.stdout, format_) == {TITLES[PARENTS], TITLES[KITCHENS]}


@pytest.mark.parametrize("suffix, format_", [
    (".ttl", "turtle"), (".jsonld", "json-ld"), (".json", "json-ld"), (".nt", "nt"), (".NT", "nt"), (".rdf", "turtle"),
])
def test_format_from_the_output_extension(tmp_path: Path, suffix: str, format_: str):
    """A user writes -o report.jsonld (or .nt, .ttl...): the format follows the extension, else Turtle."""
    out = tmp_path / f"report{suffix}"
    result = run("convert", PARENTS, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    _looks_like(format_, text)
    assert programmes(text, format_) == {TITLES[PARENTS]}


def test_format_option_overrides_the_extension(tmp_path: Path):
    """A user writes -o out.ttl -f nt: the file holds N-Triples."""
    out = tmp_path / "out.ttl"
    assert run("convert", PARENTS, "-o", out, "-f", "nt").exit_code == 0
    _looks_like("nt", out.read_text(encoding="utf-8"))


def test_unknown_format_is_a_usage_error():
    """A user asks for -f xml: exit 2 listing the choices."""
    result = run("convert", PARENTS, "-f", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'turtle', 'json-ld', 'nt'" in result.stderr


def test_stdin():
    """A user pipes a report into ``convert -``: it is converted."""
    result = run("convert", "-", "-f", "json-ld", input=GARDENS.read_bytes())
    assert result.exit_code == 0
    assert programmes(result.stdout, "json-ld") == {TITLES[GARDENS]}
    assert all(line.startswith("-:") and ": warning: " in line for line in result.stderr.splitlines()), result.stderr


def test_empty_stdin_is_an_input_error():
    """A user pipes nothing into ``convert -``: exit 3, one error line for "-"."""
    result = run("convert", "-", input=b"")
    assert result.exit_code == 3
    assert_one_error(result.stderr, "-", "the file is empty")


def test_stdin_in_a_real_process(tmp_path: Path):
    """A user runs ``python -m resolis_ld convert - -f nt < report.txt`` (a Windows-1252 one)."""
    data = ATELIERS.read_text(encoding="utf-8").encode("cp1252")
    process = run_process("convert", "-", "-f", "nt", input=data, cwd=tmp_path)
    stderr = process.stderr.decode("utf-8")
    assert process.returncode == 0, stderr
    assert re.fullmatch(r"-:\d+: warning: .*windows-1252.*\n", stderr), stderr
    assert programmes(process.stdout, "nt") == {TITLES[ATELIERS]}


def test_version():
    """A user asks for --version."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"resolis-ld, version {__version__}\n"


@pytest.mark.parametrize("command", [[], ["convert"], ["build"], ["validate"], ["render"], ["fetch"]], ids=lambda c: " ".join(c) or "resolis-ld")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_has_an_example(command: list[str], flag: str):
    """A user asks any command for --help (or -h): it shows an example command line."""
    result = run(*command, flag)
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert re.search(r"^\s+resolis-ld \w+", result.stdout, re.MULTILINE), result.stdout


def test_quiet_silences_warnings_but_not_errors(tmp_path: Path):
    """A user converts a report that gives warnings: -q (before or after the command) hides them, not errors."""
    loud = run("convert", GARDENS, "-o", tmp_path / "loud.ttl")
    assert loud.exit_code == 0
    warnings = loud.stderr.splitlines()
    assert len(warnings) >= 2 and all(re.match(rf"{re.escape(str(GARDENS))}:\d+: warning: ", w) for w in warnings), warnings
    for args in (["-q", "convert", GARDENS], ["convert", GARDENS, "-q"], ["convert", "--quiet", GARDENS]):
        quiet = run(*args, "-o", tmp_path / "quiet.ttl")
        assert quiet.exit_code == 0 and quiet.stderr == "", args
    missing = tmp_path / "missing.txt"
    quiet = run("-q", "convert", GARDENS, missing, "-o", tmp_path / "quiet.ttl")
    assert quiet.exit_code == 3
    assert "warning:" not in quiet.stderr
    assert_one_error(quiet.stderr, missing, "no such file")


def test_verbose_says_what_is_read_and_written(tmp_path: Path):
    """A user adds -v: stderr says which report was read and which file written."""
    out = tmp_path / "out.ttl"
    result = run("-v", "convert", PARENTS, "-o", out)
    assert result.exit_code == 0
    assert f'{PARENTS.name}: read "{TITLES[PARENTS]}" (en)' in result.stderr
    assert re.search(rf"^{re.escape(str(out))}: wrote \d+ bytes$", result.stderr, re.MULTILINE), result.stderr


# -- convert --unreconciled and the organisation table --------------------------------------------


def test_unreconciled_lists_unknown_funders_as_csv(tmp_path: Path):
    """A user lists the names the organisation table does not know: CSV on stdout, RDF still in -o."""
    out = tmp_path / "out.ttl"
    result = run("convert", PARENTS, KITCHENS, "--unreconciled", "--organisations", ORGANISATIONS, "-o", out)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "name,role,programme,source,line"
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"name": "SAN", "role": "funder", "programme": PARENTS_IRI, "source": str(PARENTS), "line": "12"} in rows
    names = {row["name"] for row in rows}
    assert "Fondation de France" not in names and "CCAS of Lyon" not in names
    assert file_programmes(out) == {TITLES[PARENTS], TITLES[KITCHENS]}


def test_unreconciled_without_output_prints_only_the_csv():
    """A user runs --unreconciled without -o: stdout is the CSV alone, no RDF."""
    result = run("convert", PARENTS, "--unreconciled")
    assert result.exit_code == 0
    assert "@prefix" not in result.stdout
    assert [row["name"] for row in csv.DictReader(io.StringIO(result.stdout))] == sorted(
        ["SAN", "CAF77", "CUCS (Urban Cotract for Social Cohesion) of Sénart", "Lieusaint town"]
    )


BAD_TABLES = {
    "missing column": ("name,same_as\nSAN,\n", 1, "missing: organisation"),
    "row without organisation": ("name,organisation,same_as\nSAN,san,\nCAF77,,\n", 3, "needs both a name and an organisation"),
    "row without name": ("name,organisation,same_as\n,san,\n", 2, "needs both a name and an organisation"),
    "organisation not a slug": ("name,organisation,same_as\nSAN,Syndicat Sénart,\n", 2, "is not a slug"),
    "same_as not an IRI": ("name,organisation,same_as\nSAN,san,Q42\n", 2, "is not an http(s) IRI"),
}


@pytest.mark.parametrize("table, line, why", BAD_TABLES.values(), ids=BAD_TABLES.keys())
def test_malformed_organisation_table_exits_3(tmp_path: Path, table: str, line: int, why: str):
    """A user passes a malformed --organisations table: exit 3, one line naming the CSV file and line."""
    path = tmp_path / "organisations.csv"
    path.write_text(table, encoding="utf-8")
    result = run("convert", PARENTS, "--organisations", path, "-o", tmp_path / "out.ttl")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}:{line}: error: ") and why in lines[0], result.stderr


def test_missing_organisation_table_exits_3(tmp_path: Path):
    """A user passes an --organisations table that does not exist: exit 3 naming it."""
    path = tmp_path / "nope.csv"
    result = run("convert", PARENTS, "--organisations", path)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: error: cannot read the organisation table"), result.stderr


# -- build --------------------------------------------------------------------------------------


def test_build_writes_the_dumps_and_a_summary(built: Path):
    """A user builds the report directory: the dumps holding every programme, their description,
    the validation files and the licence."""
    for name in ("resolis.ttl", "resolis.jsonld", "resolis.nt"):
        assert file_programmes(built / name) == set(TITLES.values()), name
    assert json.loads((built / "validation.json").read_text(encoding="utf-8"))
    assert (built / "validation.ttl").stat().st_size > 0
    assert sorted(path.name for path in built.iterdir()) == sorted([
        "resolis.ttl", "resolis.jsonld", "resolis.nt", "resolis.nt.gz", "resolis.nq.gz", "context.jsonld",
        "catalog.ttl", "void.ttl", "validation.ttl", "validation.json", "LICENSE.txt",
    ])


def test_build_with_a_bad_input_still_writes_the_others(tmp_path: Path):
    """A user builds a directory holding one empty file: exit 3, a summary, the four good reports written."""
    folder, out = tmp_path / "reports", tmp_path / "dist"
    shutil.copytree(REPORTS, folder, ignore=shutil.ignore_patterns(GARDENS.name))
    (folder / "zz_empty.txt").write_bytes(b"")
    result = run("build", "--input", folder, "--out", out)
    assert result.exit_code == 3
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{folder / 'zz_empty.txt'}: error: the file is empty: expected a RESOLIS report (see REPORT_FORMAT.md)"]
    assert "Converted 4 report(s)" in result.stderr and "1 error(s)" in result.stderr
    expected = {title for path, title in TITLES.items() if path != GARDENS}
    for name in ("resolis.ttl", "resolis.jsonld", "resolis.nt"):
        assert file_programmes(out / name) == expected, name


@pytest.mark.parametrize("broken", [False, True])
def test_build_in_a_real_process_ends_at_once_with_everything_said(tmp_path: Path, broken: bool):
    """The console script ends a build's process without freeing its objects (cli.leave): the
    exit code, the summary, the --timings file and every output are there all the same."""
    folder, out = tmp_path / "reports", tmp_path / "dist"
    shutil.copytree(REPORTS, folder)
    if broken:
        (folder / "zz_empty.txt").write_bytes(b"")
    args = ["build", "--input", folder, "--out", out, "--timings", tmp_path / "timings.json", "-v"]
    process = run_process(*args, cwd=tmp_path)
    in_runner = run(*args[:3], "--out", tmp_path / "again")
    assert process.returncode == in_runner.exit_code == (3 if broken else 0)
    stderr = process.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    assert stderr.rstrip().splitlines()[-1].startswith("Unreconciled partner and funder names:"), stderr
    assert f"{out / 'LICENSE.txt'}: wrote" in stderr
    assert json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))["reports"] == 5
    assert files_of(out) == files_of(tmp_path / "again")


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_build_quiet_prints_only_errors(tmp_path: Path):
    """A user runs ``build -q``: no warnings and no summary on stderr."""
    result = run("build", "-q", "--input", REPORTS, "--out", tmp_path / "dist")
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""


def test_build_of_a_missing_directory_exits_3(tmp_path: Path):
    """A user builds from a directory that does not exist: exit 3 naming it."""
    missing = tmp_path / "no-reports"
    result = run("-q", "build", "--input", missing, "--out", tmp_path / "dist")
    assert result.exit_code == 3
    assert_one_error(result.stderr, missing, "no such file or directory")


# -- render -------------------------------------------------------------------------------------


def test_render_writes_one_text_per_report(tmp_path: Path, built: Path):
    """A user renders a built graph into a directory: one <slug>.txt per report, each with its title."""
    out = tmp_path / "texts"
    result = run("render", built / "resolis.ttl", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    texts = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    assert len(texts) == len(TITLES)
    assert all(name.endswith(".txt") for name in texts)
    assert "time-for-parents-training-sessions.txt" in texts
    for title in TITLES.values():
        assert sum(text.startswith("Logo ") and f"\n{title}\n" in text for text in texts.values()) == 1, title


@pytest.mark.parametrize("dump", ["resolis.ttl", "resolis.jsonld", "resolis.nt"])
def test_render_one_programme(built: Path, dump: str):
    """A user renders one programme of a built graph (any format) by its IRI: its text alone on stdout."""
    result = run("render", built / dump, "--programme", PARENTS_IRI)
    assert result.exit_code == 0
    assert result.stdout.startswith("Logo Le Temps des Parents\n")
    assert result.stdout.count("\nLogo ") == 0 and TITLES[PARENTS] in result.stdout


def _bad_graph(tmp_path: Path, built: Path, case: str) -> tuple[list[object], Path, str]:
    if case == "missing file":
        path = tmp_path / "missing.ttl"
        return [path], path, "no such file"
    if case == "not RDF":
        path = tmp_path / "dump.ttl"
        path.write_text("this is not turtle\n", encoding="utf-8")
        return [path], path, "not valid turtle"
    if case == "report text":
        return [PARENTS], PARENTS, "unknown RDF file type"
    path = built / "resolis.ttl"
    unknown = DEFAULT_BASE + "programme/no-such-programme"
    return [path, "--programme", unknown], path, f"no programme {unknown} in this graph"


@pytest.mark.parametrize("case", [
    "missing file",
    "not RDF",
    "report text",
    "unknown programme",
])
def test_render_errors_exit_3(tmp_path: Path, built: Path, case: str):
    """A user renders a missing or bad graph, or an unknown programme: exit 3, one line naming the file."""
    args, path, why = _bad_graph(tmp_path, built, case)
    result = run("render", *args)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert_one_error(result.stderr.removeprefix("Error: "), path, why)
    assert result.stderr.startswith("Error: ")


# -- unexpected crashes -----------------------------------------------------------------------------


def _explode(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize("command", [
    lambda tmp_path: ["convert", PARENTS],
    lambda tmp_path: ["build", "--input", REPORTS, "--out", tmp_path / "dist"],
], ids=["convert", "build"])
def test_crash_exits_70_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command):
    """A user hits a bug: exit 70 and one "internal error" line pointing to --debug, no traceback."""
    monkeypatch.setattr("resolis_ld.cli.dump_bytes", _explode)
    monkeypatch.setattr("resolis_ld.build.serialize", _explode)
    result = run("-q", *command(tmp_path))
    assert result.exit_code == 70
    assert result.stderr.startswith("Error: internal error (RuntimeError: boom)")
    assert "--debug shows the traceback" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("where", ["before", "after"])
def test_crash_with_debug_propagates(monkeypatch: pytest.MonkeyPatch, where: str):
    """A user reruns a crash with --debug: the exception itself comes out (for its traceback)."""
    monkeypatch.setattr("resolis_ld.cli.dump_bytes", _explode)
    args = ["--debug", "convert", PARENTS] if where == "before" else ["convert", PARENTS, "--debug"]
    result = invoke(*args)
    assert isinstance(result.exception, RuntimeError) and str(result.exception) == "boom"
    assert "internal error" not in result.stderr


def test_closed_stdout_is_not_an_internal_error(tmp_path: Path):
    """A user pipes the output into a reader that stops early (``| head``): no "internal error", no exit 70."""
    process = subprocess.Popen(
        [sys.executable, "-m", "resolis_ld", "convert", PARENTS], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    process.stdout.close()  # the reader is gone before anything is written
    stderr = process.stderr.read().decode("utf-8")
    process.wait(timeout=300)
    process.stderr.close()
    assert "Traceback" not in stderr
    assert "internal error" not in stderr, stderr
    assert process.returncode == 141
