"""SHACL validation: every shape caught and passed, results located in files, compiled == pySHACL."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, XSD

from resolis_ld import validate as validate_module
from resolis_ld.closures import owners, report_closures
from resolis_ld.compiled_shapes import CompiledShapes, UnsupportedShapes
from resolis_ld.concepts import load_concepts
from resolis_ld.mapping import graph_from_reports
from resolis_ld.namespaces import PREFIXES
from resolis_ld.ntriples import nt_term, triples_of
from resolis_ld.parse import parse_report
from resolis_ld.triple_index import TripleIndex
from resolis_ld.serialize import rdflib_turtle, serialize
from resolis_ld.validate import (
    compiled_shapes, load_shapes, pyshacl_results, report_graph, report_turtle, validate_graph,
)
from resolis_ld.validation_formats import format_github, format_json, format_junit, format_text

from conftest import REPORT_FILES, REPORTS

RSH = "https://w3id.org/resolis/shapes#"
SEED = REPORTS / "000_bf3554a4a4265cfd.txt"
PREFIX_LINES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + "PREFIX data: <https://w3id.org/resolis/id/>\n"


def broken_seed(path: Path, *, staff_in_words: bool = False) -> Path:
    """The complete seed with its summary label garbled (so no summary), optionally a count in words."""
    text = re.sub(r"^Summary\s*:", "Sumary", SEED.read_text(encoding="utf-8"), flags=re.MULTILINE)
    if staff_in_words:
        text = re.sub(r"Employees\s*:\s*6", "Employees : six", text)
    path.write_text(text, encoding="utf-8")
    return path


def graph_of(*paths: Path) -> Graph:
    reports = [parse_report(path.read_bytes(), path.name).report for path in paths]
    graph, _ = graph_from_reports(reports, load_concepts())
    return graph


def shapes_hit(graph: Graph) -> dict[str, str]:
    return {r.shape.removeprefix(RSH): r.severity for r in validate_graph(graph).results}


def replace(prop: str, value: str, subject: str = "?s", where: str = "") -> str:
    return f"DELETE {{ {subject} {prop} ?old }} INSERT {{ {subject} {prop} {value} }} WHERE {{ {where} {subject} {prop} ?old }}"


def delete(prop: str, subject: str = "?s", where: str = "") -> str:
    return f"DELETE {{ {subject} {prop} ?old }} WHERE {{ {where} {subject} {prop} ?old }}"


def insert(prop: str, value: str, subject: str = "?s", where: str = "") -> str:
    return f"INSERT {{ {subject} {prop} {value} }} WHERE {{ {where} }}"


REPORT = "?s a resolis:Report ."
PROGRAMME = "?s a resolis:Programme ."
LEAD = "?p resolis:leadOrganisation ?s ."
BUDGET = "?p resolis:budget ?s ."
FUNDING = "?s a resolis:FundingSource ."

# shape -> the update that breaks it on the complete seed report (which breaks no shape).
BREAKS = {
    "ReportTitle": delete("dcterms:title", where=REPORT),
    "ReportTitleOnePerLanguage": insert("dcterms:title", '"Another title"@en', where=REPORT),
    "ReportTitleLanguage": replace("dcterms:title", '"No language"', where=REPORT),
    "ReportBibliographicCitationLanguage": replace("dcterms:bibliographicCitation", '"No language"', where=REPORT),
    "ReportCommitteeOpinionLanguage": replace("resolis:committeeOpinion", '"No language"', where=REPORT),
    "ReportLicence": delete("dcterms:license", where=REPORT),
    "ReportLicenceCreativeCommons": replace("dcterms:license", "<http://example.org/licence>", where=REPORT),
    "ReportPrimaryTopic": delete("foaf:primaryTopic", where=REPORT),
    "ReportAuthor": delete("dcterms:creator", where=REPORT),
    "ReportCollection": delete("dcterms:isPartOf", where=REPORT),
    "ReportProofreadingDate": delete("resolis:proofreadingDate", where=REPORT),
    "ReportProofreadingDateValue": replace("resolis:proofreadingDate", '"2015"^^xsd:gYear', where=REPORT),
    "ReportProofreadingDateText": insert("resolis:proofreadingDateText", '"spring"@en', where=REPORT),
    "ReportIssuedValue": replace("dcterms:issued", '"two thousand"', where=REPORT),
    "ReportCommitteeOpinion": delete("resolis:committeeOpinion", where=REPORT),
    "ProgrammeTitle": delete("dcterms:title", where=PROGRAMME),
    "ProgrammeTitleOnePerLanguage": insert("dcterms:title", '"Another title"@en', where=PROGRAMME),
    "ProgrammeSummary": delete("dcterms:abstract", where=PROGRAMME),
    "ProgrammeLeadOrganisation": delete("resolis:leadOrganisation", where=PROGRAMME),
    "ProgrammeLeadOrganisationType": "DELETE { ?o a resolis:Organisation } WHERE { ?p resolis:leadOrganisation ?o }",
    "ProgrammeStartDate": delete("schema:startDate", where=PROGRAMME),
    "ProgrammeStartDateValue": replace("schema:startDate", '"some day"', where=PROGRAMME),
    "ProgrammeStartDateText": insert("resolis:startDateText", '"spring"@en', where=PROGRAMME),
    "ProgrammeEndDateValue": insert("schema:endDate", '"later"', where=PROGRAMME),
    "ProgrammeBudget": delete("resolis:budget", where=PROGRAMME),
    "ProgrammeFundingSource": delete("resolis:fundingSource", where=PROGRAMME),
    "ProgrammeCountry": delete("resolis:country", where=PROGRAMME),
    "ProgrammeObjectives": delete("resolis:objective", where=PROGRAMME),
    "ProgrammeActions": delete("resolis:action", where=PROGRAMME),
    "ProgrammeResults": delete("resolis:result", where=PROGRAMME),
    "ProgrammePartnership": delete("resolis:partnership", where=PROGRAMME),
    "ProgrammeFurtherReading": delete("resolis:furtherReading", where=PROGRAMME),
    "ProgrammeSolutionInScheme": insert("resolis:solution", "data:concept\\/domain\\/health", where=PROGRAMME),
    "ProgrammeDomainInScheme": insert("resolis:domain", "data:concept\\/solution\\/health", where=PROGRAMME),
    "ProgrammeBeneficiaryInScheme": insert("resolis:beneficiary", "data:concept\\/domain\\/health", where=PROGRAMME),
    "ProgrammeParticipantTypeInScheme": insert("resolis:participantType", "data:concept\\/domain\\/health", where=PROGRAMME),
    "ProgrammeStatureInScheme": insert("resolis:stature", "data:concept\\/domain\\/health", where=PROGRAMME),
    "FundingTypeInScheme": insert("resolis:fundingType", "data:concept\\/domain\\/health", where=FUNDING),
    "BudgetAmount": delete("schema:value", where=BUDGET),
    "BudgetAmountValue": replace("schema:value", '"lots"', where=BUDGET),
    "BudgetAmountNotNegative": replace("schema:value", '"-5.0"^^xsd:decimal', where=BUDGET),
    "OrganisationName": delete("rdfs:label", where=LEAD),
    "LeadOrganisationAddress": delete("schema:address", where=LEAD),
    "LeadOrganisationStaff": "DELETE { ?s ?count ?n } WHERE { ?p resolis:leadOrganisation ?s . ?s ?count ?n "
    "FILTER (?count IN (resolis:employeeCount, resolis:volunteerCount, resolis:memberCount)) }",
    "FrenchPostcode": "DELETE { ?a schema:postalCode ?c } INSERT { ?a schema:postalCode \"9330\" } "
    "WHERE { ?p resolis:leadOrganisation/schema:address ?a . ?a schema:postalCode ?c }",
}
for field, prop in (("Employees", "employeeCount"), ("Volunteers", "volunteerCount"), ("Members", "memberCount")):
    BREAKS[f"Organisation{field}Value"] = replace(f"resolis:{prop}", '"six"', where=LEAD)
    BREAKS[f"Organisation{field}NotNegative"] = replace(f"resolis:{prop}", "-3", where=LEAD)
    BREAKS[f"Organisation{field}Text"] = insert(f"resolis:{prop}Text", '"a few"@en', where=LEAD)
for local in ("label", "abstract", "background", "objective", "action", "result", "originality", "difficulty",
              "remedy", "suggestion", "successFactor", "furtherReading", "additionalNarrative"):
    prefix = "rdfs" if local == "label" else "dcterms" if local in ("title", "abstract") else "resolis"
    BREAKS[f"Programme{local[0].upper()}{local[1:]}Language"] = insert(f"{prefix}:{local}", '"No language"', where=PROGRAMME)
BREAKS["ProgrammeTitleLanguage"] = replace("dcterms:title", '"No language"', where=PROGRAMME)


def all_shapes() -> dict[str, str]:
    shapes = load_shapes()
    found = {}
    for shape in set(shapes.subjects(SH.severity, None)):
        if str(shape).startswith(RSH):
            found[str(shape).removeprefix(RSH)] = str(shapes.value(shape, SH.severity)).removeprefix(str(SH)).lower()
    return found


def broken_copy(graph: Graph, shape: str) -> Graph:
    """A copy of the graph with the update that breaks ``shape`` applied."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    copy.update(PREFIX_LINES + BREAKS[shape])
    return copy


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    return graph_of(SEED)


