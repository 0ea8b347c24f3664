"""turtle_bytes: the very bytes of rdflib's Turtle writer (rdflib_turtle), from N-Triples strings."""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from resolis_ld.concepts import load_concepts
from resolis_ld.mapping import graph_from_reports
from resolis_ld.namespaces import DEFAULT_BASE, bind_prefixes
from resolis_ld.ntriples import triples_of
from resolis_ld.parse import parse_report
from resolis_ld.serialize import rdflib_turtle
from resolis_ld.turtle import split_iri, turtle_bytes, turtle_prefixes

from conftest import REPORT_FILES, assert_isomorphic

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from corpus import generate_reports  # noqa: E402

OTHER_BASE = "http://example.org/observatory/"


def converted(texts: list[tuple[str, bytes | str]], base: str = DEFAULT_BASE) -> Graph:
    concepts = load_concepts()
    reports = [parse_report(text, name, concepts).report for name, text in texts]
    return graph_from_reports(reports, concepts, base=base)[0]


def assert_same_turtle(graph: Graph, base: str = DEFAULT_BASE) -> bytes:
    prefixes = turtle_prefixes(base)  # before rdflib's serializer binds any nsN on the graph
    ours = turtle_bytes(triples_of(graph), prefixes)
    expected = rdflib_turtle(graph)
    if ours != expected:  # the first differing lines, not two pages of bytes
        pairs = zip(expected.decode().splitlines(), ours.decode().splitlines())
        line, (want, got) = next(((i, p) for i, p in enumerate(pairs, 1) if p[0] != p[1]), (0, ("", "")))
        pytest.fail(f"differs from line {line}:\nrdflib: {want!r}\nours:   {got!r}", pytrace=False)
    return ours


@pytest.mark.parametrize("base", [DEFAULT_BASE, OTHER_BASE])
def test_all_fixtures_together(base: str):
    graph = converted([(p.name, p.read_bytes()) for p in REPORT_FILES], base)
    ours = assert_same_turtle(graph, base)
    assert_isomorphic(Graph().parse(data=ours, format="turtle"), graph, "the Turtle parsed back")


@pytest.mark.parametrize("base", [DEFAULT_BASE, OTHER_BASE])
@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.name)
def test_each_fixture(path: Path, base: str):
    assert_same_turtle(converted([(path.name, path.read_bytes())], base), base)


def test_generated_corpus():
    graph = converted(generate_reports(300, seed=7))
    ours = assert_same_turtle(graph)
    assert_isomorphic(Graph().parse(data=ours, format="turtle"), graph, "the Turtle parsed back")


def test_input_order_and_duplicates_do_not_matter():
    graph = converted([(p.name, p.read_bytes()) for p in REPORT_FILES[:2]])
    triples = triples_of(graph)
    shuffled = triples + triples[:50]
    random.Random(3).shuffle(shuffled)
    assert turtle_bytes(shuffled, turtle_prefixes()) == turtle_bytes(triples, turtle_prefixes())


def test_empty_graph_and_blank_nodes():
    assert turtle_bytes([], turtle_prefixes()) == rdflib_turtle(Graph()) == b"\n"
    with pytest.raises(ValueError, match="blank node"):
        turtle_bytes([("_:b0", f"<{DCTERMS.title}>", '"x"')], turtle_prefixes())


@pytest.mark.parametrize("objects", [
    [Literal('a"'), Literal("a#"), Literal("a\\"), Literal("a]"), Literal("a\nb"), Literal("a\rb")],
    [URIRef("http://example.org/ab"), URIRef("http://example.org/ab!"), URIRef("http://example.org/ab-1")],
    [Literal("b", lang="fr"), Literal("a", lang="fr"), Literal("c"), URIRef("http://example.org/z"), Literal("a", lang="en")],
    [Literal(10), Literal(9), Literal("8", datatype=XSD.integer), Literal(2.5), Literal(Decimal("3.1")), Literal("x")],
    [Literal("2024-02-01", datatype=XSD.date), Literal("2023-12-31", datatype=XSD.date), Literal("abc", datatype=XSD.string)],
])
def test_objects_in_rdflib_order(objects: list):
    """Text by its characters, not its escapes; IRIs without their brackets; numbers by value."""
    graph = bind_prefixes(Graph())
    for o in objects:
        graph.add((URIRef(f"{DEFAULT_BASE}s"), DCTERMS.title, o))
    assert_same_turtle(graph)


def test_prefixes_are_the_bound_ones():
    prefixes = turtle_prefixes(OTHER_BASE)
    assert prefixes["data"] == OTHER_BASE and prefixes["resolis"] == "https://w3id.org/resolis/ns#"
    assert prefixes["sh"] == "http://www.w3.org/ns/shacl#"  # rdflib's defaults stay bound


@pytest.mark.parametrize("iri, expected", [
    ("https://w3id.org/resolis/id/programme/x", ("https://w3id.org/resolis/id/programme/", "x")),
    ("http://purl.org/dc/terms/title", ("http://purl.org/dc/terms/", "title")),
    ("http://example.org/a-b.c", ("http://example.org/", "a-b.c")),
    ("http://example.org/-x", ("http://example.org/-", "x")),
    ("https://w3id.org/resolis/ns#", None),
    ("http://example.org/été", ("http://example.org/", "été")),
])
def test_split_iri_as_rdflib(iri: str, expected):
    assert split_iri(iri) == expected


