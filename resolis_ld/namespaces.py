"""Our vocabulary as a closed namespace (a typo in a term fails at import) and the prefixes we bind."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCMITYPE, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

DEFAULT_BASE = "https://w3id.org/resolis/id/"
SCHEMA = Namespace("https://schema.org/")
CC = Namespace("http://creativecommons.org/ns#")


class RESOLIS(DefinedNamespace):
    """https://w3id.org/resolis/ns# — defined in ontology/resolis.ttl."""

    _NS = Namespace("https://w3id.org/resolis/ns#")
    _fail = True

    # classes
    Report: URIRef
    Programme: URIRef
    Organisation: URIRef
    Partnership: URIRef
    FundingSource: URIRef
    Place: URIRef
    Collection: URIRef
    Section: URIRef
    Block: URIRef
    Paragraph: URIRef
    ListItem: URIRef
    NumberedItem: URIRef
    Subheading: URIRef
    # object properties
    leadOrganisation: URIRef
    implementationSite: URIRef
    country: URIRef
    region: URIRef
    budget: URIRef
    fundingSource: URIRef
    fundingType: URIRef
    funder: URIRef
    partnership: URIRef
    solution: URIRef
    domain: URIRef
    beneficiary: URIRef
    participantType: URIRef
    stature: URIRef
    section: URIRef
    block: URIRef
    narrativeProperty: URIRef
    # narrative
    background: URIRef
    objective: URIRef
    action: URIRef
    result: URIRef
    originality: URIRef
    difficulty: URIRef
    remedy: URIRef
    suggestion: URIRef
    successFactor: URIRef
    furtherReading: URIRef
    additionalNarrative: URIRef
    # datatype properties
    proofreadingDate: URIRef
    proofreadingDateText: URIRef
    startDateText: URIRef
    employeeCountText: URIRef
    volunteerCountText: URIRef
    memberCountText: URIRef
    committeeOpinion: URIRef
    collectionEdition: URIRef
    unplacedText: URIRef
    acronym: URIRef
    employeeCount: URIRef
    volunteerCount: URIRef
    memberCount: URIRef
    budgetNote: URIRef
    order: URIRef
    heading: URIRef
    sha256: URIRef
    sourceMap: URIRef
    # data-quality metrics and their dimension (W3C DQV), measured on every build
    completenessDimension: URIRef
    publishableReportShare: URIRef
    meanCompleteness: URIRef


class DQV(DefinedNamespace):
    """W3C Data Quality Vocabulary: the terms catalog.ttl uses."""

    _NS = Namespace("http://www.w3.org/ns/dqv#")
    _fail = True

    Dimension: URIRef
    Metric: URIRef
    QualityMeasurement: URIRef
    computedOn: URIRef
    expectedDataType: URIRef
    hasQualityMeasurement: URIRef
    inDimension: URIRef
    isMeasurementOf: URIRef
    value: URIRef


class SPDX(DefinedNamespace):
    """SPDX 2.x RDF terms for checksums, as DCAT-AP uses them."""

    _NS = Namespace("http://spdx.org/rdf/terms#")
    _fail = True

    Checksum: URIRef
    algorithm: URIRef
    checksum: URIRef
    checksumAlgorithm_sha256: URIRef
    checksumValue: URIRef


PREFIXES: dict[str, Namespace] = {
    "resolis": Namespace(str(RESOLIS._NS)),
    "dcterms": Namespace(str(DCTERMS)),
    "schema": SCHEMA,
    "org": Namespace(str(ORG)),
    "foaf": Namespace(str(FOAF)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcat": Namespace(str(DCAT)),
    "rdfs": Namespace(str(RDFS)),
    "rdf": Namespace(str(RDF)),
    "xsd": Namespace(str(XSD)),
    "owl": Namespace(str(OWL)),
    "cc": CC,
    "dcmitype": Namespace(str(DCMITYPE)),
}


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind our prefixes (and ``data:`` to the data base) on a graph, replacing rdflib's defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("data", Namespace(base), override=True, replace=True)
    return graph
