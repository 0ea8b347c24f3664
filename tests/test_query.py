"""resolis-ld query: bundled queries, parameters, result formats, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from resolis_ld.cli import cli
from resolis_ld.errors import UsageError
from resolis_ld.query import bind_parameters, bundled_queries, find_query, named_query, parse_value
from resolis_ld.results import negotiate

from conftest import REPORT_FILES, SEEDS

SCHOOL = "School Workshops: help parents to better support their child's education"
PARENTS = "Time for Parents Training Sessions"
QUERIES = bundled_queries()


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def seeds_ttl(tmp_path_factory) -> Path:
    """The two seeds converted once, as an RDF file for --data."""
    path = tmp_path_factory.mktemp("seeds") / "seeds.ttl"
    result = run("-q", "convert", *map(str, SEEDS), "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def fixtures_ttl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fixtures") / "fixtures.ttl"
    assert run("-q", "convert", *map(str, REPORT_FILES), "-o", str(path)).exit_code == 0
    return path


def rows(path: Path, name: str, *params: str) -> list[dict]:
    """A query's answer through the command, parsed back from its CSV."""
    result = run("query", name, "--data", str(path), "--format", "csv", *[a for p in params for a in ("--param", p)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout, newline="")))


# -- every bundled query ------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_bundled_query_runs_on_the_fixtures(query, fixtures_ttl):
    assert query.description and len(query.description) > 10
    result = run("query", query.name, "--data", str(fixtures_ttl), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "results" in json.loads(result.stdout)


def test_list_shows_names_descriptions_and_parameters():
    result = run("query", "--list")
    assert result.exit_code == 0
    for query in QUERIES:
        assert f"{query.name}  " in result.stdout and query.description in result.stdout
    assert "--param region=…" in result.stdout


def test_short_names():
    assert find_query("cq08").name == find_query("programmes-in-region").name == "cq08-programmes-in-region"


# -- the competency answers, through the command -----------------------------------------------


def test_competency_answers_through_the_command(seeds_ttl):
    assert [r["title"] for r in rows(seeds_ttl, "cq01")] == [SCHOOL, PARENTS]
    assert [(r["title"], r["amount"]) for r in rows(seeds_ttl, "cq02")] == [(SCHOOL, "8250"), (PARENTS, "8640")]
    assert sorted(r["funderName"] for r in rows(seeds_ttl, "cq03") if r["title"] == PARENTS) == sorted(
        ["SAN", "CAF77", "CUCS (Urban Cotract for Social Cohesion) of Sénart", "Lieusaint town"])
    assert [(r["label"], r["programmes"]) for r in rows(seeds_ttl, "cq04")] == [("Education", "2"), ("Social exclusion and isolation", "1")]
    assert [r["title"] for r in rows(seeds_ttl, "cq05")] == [SCHOOL]
    assert [(r["typeLabel"], r["title"]) for r in rows(seeds_ttl, "cq06")] == [
        ("Association, ONG", SCHOOL), ("Association, ONG", PARENTS), ("Public institution", SCHOOL)]
    assert [(r["employees"], r["volunteers"], r["members"]) for r in rows(seeds_ttl, "cq07")] == [("6", "10", "70"), ("5", "1", "26")]
    assert [r["title"] for r in rows(seeds_ttl, "cq08")] == [SCHOOL, PARENTS]
    assert [(r["author"], r["year"]) for r in rows(seeds_ttl, "cq09")] == [("Christine Lebreton", "2015"), ("Alain Maucherat", "2014")]
    assert [(r["title"], r["proofread"]) for r in rows(seeds_ttl, "cq10")] == [(PARENTS, "2014-01-31")]
    assert len(rows(seeds_ttl, "cq11")) == 5
    assert [(r["objectives"], r["difficulties"]) for r in rows(seeds_ttl, "cq12")] == [("2", "3"), ("4", "1")]
    assert rows(seeds_ttl, "cq13") == []


def test_parameters_change_the_answer(seeds_ttl, fixtures_ttl):
    assert rows(seeds_ttl, "cq08", "region=Bretagne") == []
    assert [r["title"] for r in rows(seeds_ttl, "cq02", "max=8500")] == [SCHOOL]
    assert [r["title"] for r in rows(seeds_ttl, "cq05", "beneficiary=Universal")] == [PARENTS]
    assert [r["title"] for r in rows(seeds_ttl, "cq10", 'before="2016-01-01"^^xsd:date')] == [PARENTS, SCHOOL]
    themed = rows(fixtures_ttl, "programmes-by-theme-and-region", "theme=education", "region=Île")
    assert [r["title"] for r in themed] == [SCHOOL, PARENTS]
    assert {r["funderName"] for r in rows(fixtures_ttl, "funders-and-what-they-fund", "funder=caf")} == {"CAF77"}
    needing = rows(fixtures_ttl, "reports-needing-work")
    assert [r["title"] for r in needing] == ["Community Gardens in the Housing Estates of Roubaix"]
    assert "budget" in needing[0]["missing"]


# -- parameters cannot inject -------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    'x"} ; DROP ALL ; #',
    "Île-de-France' } UNION { ?programme ?p ?title } #",
    'Île-de-France" ) ) } UNION { ?programme ?p ?title } #',
    "x\n} UNION { ?programme ?p ?title }",
])
def test_a_parameter_stays_one_literal(value, seeds_ttl):
    assert rows(seeds_ttl, "cq08", f"region={value}") == []
    text = bind_parameters(named_query("SELECT ?region WHERE { }", "q"), {"region": ox.Literal(value)})
    [solution] = list(ox.Store().query(text))
    assert solution["region"] == ox.Literal(value)


