"""Triples by subject read back from the build's sorted N-Triples: the index and census of the
triples in memory, and the same Turtle and JSON-LD from either."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, URIRef

from resolis_ld import jsonld, subject_index
from resolis_ld.build import dump_bytes
from resolis_ld.jsonld import jsonld_chunks
from resolis_ld.ntriples import nt_term, triples_of
from resolis_ld.serialize import jsonld_context
from resolis_ld.subject_index import Census, NTriplesBlocks, census
from resolis_ld.triple_index import TripleIndex
from resolis_ld.turtle import turtle_chunks, turtle_prefixes

from test_jsonld import iris, literals, predicates, rdflib_drops_values, triples
from test_validate import REPORT_FILES
from test_validate import graph_of as converted


@pytest.fixture(scope="module")
def index() -> TripleIndex:
    return TripleIndex(triples_of(converted(*REPORT_FILES)))


@pytest.fixture()
def blocks(tmp_path: Path, index: TripleIndex):
    path = tmp_path / "resolis.nt"
    path.write_bytes(dump_bytes(index, "nt"))
    blocks = NTriplesBlocks(path)
    yield blocks
    blocks.close()


def test_blocks_hold_each_subjects_triples_and_the_census_of_the_whole(index: TripleIndex, blocks: NTriplesBlocks):
    assert sorted(blocks) == sorted(index.spo)
    for subject, by_p in index.spo.items():
        assert {p: sorted(o) for p, o in blocks[subject].items()} == {p: sorted(o) for p, o in by_p.items()}
    expected = census(index.spo)
    assert blocks.census.references == expected.references
    assert blocks.census.datatypes == expected.datatypes
    assert set(blocks.census.predicates) == set(expected.predicates)


# Also a subject that is another's compact form: the two are one node, written from two blocks.
one_node_twice = st.sampled_from(["data:a", "https://w3id.org/resolis/id/a"]).map(URIRef)
small_triples = st.one_of(triples, st.tuples(one_node_twice, predicates, st.one_of(iris, literals)))
blank_object = st.tuples(iris, predicates, st.just(BNode("b1")))


def _same_census(taken: Census, expected: Census) -> None:
    assert taken.references == expected.references and taken.datatypes == expected.datatypes
    assert list(taken.predicates) == list(expected.predicates) and taken.blank == expected.blank


def test_the_census_counted_while_indexing_is_the_census_of_the_index(index: TripleIndex):
    _same_census(index.census, census(index.spo))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(small_triples, blank_object), max_size=25))
def test_small_graphs_census_counted_while_indexing(graph_triples):
    """Typed literals, blank nodes, the same triple twice: counted once, as a walk counts."""
    index = TripleIndex([tuple(map(nt_term, triple)) for triple in graph_triples * 2])
    _same_census(index.census, census(index.spo))


def test_turtle_and_jsonld_from_the_file_are_those_from_memory(index: TripleIndex, blocks: NTriplesBlocks):
    prefixes = turtle_prefixes()
    predicates = list(census(index.spo).predicates)
    from_file = b"".join(turtle_chunks(blocks, prefixes, 7, blocks.census, predicates))
    assert from_file == b"".join(turtle_chunks(index.spo, prefixes))
    assert b"".join(jsonld_chunks(blocks, jsonld_context(), 7, blocks.census)) == b"".join(jsonld_chunks(index.spo, jsonld_context()))


def test_an_empty_dump_reads_as_no_subject(tmp_path: Path):
    path = tmp_path / "empty.nt"
    path.write_bytes(dump_bytes(Graph(), "nt"))
    blocks = NTriplesBlocks(path)
    assert (len(blocks), blocks.census.references) == (0, {})
    assert b"".join(turtle_chunks(blocks, turtle_prefixes(), counts=blocks.census)) == b"\n"
    blocks.close()


def test_each_subjects_lines_come_back_as_predicate_and_object(index: TripleIndex, blocks: NTriplesBlocks):
    subject = next(iter(index.spo))
    lines = blocks.predicate_objects(subject)
    assert sorted(lines) == sorted(f"{p} {o}" for p, objects in index.spo[subject].items() for o in objects)


def test_subjects_asked_in_any_order_from_a_small_window(monkeypatch, index: TripleIndex, blocks: NTriplesBlocks):
    """The window read at once is a speed-up only: a block wider than it, or behind it, is read anew."""
    monkeypatch.setattr(subject_index, "WINDOW", 200)
    for subject in sorted(index.spo, reverse=True):
        assert {p: sorted(o) for p, o in blocks[subject].items()} == {p: sorted(o) for p, o in index.spo[subject].items()}


def test_jsonld_from_the_file_with_few_texts_kept(monkeypatch, index: TripleIndex, blocks: NTriplesBlocks):
    """The pairs kept for objects that recur are forgotten past a bound, from a file or memory alike."""
    expected = b"".join(jsonld_chunks(index.spo, jsonld_context()))
    monkeypatch.setattr(jsonld, "TEXTS_KEPT", 3)
    assert b"".join(jsonld_chunks(blocks, jsonld_context(), 5, blocks.census)) == expected
    assert b"".join(jsonld_chunks(index.spo, jsonld_context(), 5)) == expected




@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(small_triples, min_size=1, max_size=25))
def test_small_graphs_from_the_file_are_those_from_memory(tmp_path: Path, graph_triples):
    """Hard literals, several values a key, two IRIs of one compact form: one subject's lines
    looked up whole give the bytes its objects give."""
    graph = Graph()
    for triple in graph_triples:
        graph.add(triple)
    assume(not rdflib_drops_values(graph))  # then rdflib, which we fall back to, follows the order read
    path = tmp_path / "small.nt"
    path.write_bytes(dump_bytes(graph, "nt"))
    blocks = NTriplesBlocks(path)
    spo = TripleIndex(triples_of(graph)).spo
    assert b"".join(jsonld_chunks(blocks, jsonld_context(), 3, blocks.census)) == b"".join(jsonld_chunks(spo, jsonld_context()))
    blocks.close()
