"""N-Triples strings: the same lines as rdflib's writer, and back to the same graph."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from resolis_ld.ntriples import graph_of, node_from_nt, nt_term, ntriples_bytes, quad_lines, subject_lines, triples_of
from resolis_ld.serialize import serialize

from conftest import assert_isomorphic
from test_validate import REPORT_FILES
from test_validate import graph_of as converted


@pytest.fixture(scope="module")
def fixtures_graph() -> Graph:
    return converted(*REPORT_FILES)


def test_lines_are_rdflibs(fixtures_graph: Graph):
    assert ntriples_bytes(triples_of(fixtures_graph)) == serialize(fixtures_graph, "nt")


def test_triples_give_back_the_graph(fixtures_graph: Graph):
    assert_isomorphic(graph_of(triples_of(fixtures_graph)), fixtures_graph)


@pytest.mark.parametrize("node", [
    URIRef("https://w3id.org/resolis/id/programme/x"),
    Literal('quote " backslash \\ newline \n return \r tab \t é', lang="fr"),
    Literal("12", datatype=XSD.integer),
    Literal(Decimal("8250.50")),
    Literal("plain"),
    Literal(""),
])
def test_a_term_comes_back_as_itself(node):
    assert node_from_nt(nt_term(node)) == node


def test_reports_mapped_one_by_one_give_the_graph_of_the_collection(fixtures_graph: Graph):
    """The fast path (triples per report, then the collection's) adds up to graph_from_reports."""
    from resolis_ld.concepts import load_concepts
    from resolis_ld.mapping import collection_triples, programme_slugs, triples_from_report
    from resolis_ld.parse import parse_report

    concepts = load_concepts()
    reports = [parse_report(path.read_bytes(), path.name, concepts).report for path in REPORT_FILES]
    slugs = programme_slugs(reports)
    mapped = [triples_from_report(report, slugs[id(report)], concepts) for report in reports]
    triples = {t for m in mapped for t in m.triples}
    triples |= set(collection_triples(
        "https://w3id.org/resolis/id/", [m.document for m in mapped], concepts, set().union(*(m.schemes for m in mapped)),
    ))
    assert triples == set(triples_of(fixtures_graph))


# -- the build's streamed lines: sorted by term, they come out as sorted lines -------------------

_terms = st.sampled_from(["<http://x/a>", "<http://x/a/b>", "<http://x/ab>", '"a"', '"a"@en', '"a"@en-GB',
                          '"a"^^<http://www.w3.org/2001/XMLSchema#string>', '"a\\"b"', '"a\tb"', '"ab"', '""'])
_iris = st.sampled_from(["<http://x/a>", "<http://x/a/b>", "<http://x/ab>", "<http://x/a#b>"])


@settings(max_examples=300, deadline=None)
@given(st.sets(st.tuples(_iris, _iris, _terms), max_size=30))
def test_subject_lines_are_the_sorted_lines_and_quads_sort_alike(triples):
    spo: dict[str, dict[str, list[str]]] = {}
    for s, p, o in triples:
        spo.setdefault(s, {}).setdefault(p, []).append(o)
    streamed = "".join(subject_lines(s, spo[s]) for s in sorted(spo))
    assert streamed.encode() == (ntriples_bytes(triples) if triples else b"")
    graph = {s: f"<http://g/{i}>" for i, s in enumerate(sorted(spo))}
    quads = "".join(quad_lines(subject_lines(s, spo[s]), graph[s]) for s in sorted(spo))
    assert quads.splitlines() == sorted(f"{s} {p} {o} {graph[s]} ." for s, p, o in triples)