def test_the_complete_seed_breaks_no_shape(seed_graph: Graph):
    assert shapes_hit(seed_graph) == {}


def test_every_shape_has_a_breaking_fragment():
    assert sorted(set(all_shapes()) - set(BREAKS)) == []


@pytest.mark.parametrize("shape", sorted(BREAKS))
def test_each_shape_catches_its_fragment(seed_graph: Graph, shape: str):
    hit = shapes_hit(broken_copy(seed_graph, shape))
    assert shape in hit, f"{shape} not reported; got {sorted(hit)}"
    assert hit[shape] == all_shapes()[shape]


def test_every_shape_speaks_english_and_french():
    shapes = load_shapes()
    for name in all_shapes():
        shape = URIRef(RSH + name)
        constraint = shapes.value(shape, SH.sparql) or shape
        languages = {m.language for m in shapes.objects(constraint, SH.message)}
        assert languages == {"en", "fr"}, name


EXPECTED = {  # fixture -> the results it gives, as (shape, severity, line)
    "000_bf3554a4a4265cfd.txt": [],
    "002_e8fb812dc0f34af1.txt": [("ReportCommitteeOpinion", "info", 24), ("ProgrammeFurtherReading", "info", 37)],
    "S1_shared_kitchens.txt": [],
    "S2_ateliers_numeriques_fr.txt": [],
    "S3_community_gardens_crlf.txt": [
        ("ProgrammeBudget", "warning", 10), ("LeadOrganisationAddress", "warning", 16),
        ("OrganisationVolunteersText", "warning", 17), ("ReportProofreadingDate", "warning", 20),
        ("ReportCommitteeOpinion", "info", 20), ("ProgrammeResults", "warning", 32),
        ("ProgrammeFurtherReading", "info", 32), ("ProgrammePartnership", "info", 32),
    ],
}


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
def test_fixture_gives_exactly_the_expected_results(path: Path):
    results = validate_graph(graph_of(path)).results
    assert [(r.shape.removeprefix(RSH), r.severity, r.line) for r in results] == EXPECTED[path.name]
    assert all(r.source == path.name for r in results)