def test_a_quoted_value_must_be_exactly_one_literal():
    assert parse_value('"Lyon"@fr') == ox.Literal("Lyon", language="fr")
    assert parse_value("<https://example.org/x>") == ox.NamedNode("https://example.org/x")
    assert parse_value("plain text") == ox.Literal("plain text")
    for bad in ['"a" , "b"', '"a" . <urn:s> <urn:p> "b"', '"unclosed']:
        with pytest.raises(UsageError):
            parse_value(bad)


def test_values_go_into_the_where_group_not_the_construct_template():
    query = named_query('CONSTRUCT { ?s <urn:p> "{" } WHERE { ?s ?p ?x }', "q")
    text = bind_parameters(query, {"x": ox.Literal("v")})
    assert text == 'CONSTRUCT { ?s <urn:p> "{" } WHERE { VALUES (?x) { ("v") }  ?s ?p ?x }'


def test_unknown_parameter_is_a_usage_error(seeds_ttl):
    result = run("query", "cq08", "--data", str(seeds_ttl), "--param", "colour=blue")
    assert result.exit_code == 2
    assert "Error: query cq08-programmes-in-region has no parameter 'colour' (it takes: region)" in result.stderr
    assert run("query", "cq08", "--data", str(seeds_ttl), "--param", "novalue").exit_code == 2


# -- formats ------------------------------------------------------------------------------------


def test_json_follows_the_w3c_shape(seeds_ttl):
    document = json.loads(run("query", "cq02", "--data", str(seeds_ttl), "--format", "json").stdout)
    assert document["head"]["vars"] == ["programme", "title", "amount"]
    first = document["results"]["bindings"][0]
    assert first["programme"]["type"] == "uri"
    assert first["title"] == {"type": "literal", "value": SCHOOL, "xml:lang": "en"}
    assert first["amount"] == {"type": "literal", "value": "8250", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}


