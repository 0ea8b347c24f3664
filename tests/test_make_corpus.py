"""benchmarks/make_corpus.py: the generated reports are ones the real converter reads back, with
the values the generator put in, and the same seed gives the same bytes."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib.namespace import FOAF, RDF

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_corpus  # noqa: E402

from resolis_ld.concepts import load_concepts  # noqa: E402
from resolis_ld.namespaces import RESOLIS  # noqa: E402
from resolis_ld.pipeline import convert  # noqa: E402
from resolis_ld.validate import validate_graph  # noqa: E402

COUNT = 60
SEED = 7


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(facts by file name, conversion, validation) of a generated corpus."""
    folder = tmp_path_factory.mktemp("corpus")
    generated = make_corpus.generate_reports(COUNT, SEED)
    for report in generated:
        (folder / report.name).write_bytes(report.data)
    conversion = convert([str(folder)])
    facts = {report.name: report.facts for report in generated}
    return facts, conversion, validate_graph(conversion.graph)


def by_name(conversion):
    return {Path(report.source.name).name: report for report in conversion.reports}


def test_every_report_is_read_without_input_error(corpus):
    facts, conversion, _ = corpus
    assert conversion.errors == []
    assert sorted(by_name(conversion)) == sorted(facts) == [f"r{i:05d}.txt" for i in range(1, COUNT + 1)]


def test_every_report_has_a_programme_and_a_lead_organisation(corpus):
    facts, conversion, _ = corpus
    graph = conversion.graph
    documents = set(graph.subjects(RDF.type, RESOLIS.Report))
    assert len(documents) == COUNT
    for document in documents:
        programme = graph.value(document, FOAF.primaryTopic)
        assert programme is not None, document
        assert graph.value(programme, RESOLIS.leadOrganisation) is not None, programme
    for name, report in by_name(conversion).items():
        assert report.organisation.name.value == facts[name]["organisation"]
        assert report.title.value == facts[name]["title"]


def test_about_a_fifth_is_french_and_languages_are_read_back(corpus):
    facts, conversion, _ = corpus
    for name, report in by_name(conversion).items():
        assert report.language == facts[name]["language"], name
    french = sum(f["language"] == "fr" for f in facts.values()) / COUNT
    assert 0.08 <= french <= 0.35


def test_every_budget_form_gives_the_amount_written(corpus):
    facts, conversion, _ = corpus
    seen = set()
    for name, report in by_name(conversion).items():
        if "budget_form" not in facts[name]:
            assert report.budget is None
            continue
        expected = facts[name]["budget"]
        assert report.budget.amount == (None if expected is None else Decimal(expected)), (name, report.budget)
        seen.add(facts[name]["budget_form"])
    assert seen == set(make_corpus.BUDGET_FORMS)


def test_dates_funding_tags_and_country_are_read_back(corpus):
    facts, conversion, _ = corpus
    concepts = load_concepts()
    start_forms, funding_forms = set(), set()
    for name, report in by_name(conversion).items():
        fact = facts[name]
        if "start_form" in fact:
            start_forms.add(fact["start_form"])
            assert report.start_date.start == fact["start"], name
        if "funding_form" in fact:
            funding_forms.add(fact["funding_form"])
            funding = report.funding
            assert len(funding.funders) == fact["funders"], (name, funding)
            expected_type = concepts.find("funding-type", fact["funding_type"]) if fact["funding_type"] else None
            assert (funding.funding_type.key if funding.funding_type else None) == (expected_type.key if expected_type else None)
        tags = {
            "solution": report.solutions, "stature": report.stature, "participant-type": report.participant_types,
            "beneficiary": report.beneficiaries, "domain": report.domains,
        }
        for scheme, labels in fact["tags"].items():
            assert all(tag.known for tag in tags[scheme]), (name, tags[scheme])
            assert {tag.key for tag in tags[scheme]} == {concepts.find(scheme, label).key for label in labels}, name
        assert (report.country.value if report.country else None) == fact["country"], name
    assert start_forms == set(make_corpus.START_FORMS)
    assert funding_forms == set(make_corpus.FUNDING_FORMS)


def test_extra_sections_and_odd_encodings_are_there(corpus):
    facts, conversion, _ = corpus
    reports = by_name(conversion)
    assert any(f["extra_section"] for f in facts.values())
    for name, fact in facts.items():
        assert any(section.key is None for section in reports[name].sections) == fact["extra_section"], name
    assert {f["encoding"] for f in facts.values()} == {"utf-8", "utf-8-sig", "windows-1252"}
    assert any(f["crlf"] for f in facts.values())
    windows = {Path(w.path).name for w in conversion.warnings if "windows-1252" in w.message}
    assert windows == {name for name, f in facts.items() if f["encoding"] == "windows-1252"}


def test_incomplete_reports_give_warnings_and_none_a_violation(corpus):
    facts, _, validation = corpus
    warned = {Path(summary.source).name: summary.counts["warning"] for summary in validation.reports}
    incomplete = [name for name, fact in facts.items() if fact["incomplete"]]
    assert incomplete
    for name in incomplete:
        assert warned[name] > 0, (name, facts[name]["omitted"])
    assert validation.count("violation") == 0, [r for r in validation.results if r.severity == "violation"][:3]


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    make_corpus.main(["25", "--seed", "3", "-o", str(tmp_path / "a")])
    make_corpus.main(["25", "--seed", "3", "-o", str(tmp_path / "b")])
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert first == second and len(first) == 25
    other = make_corpus.generate_reports(25, seed=4)
    assert [r.data for r in other] != [first[r.name] for r in other]
    # a smaller corpus is the start of a larger one
    assert [r.data for r in make_corpus.generate_reports(5, seed=3)] == [first[f"r{i:05d}.txt"] for i in range(1, 6)]