def mutated(graph: Graph, seed: int) -> Graph:
    """A copy with a random tenth of its triples dropped and some literals retyped or untagged."""
    chooser = random.Random(seed)
    copy = Graph()
    retypes = [XSD.integer, XSD.decimal, XSD.gYear, XSD.date, XSD.string, None]
    for s, p, o in sorted(graph):
        roll = chooser.random()
        if roll < 0.1:
            continue
        if roll < 0.15 and isinstance(o, Literal):
            o = Literal(str(o), datatype=chooser.choice(retypes))
        copy.add((s, p, o))
    return copy


def assert_same_as_pyshacl(graph: Graph) -> None:
    compiled = set(compiled_shapes().validate(graph))
    reference = pyshacl_results(graph)
    assert compiled == reference, (
        f"only compiled: {sorted(compiled - reference, key=repr)}\nonly pySHACL: {sorted(reference - compiled, key=repr)}"
    )


def test_the_bundled_shapes_compile():
    assert compiled_shapes() is not None


def test_compiled_shapes_equal_pyshacl_on_the_fixtures_and_a_broken_copy(tmp_path: Path):
    broken = broken_seed(tmp_path / "broken.txt", staff_in_words=True)
    graph = graph_of(*REPORT_FILES, broken)
    assert any(result[0] == "violation" for result in pyshacl_results(graph))
    assert_same_as_pyshacl(graph)


@pytest.mark.parametrize("shape", sorted(BREAKS))
def test_compiled_shapes_equal_pyshacl_on_each_broken_fragment(seed_graph: Graph, shape: str):
    assert_same_as_pyshacl(broken_copy(seed_graph, shape))


@pytest.mark.parametrize("seed", range(8))
def test_compiled_shapes_equal_pyshacl_on_randomly_damaged_graphs(seed: int):
    assert_same_as_pyshacl(mutated(graph_of(*REPORT_FILES), seed))