# Graphs built to hit every rule: IRIs that can or cannot be prefixed, literals of every kind.
NAMESPACES = [
    "https://w3id.org/resolis/ns#", DEFAULT_BASE, f"{DEFAULT_BASE}programme/", str(DCTERMS), str(RDF),
    str(RDFS), "https://schema.org/", "http://www.w3.org/ns/shacl#", "http://example.org/", "urn:x:",
    "http://www.w3.org/XML/1998/namespace", "http://example.org/id",
]
LOCAL = st.text(alphabet="abcXYZ019-._%()/#:~!é·" + "\u0301", max_size=8)
IRI = st.builds(lambda ns, local: URIRef(ns + local), st.sampled_from(NAMESPACES), LOCAL) | st.sampled_from(
    [RDF.type, RDF.nil, RDFS.Class, RDFS.label, XSD.integer]
)
PREDICATE = st.sampled_from([RDF.type, RDFS.label, DCTERMS.title, DCTERMS.description, RDF.value,
                             URIRef("https://w3id.org/resolis/ns#order"), URIRef("https://schema.org/name"),
                             URIRef("http://example.org/vocab#p"), URIRef("http://purl.org/dc/terms/title.")])
PIECES = st.sampled_from(list('ab#[] "\\\n\r\téœ€\U0001F600\'') + ['"""', "\\n", '\\"'])
TEXT = st.lists(PIECES, max_size=10).map("".join) | st.text(max_size=300)
NUMBER_LEXICALS = st.sampled_from(["0", "-1", "+5", "007", "1.5", "1e3", "-0.0", "INF", "-INF", "NaN", "abc", " 1", ""])
LITERAL = st.one_of(
    st.builds(Literal, TEXT),
    st.builds(lambda t, lang: Literal(t, lang=lang), TEXT, st.sampled_from(["en", "fr", "en-GB", "FR"])),
    st.builds(Literal, st.integers(-10**20, 10**20)),
    st.builds(Literal, st.decimals(allow_nan=False, allow_infinity=False, places=3)),
    st.builds(Literal, st.floats()),
    st.builds(Literal, st.booleans()),
    st.builds(lambda lexical, dt: Literal(lexical, datatype=dt), NUMBER_LEXICALS | TEXT,
              st.sampled_from([XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.int,
                               XSD.date, XSD.string, XSD.anyURI, URIRef("http://example.org/dt")])),
    st.sampled_from([Literal("1", datatype=XSD.boolean), Literal("2024-01-31", datatype=XSD.date),
                     Literal(Decimal("12.50")), Literal("")]),
)
# A few subjects, so that subjects share predicates, have several objects and are referenced.
SUBJECT = st.sampled_from([URIRef(f"{DEFAULT_BASE}programme/a"), URIRef(f"{DEFAULT_BASE}b"), RDF.type]) | IRI
TRIPLES = st.lists(st.tuples(SUBJECT, PREDICATE, SUBJECT | IRI | LITERAL), max_size=25)


def ordered_alike(graph: Graph) -> bool:
    """rdflib sorts a subject's objects from the store's insertion order, which triples_of does
    not carry: only a strict total order (no two distinct terms ranked equal) is independent of it."""
    for s, p in set(graph.subject_predicates()):
        objects = list(graph.objects(s, p))
        try:
            if len({tuple(sorted(order)) for order in (objects, objects[::-1], objects[1:] + objects[:1])}) > 1:
                return False
            ranked = sorted(objects)
            if any(not (a < b) for a, b in zip(ranked, ranked[1:])):
                return False
        except ArithmeticError:  # Decimal NaN against a number: rdflib's own serializer fails too
            return False
    return True


@pytest.mark.filterwarnings("ignore:(Parsing|Serializing) weird")
@settings(max_examples=int(__import__("os").environ.get("TURTLE_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TRIPLES, st.sampled_from([DEFAULT_BASE, "http://example.org/id", "http://example.org/"]))
def test_any_graph_without_blank_nodes(triples, base: str):
    graph = bind_prefixes(Graph(), base)
    for triple in triples:
        graph.add(triple)
    assume(ordered_alike(graph))
    assert_same_turtle(graph, base)


@pytest.mark.parametrize("iri", [
    f"{DEFAULT_BASE}report/x", f"{DEFAULT_BASE}dataset", f"{DEFAULT_BASE}a.", f"{DEFAULT_BASE}a%2", f"{DEFAULT_BASE}a(b)",
    str(RDF.nil), str(RDF.type), "http://www.w3.org/XML/1998/namespacelang", "http://example.org/été",
    "https://w3id.org/resolis/ns", "https://w3id.org/resolis/n", "http://example.org/-x", "http://example.org/x/",
    "urn:x:1", "http://purl.org/dc/terms/title",
])
def test_fast_labels_as_label(iri: str):
    """``_Names.labels`` decides most IRIs by their namespace; it must agree with ``label``."""
    from resolis_ld.turtle import _Names

    fast, slow = _Names(turtle_prefixes()), _Names(turtle_prefixes())
    assert fast.labels([f"<{iri}>"]) == {f"<{iri}>": slow.label(f"<{iri}>")}
    assert fast.used == slow.used
