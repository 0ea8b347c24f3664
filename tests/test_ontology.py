"""ontology/: every term labelled and commented in English and French, aligned as promised."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, RDF, RDFS, SKOS

from resolis_ld.concepts import SCHEMES, load_concepts
from resolis_ld.namespaces import RESOLIS, SCHEMA
from resolis_ld.resources import resource

FRAPO = Namespace("http://purl.org/cerif/frapo/")
NARRATIVE = ["background", "objective", "action", "result", "originality", "difficulty", "remedy",
             "suggestion", "successFactor", "furtherReading", "additionalNarrative"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resource("ontology", "resolis.ttl"))


def test_every_term_of_the_namespace_is_defined_in_both_languages(ontology: Graph):
    for term in dir(RESOLIS):
        for predicate in (RDFS.label, RDFS.comment):
            languages = {value.language for value in ontology.objects(term, predicate)}
            assert {"en", "fr"} <= languages, (term, predicate)
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/resolis/ns")) in ontology


def test_properties_have_domain_or_range(ontology: Graph):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert ontology.value(prop, RDFS.range) is not None, prop


@pytest.mark.parametrize(
    "subject, predicate, obj",
    [
        (RESOLIS.Programme, RDFS.subClassOf, SCHEMA.Project),
        (RESOLIS.Programme, RDFS.subClassOf, FOAF.Project),
        (RESOLIS.Organisation, RDFS.subClassOf, ORG.FormalOrganization),
        (RESOLIS.Organisation, RDFS.subClassOf, SCHEMA.Organization),
        (RESOLIS.Partnership, RDFS.subClassOf, ORG.OrganizationalCollaboration),
        (RESOLIS.FundingSource, RDFS.subClassOf, SCHEMA.MonetaryGrant),
        (RESOLIS.FundingSource, SKOS.closeMatch, FRAPO.Funding),
        (RESOLIS.funder, RDFS.subPropertyOf, SCHEMA.funder),
        (RESOLIS.Report, RDFS.subClassOf, FOAF.Document),
        (RESOLIS.Report, SKOS.closeMatch, SCHEMA.Report),
        *[(RESOLIS[p], RDFS.subPropertyOf, DCTERMS.subject) for p in ("solution", "domain", "beneficiary", "participantType", "stature")],
        *[(RESOLIS[p], RDFS.subPropertyOf, DCTERMS.description) for p in NARRATIVE],
    ],
)
def test_alignments(ontology: Graph, subject, predicate, obj):
    assert (subject, predicate, obj) in ontology


def test_ontology_header(ontology: Graph):
    header = URIRef("https://w3id.org/resolis/ns")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for predicate in (OWL.versionInfo, DCTERMS.license, DCTERMS.creator,
                      URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")):
        assert ontology.value(header, predicate) is not None, predicate


def test_concept_schemes_hold_the_six_controlled_lists():
    concepts = list(load_concepts())
    counts = {scheme: sum(1 for c in concepts if c.scheme == scheme) for scheme in SCHEMES}
    assert counts == {"solution": 13, "domain": 13, "beneficiary": 12, "participant-type": 7, "stature": 4, "funding-type": 4}
    for concept in concepts:
        assert {language for language, _ in concept.labels} == {"en", "fr"}, concept
    index = load_concepts()
    assert index.find("beneficiary", "Élève, étudiants").key == "pupil-students"
    assert index.find("participant-type", "Collectivité territoriale").key == "local-authority"
    assert index.find("solution", "Education") is not index.find("domain", "Education")


def test_concepts_file_declares_schemes_with_labels():
    graph = Graph().parse(resource("ontology", "concepts.ttl"))
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 6
    for scheme in schemes:
        assert {label.language for label in graph.objects(scheme, SKOS.prefLabel)} == {"en", "fr"}