@pytest.mark.parametrize("feature", [
    "sh:in ( 1 2 )", "sh:sparql [ sh:select \"SELECT $this WHERE { }\" ]", "sh:hasValue 1", "sh:lessThan rdfs:label",
])
def test_a_feature_the_compiler_does_not_know_is_refused(feature: str):
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:message "m" ;
            sh:property [ sh:path rdfs:label ; sh:message "m" ; {feature} ] .""", format="turtle")
    with pytest.raises(UnsupportedShapes):
        CompiledShapes(shapes)


def test_shapes_that_do_not_compile_are_run_by_pyshacl(monkeypatch, seed_graph: Graph):
    graph = broken_copy(seed_graph, "ProgrammeSummary")
    called = []
    monkeypatch.setattr(validate_module, "compiled_shapes", lambda: None)
    monkeypatch.setattr(validate_module, "pyshacl_results", lambda data: called.append(data) or set())
    validate_graph(graph)
    assert len(called) == 1 and set(called[0]) == set(graph)


def test_missing_summary_is_a_violation_located_where_it_belongs(tmp_path: Path):
    path = broken_seed(tmp_path / "no-summary.txt")
    validation = validate_graph(graph_of(path))
    violations = [r for r in validation.results if r.severity == "violation"]
    assert [r.shape.removeprefix(RSH) for r in violations] == ["ProgrammeSummary"]
    assert violations[0].line == 3  # the programme's title line
    assert not validation.conforms and not validation.reports[0].publishable


def test_completeness_scores():
    validation = validate_graph(graph_of(*REPORT_FILES))
    scores = {r.source: r.completeness for r in validation.reports}
    assert scores["000_bf3554a4a4265cfd.txt"] == 1.0
    assert scores["S3_community_gardens_crlf.txt"] < scores["002_e8fb812dc0f34af1.txt"] < 1.0


@pytest.fixture(scope="module")
def s3_validation():
    return validate_graph(graph_of(*REPORT_FILES))


def test_json_format_is_stable_and_complete(s3_validation):
    document = json.loads(format_json(s3_validation))
    assert document["version"] == 1 and document["conforms"] is True
    assert document["totals"] == {"violations": 0, "warnings": 5, "infos": 5, "reports": 5, "publishable": 5,
                                  "mean_completeness": document["totals"]["mean_completeness"]}
    result = next(r for r in document["results"] if r["shape"].endswith("OrganisationVolunteersText"))
    assert (result["source"], result["line"], result["severity"]) == ("S3_community_gardens_crlf.txt", 17, "warning")
    assert set(result["messages"]) == {"en", "fr"}


def test_junit_has_one_case_per_report_and_fails_violations(tmp_path: Path):
    broken = broken_seed(tmp_path / "broken.txt")
    suite = ElementTree.fromstring(format_junit(validate_graph(graph_of(SEED, broken))).split("\n", 1)[1])
    cases = suite.findall("testcase")
    assert len(cases) == 2 and suite.get("failures") == "1"
    failed = [c for c in cases if c.find("failure") is not None]
    assert failed[0].get("classname") == "broken.txt"


def test_github_annotations_point_at_file_and_line(s3_validation):
    lines = format_github(s3_validation).splitlines()
    assert "::warning file=S3_community_gardens_crlf.txt,line=17,title=resolis-ld warning::" \
           "The number of volunteers is written in words: write a whole number." in lines
    assert all(line.startswith(("::warning ", "::notice ", "::error ")) for line in lines[:-1])


def test_text_format_groups_by_report_in_french(s3_validation):
    text = format_text(s3_validation, "fr")
    assert "S3_community_gardens_crlf.txt:17: warning: Le nombre de bénévoles est écrit en toutes lettres" in text
    assert text.rstrip().endswith("5 of 5 report(s) publishable; mean completeness 92%.")


def test_report_graph_is_a_shacl_report(s3_validation):
    graph = report_graph(s3_validation)
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(list(graph.objects(report, SH.result))) == 10


def test_closures_given_by_the_caller_give_the_same_validation(tmp_path: Path):
    data = TripleIndex.of(graph_of(*REPORT_FILES, broken_seed(tmp_path / "broken.txt")))
    closures = report_closures(data)
    expected = validate_graph(data)
    assert validate_graph(data, closures) == expected
    assert validate_graph(data, closures, owners(closures)) == expected


def test_literals_rdflib_holds_equal_are_one_value(seed_graph: Graph):
    """The compiled shapes read N-Triples strings; a title tagged "EN" beside the same title
    tagged "en" is one rdflib term, so one value, and sh:uniqueLang has nothing to report."""
    triples = triples_of(seed_graph)
    title = next(t for t in triples if t[1] == nt_term(DCTERMS.title) and t[2].endswith('"@en'))
    doubled = TripleIndex([*triples, (title[0], title[1], title[2][: -len("en")] + "EN")])
    assert len(doubled) == len(triples) + 1
    assert compiled_shapes().validate(doubled) == compiled_shapes().validate(seed_graph) == []


def test_report_turtle_is_the_report_graph_in_turtle(tmp_path: Path):
    broken = broken_seed(tmp_path / "broken.txt", staff_in_words=True)
    validation = validate_graph(mutated(graph_of(*REPORT_FILES, broken), 3))
    assert any(isinstance(r.value, Literal) for r in validation.results)
    assert report_turtle(validation) == rdflib_turtle(report_graph(validation)) == serialize(report_graph(validation), "turtle")
