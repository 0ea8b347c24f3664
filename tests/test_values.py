"""The value formats of REPORT_FORMAT.md: dates, budgets, counts, funding, tags."""

from __future__ import annotations

from decimal import Decimal

import pytest

from resolis_ld.concepts import load_concepts
from resolis_ld.values import parse_budget, parse_citation, parse_count, parse_date, parse_funding, parse_tags


class Warnings(list):
    def __call__(self, line: int, message: str) -> None:
        self.append((line, message))


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2007", "2007", None),
        ("June 2012", "2012-06", None),
        ("juin 2012", "2012-06", None),
        ("février 2010", "2010-02", None),
        ("01/09/2011", "2011-09-01", None),
        ("25/03/2015 00:00", "2015-03-25", None),
        ("2009-2012", "2009", "2012"),
    ],
)
def test_dates_as_precise_as_the_text(text, start, end):
    warnings = Warnings()
    value = parse_date(text, 3, warnings)
    assert (value.start, value.end, value.text) == (start, end, None)
    assert warnings == []


@pytest.mark.parametrize("text", ["spring 2012", "31/02/2012", "2012/13", "last year"])
def test_unreadable_dates_are_kept_as_text_with_a_warning(text):
    warnings = Warnings()
    value = parse_date(text, 7, warnings)
    assert (value.start, value.text) == (None, text)
    assert warnings and warnings[0][0] == 7 and text in warnings[0][1]


@pytest.mark.parametrize(
    "text, amount, currency, comment",
    [
        ("8250 €", "8250", "EUR", None),
        ("8640", "8640", "EUR", None),
        ("15 000 €", "15000", "EUR", None),
        ("1\u00a0200\u00a0000 €", "1200000", "EUR", None),
        ("1 200 000 €", "1200000", "EUR", None),
        ("40,000 euros", "40000", "EUR", None),
        ("€ 45,000", "45000", "EUR", None),
        ("150 k€", "150000", "EUR", None),
        ("12 500 euros per year", "12500", "EUR", "per year"),
        ("USD 5,000", "5000", "USD", None),
        ("2 500,50 €", "2500.50", "EUR", None),
    ],
)
def test_budget_amounts(text, amount, currency, comment):
    warnings = Warnings()
    budget = parse_budget(text, 1, warnings)
    assert budget.amount == Decimal(amount)
    assert (budget.currency, budget.comment, budget.written) == (currency, comment, text)
    assert warnings == []


@pytest.mark.parametrize("text", ["Not communicated", "Non communiqué", "not communicated."])
def test_budget_not_communicated_has_no_amount_and_no_warning(text):
    warnings = Warnings()
    budget = parse_budget(text, 1, warnings)
    assert budget.amount is None and warnings == []


@pytest.mark.parametrize("text", ["douze mille euros", "between 5000 and 8000 €"])
def test_budget_that_is_not_one_amount_warns(text):
    warnings = Warnings()
    budget = parse_budget(text, 4, warnings)
    assert budget.amount is None and budget.written == text
    assert warnings and "not" in warnings[0][1]


@pytest.mark.parametrize("text, value", [("6", 6), ("1 200", 1200), ("70", 70)])
def test_counts(text, value):
    assert parse_count(text, "employees", 1, Warnings()).value == value


def test_count_that_is_not_a_number_is_kept_with_a_warning():
    warnings = Warnings()
    count = parse_count("about twenty", "the number of volunteers", 17, warnings)
    assert (count.value, count.text) == (None, "about twenty")
    assert warnings[0][0] == 17


@pytest.mark.parametrize(
    "text, funding_type, funders",
    [
        ("Public", "public", []),
        ("Autofinancement", "self-funded", []),
        (
            "SAN, CAF77 and CUCS (Urban Cotract for Social Cohesion) of Sénart, Lieusaint town.",
            None,
            ["SAN", "CAF77", "CUCS (Urban Cotract for Social Cohesion) of Sénart", "Lieusaint town"],
        ),
        ("Mixed: Fondation de France, town of Lyon", "mixed", ["Fondation de France", "town of Lyon"]),
        ("Mixte - Ville de Lyon et Fondation de France", "mixed", ["Ville de Lyon", "Fondation de France"]),
        ("Region (Health, Solidarity), City", None, ["Region (Health, Solidarity)", "City"]),
    ],
)
def test_funding(text, funding_type, funders):
    funding = parse_funding(text, 1, load_concepts())
    assert (funding.funding_type.key if funding.funding_type else None) == funding_type
    assert [funder.value for funder in funding.funders] == funders


@pytest.mark.parametrize(
    "scheme, text, keys",
    [
        ("solution", "Education Social exclusion and isolation", ["education", "social-exclusion-and-isolation"]),
        ("solution", "Food and nutrition Social exclusion and isolation Health", ["food-and-nutrition", "social-exclusion-and-isolation", "health"]),
        ("solution", "Inclusion numérique Emploi et insertion", ["digital-inclusion", "employment-and-integration"]),
        ("beneficiary", "Pupil, students", ["pupil-students"]),
        ("beneficiary", "Elderly people, Young people", ["elderly-people", "young-people"]),
        ("participant-type", "Public institution, Association, ONG", ["public-institution", "association-ong"]),
        ("domain", "Education, Training, Cooperation", ["education", "training", "cooperation"]),
        ("domain", "Formation, Travail social", ["training", "social-work"]),
        ("stature", "Locale", ["local"]),
    ],
)
def test_tags_split_by_known_labels_longest_first(scheme, text, keys):
    warnings = Warnings()
    tags = parse_tags(text, scheme, 1, load_concepts(), warnings)
    assert [tag.key for tag in tags] == keys
    assert all(tag.known for tag in tags) and warnings == []


def test_unknown_tag_label_becomes_a_new_concept_with_a_warning():
    warnings = Warnings()
    tags = parse_tags("Education Gardening, Health", "solution", 28, load_concepts(), warnings)
    assert [(tag.key, tag.known) for tag in tags] == [("education", True), ("gardening", False), ("health", True)]
    assert warnings == [(28, '"Gardening" is not in the solution list; kept as a new concept')]


def test_citation_splits_surname_first_author():
    citation = parse_citation(
        "Lebreton Christine , « School Workshops: help », **Journal RESOLIS** (2015)", 1, Warnings()
    )
    assert (citation.family_name, citation.given_name, citation.title, citation.year) == (
        "Lebreton", "Christine", "School Workshops: help", "2015",
    )
