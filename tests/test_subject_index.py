"""Triples by subject read back from the build's sorted N-Triples: the index and census of the
triples in memory, and the same Turtle and JSON-LD from either."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from resolis_ld.build import dump_bytes
from resolis_ld.jsonld import jsonld_chunks
from resolis_ld.ntriples import triples_of
from resolis_ld.serialize import jsonld_context
from resolis_ld.subject_index import NTriplesBlocks, census
from resolis_ld.triple_index import TripleIndex
from resolis_ld.turtle import turtle_chunks, turtle_prefixes

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
