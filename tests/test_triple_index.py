"""TripleIndex's string helpers: the same answers as rdflib terms, without making them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from resolis_ld.ntriples import node_from_nt, quote, triples_of
from resolis_ld.triple_index import TripleIndex, unescape

from test_validate import REPORT_FILES
from test_validate import graph_of as converted

TRICKY = st.text(alphabet=st.sampled_from(['\\', '"', "\n", "\r", "\t", "n", "r", "t", "u", "{", "é", " "]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TRICKY, st.text(max_size=200)))
def test_unescape_reads_a_quoted_literal_as_node_from_nt_does(text: str):
    quoted = quote(text)
    assert unescape(quoted[1:-1]) == str(node_from_nt.__wrapped__(quoted)) == text


def test_unescape_keeps_escapes_quote_never_writes_as_node_from_nt_does():
    for body in ["\\u00e9", "a\\tb", "\\\\u", "x\\\\\\nz"]:
        assert unescape(body) == str(node_from_nt.__wrapped__(f'"{body}"'))


def test_objects_and_subjects_answer_as_the_graph_does():
    graph = converted(*REPORT_FILES)
    index = TripleIndex(triples_of(graph))
    for s, p, o in sorted(graph)[::7]:
        assert sorted(index.objects(s, p)) == sorted(graph.objects(s, p))
        assert sorted(index.subjects(p, o)) == sorted(graph.subjects(p, o))
    for p in set(graph.predicates()):
        assert sorted(index.objects(None, p)) == sorted(graph.objects(None, p))
