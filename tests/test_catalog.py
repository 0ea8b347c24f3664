"""catalog.ttl and void.ttl: DCAT-AP 3.0.1 shapes, checksums and sizes of the real files, the
dataset's fields, the quality measurements, and VoID counts checked against the data by SPARQL."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import DATA, REPORTS
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS, XSD

from resolis_ld.aliases import read_alias_table
from resolis_ld.authorities import CC_BY_3, EU_CC_BY_3, country_iri
from resolis_ld.build import DEFAULT_PUBLIC_URL, DUMPS, build
from resolis_ld.catalog import countries, publication_dates, temporal_range
from resolis_ld.namespaces import DEFAULT_BASE, RESOLIS, SCHEMA

DCAT_AP = DATA / "dcat-ap"
SHAPES = DCAT_AP / "3.0.1" / "html-shacl"
DATASET = URIRef(f"{DEFAULT_BASE}dataset")
PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX dqv: <http://www.w3.org/ns/dqv#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build([str(REPORTS)], out, aliases=read_alias_table(DATA / "organisations.csv"))
    return out


@pytest.fixture(scope="module")
def catalog(dist: Path) -> Graph:
    return Graph().parse(dist / "catalog.ttl")


@pytest.fixture(scope="module")
def data(dist: Path) -> Graph:
    return Graph().parse(dist / "resolis.ttl")


def select(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PREFIXES + query)]


# -- DCAT-AP shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl"])
def test_catalog_conforms_to_the_dcat_ap_shapes(catalog: Graph, shapes: str):
    conforms, _, text = validate(catalog, shacl_graph=Graph().parse(SHAPES / shapes), inference="none", allow_warnings=True)
    assert conforms, text


def test_the_copied_shapes_are_the_ones_the_readme_names():
    """tests/data/dcat-ap/ holds unmodified copies: their SHA-256 is the one README.md lists."""
    listed = dict(
        (path, digest)
        for digest, path in re.findall(r"^([0-9a-f]{64})  (\S+)$", (DCAT_AP / "README.md").read_text(encoding="utf-8"), re.M)
    )
    for path in ("3.0.1/html-shacl/shapes.ttl", "3.0.1/html-shacl/range.ttl"):
        assert hashlib.sha256((DCAT_AP / path).read_bytes()).hexdigest() == listed[path], path


# -- distributions ------------------------------------------------------------------------------


def test_checksums_and_sizes_match_the_files(dist: Path, catalog: Graph):
    rows = select(catalog, """
        SELECT ?url ?size ?sum WHERE {
            ?dataset dcat:distribution ?d .
            ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum ?c .
            ?c spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum .
        }""")
    names = {str(url).removeprefix(DEFAULT_PUBLIC_URL): (size, checksum) for url, size, checksum in rows}
    assert sorted(names) == sorted(name for name, _, _ in DUMPS)
    for name, (size, checksum) in names.items():
        data = (dist / name).read_bytes()
        assert size == Literal(len(data), datatype=XSD.nonNegativeInteger), name
        assert checksum == Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary), name


def test_every_distribution_has_its_licence_media_type_and_file_type(catalog: Graph):
    rows = select(catalog, """
        SELECT ?url ?media ?format ?compress WHERE {
            ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:accessURL ?access ;
               dcat:mediaType ?media ; dct:format ?format ;
               dct:license <http://creativecommons.org/licenses/by/3.0/> .
            OPTIONAL { ?d dcat:compressFormat ?compress }
        }""")
    iana, eu = "http://www.iana.org/assignments/media-types/", "http://publications.europa.eu/resource/authority/file-type/"
    found = {str(url).rsplit("/", 1)[1]: (str(m).removeprefix(iana), str(f).removeprefix(eu), c) for url, m, f, c in rows}
    gzip = URIRef(iana + "application/gzip")
    assert found == {
        "resolis.ttl": ("text/turtle", "RDF_TURTLE", None),
        "resolis.jsonld": ("application/ld+json", "JSON_LD", None),
        "resolis.nt": ("application/n-triples", "RDF_N_TRIPLES", None),
        "resolis.nt.gz": ("application/n-triples", "RDF_N_TRIPLES", gzip),
        "resolis.nq.gz": ("application/n-quads", "RDF_N_QUADS", gzip),
    }


def test_the_licence_is_a_document_mapped_to_the_eu_licence_list(catalog: Graph):
    assert (CC_BY_3, RDF.type, DCTERMS.LicenseDocument) in catalog
    assert (CC_BY_3, SKOS.exactMatch, EU_CC_BY_3) in catalog
    assert (DATASET, DCTERMS.license, CC_BY_3) in catalog


# -- the dataset --------------------------------------------------------------------------------


def test_the_dataset_record(catalog: Graph):
    eu = "http://publications.europa.eu/resource/authority/"
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {value.language for value in catalog.objects(DATASET, predicate)} == {"en", "fr"}, predicate
    assert select(catalog, "SELECT ?name WHERE { ?c a dcat:Catalog ; dcat:dataset ?d . ?d dct:publisher/foaf:name ?name }") \
        == [(Literal("RESOLIS"),)]
    assert (DATASET, DCAT.theme, URIRef(f"{eu}data-theme/SOCI")) in catalog
    assert set(catalog.objects(DATASET, DCTERMS.spatial)) == {URIRef(f"{eu}country/FRA")}
    assert (DATASET, DCTERMS.conformsTo, URIRef("https://w3id.org/resolis/ns")) in catalog
    assert Literal("Education", lang="en") in set(catalog.objects(DATASET, DCAT.keyword))
    # The fixtures' programmes start in 2007 at the earliest; the latest date any gives is March 2014.
    assert select(catalog, "SELECT ?s ?e WHERE { ?d dct:temporal [ a dct:PeriodOfTime ; dcat:startDate ?s ; dcat:endDate ?e ] }") \
        == [(Literal("2007", datatype=XSD.gYear), Literal("2014-03", datatype=XSD.gYearMonth))]
    # Earliest report year; latest report year or proofreading date (S2, proofread 2016-02-02).
    assert catalog.value(DATASET, DCTERMS.issued) == Literal("2013", datatype=XSD.gYear)
    assert catalog.value(DATASET, DCTERMS.modified) == Literal("2016-02-02", datatype=XSD.date)


def test_quality_measurements_are_the_validation_figures(dist: Path, catalog: Graph):
    totals = json.loads((dist / "validation.json").read_text(encoding="utf-8"))["totals"]
    rows = select(catalog, """
        SELECT ?metric ?value WHERE {
            ?d dqv:hasQualityMeasurement ?m .
            ?m a dqv:QualityMeasurement ; dqv:isMeasurementOf ?metric ; dqv:computedOn ?d ; dqv:value ?value .
        }""")
    values = {metric: float(value) for metric, value in rows}
    assert values == {
        RESOLIS.publishableReportShare: round(totals["publishable"] / totals["reports"], 3),
        RESOLIS.meanCompleteness: pytest.approx(totals["mean_completeness"], abs=0.001),
    }


def test_dates_and_places_come_from_the_data():
    graph = Graph()
    programme = URIRef(f"{DEFAULT_BASE}programme/p")
    place = URIRef(f"{DEFAULT_BASE}place/x")
    for value in (Literal("2012-06", datatype=XSD.gYearMonth), Literal("2007", datatype=XSD.gYear)):
        graph.add((programme, SCHEMA.startDate, value))
    graph.add((programme, SCHEMA.endDate, Literal("2012", datatype=XSD.gYear)))
    graph.add((programme, RESOLIS.country, place))
    graph.add((place, RDFS.label, Literal("Atlantis")))
    assert temporal_range(graph) == (Literal("2007", datatype=XSD.gYear), Literal("2012", datatype=XSD.gYear))
    assert countries(graph) == ({}, ["Atlantis"])
    assert country_iri("  belgique ") == country_iri("Belgium") is not None
    assert publication_dates(graph) == (None, None)


# -- void.ttl -----------------------------------------------------------------------------------


def test_void_counts_are_those_of_the_data(dist: Path, data: Graph, catalog: Graph):
    void = Graph().parse(dist / "void.ttl")
    counts = select(void, f"""
        SELECT ?triples ?classes ?properties ?space WHERE {{
            <{DATASET}> a void:Dataset ; void:triples ?triples ; void:classes ?classes ;
                void:properties ?properties ; void:uriSpace ?space ; dct:license ?licence .
        }}""")
    [(triples,)] = select(data, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    [(classes,)] = select(data, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    [(properties,)] = select(data, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    assert int(triples) > 1000
    assert [tuple(map(str, row)) for row in counts] == [(str(triples), str(classes), str(properties), DEFAULT_BASE)]
    partitions = select(void, "SELECT ?class ?n WHERE { ?d void:classPartition [ void:class ?class ; void:entities ?n ] }")
    instances = select(data, "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
    assert {c: int(n) for c, n in partitions} == {c: int(n) for c, n in instances}
    dumps = set(void.objects(DATASET, URIRef("http://rdfs.org/ns/void#dataDump")))
    assert dumps == set(catalog.objects(None, DCAT.downloadURL))
    examples = set(void.objects(DATASET, URIRef("http://rdfs.org/ns/void#exampleResource")))
    assert examples and all((example, None, None) in data for example in examples)
    vocabularies = {str(v) for v in void.objects(DATASET, URIRef("http://rdfs.org/ns/void#vocabulary"))}
    assert {"https://w3id.org/resolis/ns#", "http://purl.org/dc/terms/", "https://schema.org/"} <= vocabularies
