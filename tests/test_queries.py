"""The competency questions of VOCABULARY.md, answered on the two seeds as listed there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from resolis_ld.concepts import load_concepts
from resolis_ld.mapping import graph_from_reports
from resolis_ld.parse import parse_report
from resolis_ld.resources import resource

from conftest import SEEDS

SCHOOL = "School Workshops: help parents to better support their child's education"
PARENTS = "Time for Parents Training Sessions"


@pytest.fixture(scope="module")
def seeds() -> Graph:
    reports = [parse_report(path.read_bytes(), path.name).report for path in SEEDS]
    graph, _ = graph_from_reports(reports, load_concepts())
    return graph


def run(graph: Graph, name: str) -> list[tuple]:
    matches = sorted(resource("queries", "").glob(f"{name}-*.rq"))
    assert len(matches) == 1, f"one queries/{name}-*.rq expected"
    result = graph.query(matches[0].read_text(encoding="utf-8"))
    return [tuple(row) for row in result]


def plain(rows: list[tuple], *columns: int) -> list[tuple]:
    """Python values of some columns (str for IRIs and strings)."""
    def value(term):
        if term is None:
            return None
        return term.toPython() if isinstance(term, Literal) and term.datatype else str(term)
    return [tuple(value(row[c]) for c in columns) for row in rows]


def test_cq01_programmes_lead_organisation_start_date(seeds):
    rows = run(seeds, "cq01")
    assert [(str(r[1]), str(r[3]), r[4]) for r in rows] == [
        (SCHOOL, "Association Solidarité Emploi d'Aubervilliers (ASEA)", Literal("2007", datatype=XSD.gYear)),
        (PARENTS, "Le Temps des Parents", Literal("2012-06", datatype=XSD.gYearMonth)),
    ]


def test_cq02_budgets_under_10000(seeds):
    assert plain(run(seeds, "cq02"), 1, 2) == [(SCHOOL, Decimal("8250")), (PARENTS, Decimal("8640"))]


def test_cq03_funders(seeds):
    rows = plain(run(seeds, "cq03"), 1, 3, 4)
    assert sorted(r[1] for r in rows if r[0] == PARENTS) == sorted(
        ["SAN", "CAF77", "CUCS (Urban Cotract for Social Cohesion) of Sénart", "Lieusaint town"]
    )
    assert [r for r in rows if r[0] == SCHOOL] == [(SCHOOL, None, "Public")]


def test_cq04_programmes_per_solution(seeds):
    assert plain(run(seeds, "cq04"), 1, 2) == [("Education", 2), ("Social exclusion and isolation", 1)]


def test_cq05_beneficiaries_pupil_students(seeds):
    assert plain(run(seeds, "cq05"), 1) == [(SCHOOL,)]


def test_cq06_programmes_by_participant_type(seeds):
    assert plain(run(seeds, "cq06"), 1, 3) == [
        ("Association, ONG", SCHOOL), ("Association, ONG", PARENTS), ("Public institution", SCHOOL),
    ]


def test_cq07_organisation_staff(seeds):
    assert plain(run(seeds, "cq07"), 1, 2, 3, 4) == [
        ("Association Solidarité Emploi d'Aubervilliers (ASEA)", 6, 10, 70),
        ("Le Temps des Parents", 5, 1, 26),
    ]


def test_cq08_programmes_in_ile_de_france(seeds):
    assert plain(run(seeds, "cq08"), 1) == [(SCHOOL,), (PARENTS,)]


def test_cq09_report_credits(seeds):
    licence = "http://creativecommons.org/licenses/by/3.0/"
    rows = [(str(r[2]), str(r[3]), str(r[4]), str(r[5])) for r in run(seeds, "cq09")]
    assert rows == [
        ("Christine Lebreton", "2015", "Taking Action together against dropping out of school", licence),
        ("Alain Maucherat", "2014", "Poverty France", licence),
    ]


def test_cq10_proofread_before_2015(seeds):
    rows = run(seeds, "cq10")
    assert [(str(r[1]), r[2]) for r in rows] == [(PARENTS, Literal("2014-01-31", datatype=XSD.date))]


def test_cq11_partners_of_school_workshops(seeds):
    assert sorted(str(r[1]) for r in run(seeds, "cq11")) == sorted([
        "Directorate of Departmental Services of National Education",
        "General Council",
        "Departmental Direction of Social Cohesion",
        "Municipality",
        "The partner organisations (associations, social centres)",
    ])


def test_cq12_objectives_and_difficulties(seeds):
    assert plain(run(seeds, "cq12"), 1, 2, 3) == [(SCHOOL, 2, 3), (PARENTS, 4, 1)]


def test_cq13_organisations_leading_several_programmes(seeds):
    assert run(seeds, "cq13") == []


def test_cq13_finds_an_organisation_with_two_programmes(seeds):
    """The same query, on the seeds plus a second programme by Le Temps des Parents."""
    seed = next(path for path in SEEDS if path.name.startswith("002"))
    second = seed.read_text(encoding="utf-8").replace(PARENTS, "Parents Café")
    reports = [parse_report(path.read_bytes(), path.name).report for path in SEEDS]
    reports.append(parse_report(second, "second.txt").report)
    graph, _ = graph_from_reports(reports, load_concepts())
    assert plain(run(graph, "cq13"), 1, 2) == [("Le Temps des Parents", 2)]


def test_every_query_says_what_it_answers():
    for path in sorted(resource("queries", "").glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 10, path.name
