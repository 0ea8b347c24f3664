"""resolis-ld build's files: byte-stable whatever the order and place of the inputs, gzip that
decompresses to the canonical dumps, N-Quads whose union is the graph, LICENSE.txt, options."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, REPORT_FILES, REPORTS, assert_isomorphic
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from resolis_ld.aliases import read_alias_table
from resolis_ld.build import build, dump_bytes
from resolis_ld.catalog import shared_graph
from resolis_ld.cli import cli
from resolis_ld.namespaces import DEFAULT_BASE, RESOLIS

ALIASES = read_alias_table(DATA / "organisations.csv")
DATASET = URIRef(f"{DEFAULT_BASE}dataset")
# What depends on the names of the input files: the provenance record (its label), hence the
# dumps, their checksums in the catalogue, and validation's "source" fields.
NAME_FREE = ["context.jsonld", "void.ttl", "LICENSE.txt"]


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build([str(path) for path in REPORT_FILES], out, aliases=ALIASES)
    return out


# -- byte stability -----------------------------------------------------------------------------


def test_same_bytes_on_a_second_build_and_with_the_inputs_reversed(tmp_path: Path, dist: Path):
    """The one test that compares bytes: every file, rebuilt, and rebuilt from the inputs reversed."""
    again, reversed_ = tmp_path / "again", tmp_path / "reversed"
    build([str(path) for path in REPORT_FILES], again, aliases=ALIASES)
    build([str(path) for path in REPORT_FILES[::-1]], reversed_, aliases=ALIASES)
    assert len(files(dist)) == 11
    assert files(again) == files(dist)
    assert files(reversed_) == files(dist)


def test_input_directory_names_change_nothing_but_the_provenance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Same reports in two differently named directories: built from inside each (relative names
    alike), every byte is equal; built by their paths, only what names the files differs."""
    outputs = {}
    for folder in ("first-copy", "another-name"):
        shutil.copytree(REPORTS, tmp_path / folder)
        monkeypatch.chdir(tmp_path / folder)
        build(["."], tmp_path / f"{folder}-relative", aliases=ALIASES)
        monkeypatch.chdir(tmp_path)
        build([str(tmp_path / folder)], tmp_path / f"{folder}-absolute", aliases=ALIASES)
        outputs[folder] = files(tmp_path / f"{folder}-relative"), files(tmp_path / f"{folder}-absolute")
    assert outputs["first-copy"][0] == outputs["another-name"][0]
    first, other = outputs["first-copy"][1], outputs["another-name"][1]
    assert {name: first[name] for name in NAME_FREE} == {name: other[name] for name in NAME_FREE}
    graphs = [Graph().parse(data=dumps["resolis.ttl"], format="turtle") for dumps in (first, other)]
    for graph in graphs:
        for source in set(graph.objects(None, PROV.wasDerivedFrom)):
            graph.remove((source, RDFS.label, None))
    assert_isomorphic(graphs[0], graphs[1], "resolis.ttl without the source file names")


# -- gzip and N-Quads ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["resolis.nt.gz", "resolis.nq.gz"])
def test_gzip_files_have_no_time_or_name_and_hold_canonical_dumps(dist: Path, name: str):
    data = (dist / name).read_bytes()
    assert data[3] & 0x08 == 0, "FNAME flag set: a file name is in the header"
    assert data[4:8] == b"\0\0\0\0", "the header holds a modification time"
    graph = Graph().parse(dist / "resolis.ttl")
    format_ = "nquads" if name.endswith(".nq.gz") else "nt"
    # Canonical: the same bytes as serialising the graph read back from the Turtle dump.
    assert gzip.decompress(data) == dump_bytes(graph, format_)
    if format_ == "nt":
        assert gzip.decompress(data) == (dist / "resolis.nt").read_bytes()


def test_nquads_hold_one_graph_per_report_and_their_union_is_the_turtle_dump(dist: Path):
    dataset = Dataset()
    dataset.parse(data=gzip.decompress((dist / "resolis.nq.gz").read_bytes()), format="nquads")
    union, names = Graph(), set()
    for subject, predicate, obj, name in dataset.quads():
        union.add((subject, predicate, obj))
        names.add(name)
    turtle = Graph().parse(dist / "resolis.ttl")
    assert_isomorphic(union, turtle, "the union of the N-Quads")
    reports = set(turtle.subjects(RDF.type, RESOLIS.Report))
    assert names == reports | {shared_graph(DEFAULT_BASE)}
    for report in reports:
        own = dataset.graph(report)
        assert (report, RDF.type, RESOLIS.Report) in own
        assert (turtle.value(report, FOAF.primaryTopic), RDF.type, RESOLIS.Programme) in own
    shared = dataset.graph(shared_graph(DEFAULT_BASE))
    assert (DATASET, RDF.type, DCAT.Dataset) in shared
    # A concept two programmes use is shared, not copied into both report graphs.
    education = URIRef(f"{DEFAULT_BASE}concept/solution/education")
    assert (education, RDF.type, None) in shared
    assert sum(1 for *_, name in dataset.quads((education, RDF.type, None, None))) == 1


# -- LICENSE.txt --------------------------------------------------------------------------------


def test_licence_names_every_author_resolis_and_the_licence(dist: Path):
    text = (dist / "LICENSE.txt").read_text(encoding="utf-8")
    graph = Graph().parse(dist / "resolis.ttl")
    authors = {str(name) for person in graph.objects(None, DCTERMS.creator) for name in graph.objects(person, FOAF.name)}
    assert len(authors) == 5
    for needed in [*authors, "RESOLIS", "Journal RESOLIS", "http://creativecommons.org/licenses/by/3.0/", "CC-BY 3.0"]:
        assert needed in text, needed
    for report in graph.subjects(RDF.type, RESOLIS.Report):
        assert f"<{report}>" in text


# -- the command's options ----------------------------------------------------------------------


def test_public_url_and_date_options(tmp_path: Path):
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, [
        "-q", "build", "--input", str(REPORTS), "--out", str(out),
        "--public-url", "https://data.example.org/resolis", "--date", "2020-01-02",
    ])
    assert result.exit_code == 0, result.output
    catalog = Graph().parse(out / "catalog.ttl")
    urls = {str(url) for url in catalog.objects(None, DCAT.downloadURL)}
    assert urls and all(url.startswith("https://data.example.org/resolis/resolis.") for url in urls)
    assert catalog.value(DATASET, DCTERMS.modified) == Literal("2020-01-02", datatype=XSD.date)


def test_source_date_epoch_sets_the_date(tmp_path: Path):
    out = tmp_path / "dist"
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        cli, ["-q", "build", "--input", str(REPORTS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Graph().parse(out / "catalog.ttl").value(DATASET, DCTERMS.modified) == Literal("2023-11-14", datatype=XSD.date)


@pytest.mark.parametrize("args, env, message", [
    (["--public-url", "ftp://example.org/"], {}, "is not an http(s) URL"),
    (["--date", "14/11/2023"], {}, "'14/11/2023' does not match the format"),
    ([], {"SOURCE_DATE_EPOCH": "yesterday"}, "SOURCE_DATE_EPOCH='yesterday' is not a number"),
], ids=["public url", "date", "SOURCE_DATE_EPOCH"])
def test_bad_options_exit_2(tmp_path: Path, args: list[str], env: dict[str, str], message: str):
    result = CliRunner(env=env).invoke(cli, ["build", "--input", str(REPORTS), "--out", str(tmp_path / "d"), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "d").exists()
