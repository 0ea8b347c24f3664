"""jsonld_bytes: the same bytes as rdflib's JSON-LD writer put in canonical order, from N-Triples strings."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPORT_FILES, assert_isomorphic
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from resolis_ld.concepts import load_concepts
from resolis_ld.jsonld import (
    NATIVE,
    Unsupported,
    compaction_rules,
    jsonld_bytes,
    rdflib_jsonld_bytes,
)
from resolis_ld.mapping import graph_from_reports
from resolis_ld.ntriples import triples_of
from resolis_ld.parse import parse_report
from resolis_ld.serialize import jsonld_context, serialize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from corpus import generate_reports  # noqa: E402

OTHER_BASES = ["https://example.org/resolis/", "https://schema.org/"]  # the second is a prefix's IRI


def converted(texts: list[tuple[str, bytes | str]], base: str | None = None) -> Graph:
    concepts = load_concepts()
    reports = [parse_report(text, name, concepts).report for name, text in texts]
    return graph_from_reports(reports, concepts, **({"base": base} if base else {}))[0]


def fixtures(*paths: Path, base: str | None = None) -> Graph:
    return converted([(path.name, path.read_bytes()) for path in paths], base)


def assert_same_bytes(graph: Graph) -> bytes:
    ours = jsonld_bytes(triples_of(graph), jsonld_context())
    expected = reference(graph)
    assert ours == expected, "\n".join(_first_difference(ours, expected))
    return ours


def _first_difference(ours: bytes, expected: bytes) -> list[str]:
    for number, (a, b) in enumerate(zip(ours.decode().split("\n"), expected.decode().split("\n")), 1):
        if a != b:
            return [f"line {number}:", f"ours:   {a}", f"rdflib: {b}"]
    return [f"lengths differ: {len(ours)} and {len(expected)}"]


def reference(graph: Graph) -> bytes:
    return rdflib_jsonld_bytes(triples_of(graph), jsonld_context())


def test_serialize_writes_with_jsonld_bytes():
    graph = fixtures(*REPORT_FILES)
    assert serialize(graph, "json-ld") == jsonld_bytes(triples_of(graph), jsonld_context())


def parsed(data: bytes) -> Graph:
    return Graph().parse(data=data, format="json-ld")


@pytest.mark.parametrize("base", [None, *OTHER_BASES])
def test_all_fixtures_together(base: str | None):
    graph = fixtures(*REPORT_FILES, base=base)
    assert_isomorphic(parsed(assert_same_bytes(graph)), graph, "JSON-LD read back")


@pytest.mark.parametrize("base", [None, OTHER_BASES[0]])
@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda path: path.name)
def test_each_fixture(path: Path, base: str | None):
    assert_same_bytes(fixtures(path, base=base))


def test_generated_corpus():
    graph = converted(generate_reports(300))
    assert len(graph) > 50_000
    assert_isomorphic(parsed(assert_same_bytes(graph)), graph, "JSON-LD read back")


def test_empty_graph():
    assert_same_bytes(Graph())


def test_duplicate_triples_are_one_value():
    graph = fixtures(REPORT_FILES[0])
    assert jsonld_bytes(triples_of(graph) * 2, jsonld_context()) == reference(graph)


# Small graphs in our vocabulary, with values that are hard to print.
CONTEXT_IRIS = sorted(value for value in jsonld_context().values() if value.endswith(("/", "#")))
PREDICATES = sorted({str(p) for p in fixtures(*REPORT_FILES).predicates()}) + [
    "http://example.org/no-prefix#p", "http://example.org/p", "urn:x:p", "https://schema.org/sub/p",
    "http://example.org/p!",  # a key that does not sort as its JSON text: through rdflib
]
iris = st.one_of(
    st.builds(lambda ns, local: ns + local, st.sampled_from(CONTEXT_IRIS + ["https://w3id.org/resolis/id/"]),
              st.sampled_from(["Report", "x", "programme/a-b", "", "é", "a#b"])),
    st.sampled_from(["http://example.org/x", "urn:isbn:123", "https://w3id.org/resolis/id/programme/x",
                     str(RDF.nil), "http://example.org/a!b", "https://w3id.org/resolis/ns#Report"]),
).map(URIRef)
texts = st.one_of(st.text(max_size=30), st.sampled_from(["", '"', "\\", "\n", "\r\n", "\t", "\\n", "é ü", "🙂", "\u2028", "\x00\x1f"]))
literals = st.one_of(
    st.builds(Literal, texts),
    st.builds(Literal, texts, lang=st.sampled_from(["fr", "en", "en-GB", "de-CH-1996"])),
    st.builds(Literal, st.integers(-(10**20), 10**20)),
    st.builds(Literal, st.floats(allow_nan=False)),
    st.builds(Literal, st.decimals(allow_nan=False, allow_infinity=False, places=3)),
    st.builds(Literal, st.booleans()),
    st.builds(Literal, texts, datatype=st.sampled_from([XSD.string, XSD.integer, XSD.double, XSD.boolean, XSD.date,
                                                        XSD.int, XSD.gYear, XSD.anyURI, RDF.JSON, XSD.decimal, XSD.float,
                                                        URIRef("http://example.org/type")])),
    st.builds(Literal, st.sampled_from(["0", "-0", "01", "1e3", "INF", "-INF", "NaN", "true", "1", "0.0", "-0.0", "+5", " 7"]),
              datatype=st.sampled_from(sorted(URIRef(iri) for iri in NATIVE))),
)
# Few subjects and a few frequent predicates, so that keys often have several values.
subjects = st.one_of(st.sampled_from(["https://w3id.org/resolis/id/a", "http://example.org/x"]).map(URIRef), iris)
predicates = st.one_of(
    st.sampled_from([str(RDF.type), "http://purl.org/dc/terms/title", "https://w3id.org/resolis/ns#order"]),
    st.sampled_from(PREDICATES),
).map(URIRef)
triples = st.tuples(subjects, predicates, st.one_of(iris, literals))


def falsy(node) -> bool:
    """Whether rdflib's writer holds the node as a false JSON value ("", 0, 0.0, false)."""
    if not isinstance(node, Literal) or node.language:
        return False
    if node.datatype is None:
        return str(node) == ""
    return str(node.datatype) in NATIVE and not node.toPython()