def test_csv_and_tsv_follow_the_w3c_shape(seeds_ttl):
    text = run("query", "cq02", "--data", str(seeds_ttl), "--format", "csv").stdout_bytes.decode()
    assert text.startswith("programme,title,amount\r\n")
    assert list(csv.reader(io.StringIO(text, newline="")))[1][1:] == [SCHOOL, "8250"]
    tsv = run("query", "cq02", "--data", str(seeds_ttl), "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?programme\t?title\t?amount"
    iri, title, amount = tsv[1].split("\t")
    assert iri.startswith("<https://w3id.org/resolis/id/programme/") and iri.endswith(">")
    assert title == f'"{SCHOOL}"@en' and amount == '"8250"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def test_table_is_aligned(seeds_ttl):
    lines = run("query", "cq07", "--data", str(seeds_ttl)).stdout.splitlines()
    assert lines[0].split() == ["organisation", "name", "employees", "volunteers", "members"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[0].index("employees") == lines[2].index("6")
    assert lines[-1] == "(2 rows)"


def test_construct_prints_turtle_or_jsonld(seeds_ttl):
    query = "CONSTRUCT { ?p <urn:x:title> ?t } WHERE { ?p a <https://w3id.org/resolis/ns#Programme> ; <http://purl.org/dc/terms/title> ?t }"
    turtle = run("query", query, "--data", str(seeds_ttl)).stdout
    graph = ox.Store()
    graph.load(input=turtle, format=ox.RdfFormat.TURTLE)
    assert len(graph) == 2
    document = json.loads(run("query", query, "--data", str(seeds_ttl), "--format", "json").stdout)
    assert "@context" in document and len(document["@graph"]) == 2
    assert run("query", query, "--data", str(seeds_ttl), "--format", "csv").exit_code == 2


def test_ask_exit_codes(seeds_ttl):
    yes = run("query", "ASK { ?p a <https://w3id.org/resolis/ns#Programme> }", "--data", str(seeds_ttl))
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = run("query", "ASK { ?p a <urn:x:Nothing> }", "--data", str(seeds_ttl), "--format", "json")
    assert no.exit_code == 1 and json.loads(no.stdout) == {"head": {}, "boolean": False}


# -- errors -------------------------------------------------------------------------------------


def test_syntax_error_gives_line_and_column(seeds_ttl, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# a broken query\nSELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTR (?z)\n}\n", encoding="utf-8")
    result = run("query", str(path), "--data", str(seeds_ttl))
    assert result.exit_code == 2
    assert re.fullmatch(rf"Error: {re.escape(str(path))}:4:\d+: SPARQL syntax error: .+\n", result.stderr), result.stderr


def test_missing_default_data_says_run_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("query", "cq01")
    assert result.exit_code == 3
    assert result.stderr == "Error: dist/resolis.ttl: error: no such file: run resolis-ld build first, or give --data FILE\n"


def test_unreadable_data_and_unknown_query(tmp_path):
    result = run("query", "cq01", "--data", str(tmp_path / "missing.ttl"))
    assert result.exit_code == 3 and "missing.ttl: error: no such file" in result.stderr
    assert run("query", "no-such-query").exit_code == 2
    assert run("query", str(tmp_path / "missing.rq")).exit_code == 3


def test_report_files_are_converted_on_the_fly():
    result = run("query", "cq01", "--data", str(SEEDS[0]), "--data", str(SEEDS[1]), "--format", "csv")
    assert result.exit_code == 0
    assert [r["title"] for r in csv.DictReader(io.StringIO(result.stdout))] == [SCHOOL, PARENTS]


def test_negotiation_prefers_explicit_types_and_respects_q0():
    offers = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offers) == offers[0]
    assert negotiate("text/csv", offers) == "text/csv"
    assert negotiate("*/*, application/sparql-results+json;q=0", offers) == "text/csv"
    assert negotiate("text/*;q=0.5, */*;q=0.1", offers) == "text/csv"
    assert negotiate("image/png", offers) is None


def test_reports_load_into_the_store_as_the_build_writes_them(tmp_path: Path):
    """The store of report files (the build's conversion, in two workers, through a cache) holds
    the triples of the build's resolis.nt (loaded by Oxigraph too, which writes numbers in their
    canonical form), and a broken RDF file beside them is an input error."""
    from resolis_ld.build import build
    from resolis_ld.store import load_store

    build([str(path) for path in REPORT_FILES], tmp_path / "dist")
    dump = ox.Store()
    dump.bulk_load(path=str(tmp_path / "dist" / "resolis.nt"), format=ox.RdfFormat.N_TRIPLES)
    broken = tmp_path / "broken.nt"
    broken.write_text("<http://a> <http://b> oops .\n", encoding="utf-8")
    names = [str(path) for path in REPORT_FILES] + [str(broken)]
    store, result = load_store(names, jobs=2, cache_dir=tmp_path / "cache")
    assert set(store) == set(dump) and len(store) > 500
    assert [str(error.path) for error in result.errors] == [str(broken)]