def rdflib_drops_values(graph: Graph) -> bool:
    """rdflib's add_to_node replaces a key's falsy first value with the next (see jsonld.py)."""
    groups = (list(graph.objects(s, p)) for s, p in set(graph.subject_predicates()))
    return any(len(objects) > 1 and any(falsy(o) for o in objects) for objects in groups)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(triples, min_size=4, max_size=25))
def test_small_graphs(graph_triples):
    graph = Graph()
    for triple in graph_triples:
        graph.add(triple)
    if rdflib_drops_values(graph):  # it may: ours keeps all rdflib keeps, and what it drops
        event("a falsy value among several")
        ours = jsonld_bytes(triples_of(graph), jsonld_context())
        assert set(parsed(reference(graph))) <= set(parsed(ours))
    else:
        several = any(len(list(graph.objects(s, p))) > 1 for s, p in graph.subject_predicates())
        event("several values for a key" if several else "single values")
        assert_same_bytes(graph)


def test_several_values_with_a_falsy_one_are_all_kept():
    """The one deliberate difference: rdflib may write only "a" here (its "if value:" overwrites
    "" when "" comes first in its store's hash order), we always write both, so the JSON-LD reads
    back as the graph."""
    graph = Graph()
    subject, title = URIRef("https://w3id.org/resolis/id/x"), URIRef("http://purl.org/dc/terms/title")
    graph.add((subject, title, Literal("")))
    graph.add((subject, title, Literal("a")))
    ours = jsonld_bytes(triples_of(graph), jsonld_context())
    assert json.loads(ours)["@graph"] == [{"@id": "data:x", "dcterms:title": ["", "a"]}]
    assert_isomorphic(parsed(ours), graph, "JSON-LD read back")


def test_rules_come_from_the_context():
    """A prefix or a term added to the context is used without a change to the code."""
    context = {**jsonld_context(), "title": "dcterms:title", "ex": "http://example.org/"}
    rules = compaction_rules(context)
    assert rules.terms["http://purl.org/dc/terms/title"] == "title"
    assert rules.prefixes["http://example.org/"] == "ex"
    graph = fixtures(REPORT_FILES[0])
    graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), URIRef("http://example.org/o")))
    ours = jsonld_bytes(triples_of(graph), context)
    assert ours == serialize_with(graph, context)
    assert b'"title": ' in ours and b'"ex:s"' in ours


def serialize_with(graph: Graph, context: dict) -> bytes:
    """The reference as it would be with another ontology/context.jsonld."""
    return rdflib_jsonld_bytes(triples_of(graph), context)


@pytest.mark.parametrize("extra", [
    {"@vocab": "https://w3id.org/resolis/ns#"},
    {"@language": "fr"},
    {"@base": "https://w3id.org/resolis/id/"},
    {"title": {"@id": "dcterms:title", "@language": "fr"}},
    {"order": {"@id": "resolis:order", "@type": "xsd:integer"}},
    {"heading": {"@id": "resolis:heading", "@type": "@id"}},
    {"block": {"@id": "resolis:block", "@container": "@set"}},
    {"id": "@id"},
], ids=lambda extra: next(iter(extra)))
def test_an_unsupported_context_falls_back_to_rdflib(extra: dict):
    context = {**jsonld_context(), **extra}
    with pytest.raises(Unsupported):
        compaction_rules(context)
    graph = fixtures(REPORT_FILES[0])
    assert jsonld_bytes(triples_of(graph), context) == serialize_with(graph, context)


def test_blank_nodes_fall_back_to_rdflib():
    graph = fixtures(REPORT_FILES[0])
    node = BNode("b1")
    graph.add((URIRef("https://w3id.org/resolis/id/x"), RDF.value, node))
    graph.add((node, RDF.value, Literal(Decimal("1.5"))))
    assert_same_bytes(graph)





@pytest.mark.parametrize("extra", [{"id": "@id"}, {"@base": "https://w3id.org/resolis/id/"}], ids=["id", "base"])
def test_the_rdflib_fallback_gives_the_same_bytes_whatever_the_order_of_the_triples(extra: dict):
    """Nodes whose @id is aliased (or absent) still print in one order: the build is deterministic."""
    context = {**jsonld_context(), **extra}
    triples = sorted(triples_of(fixtures(REPORT_FILES[0])))
    assert rdflib_jsonld_bytes(triples, context) == rdflib_jsonld_bytes(list(reversed(triples)), context)
