"""The mapping to VOCABULARY.md: golden graphs, identifier rules, literals and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from resolis_ld.aliases import AliasTable, read_alias_table
from resolis_ld.concepts import load_concepts
from resolis_ld.mapping import graph_from_reports
from resolis_ld.namespaces import PREFIXES, RESOLIS
from resolis_ld.parse import parse_report
from resolis_ld.resources import resource

from conftest import DATA, GOLDEN, REPORT_FILES, REPORTS, assert_isomorphic

BASE = "https://w3id.org/resolis/id/"


def parse(path: Path, text: str | None = None, name: str | None = None):
    data = text.encode("utf-8") if text is not None else path.read_bytes()
    return parse_report(data, name or path.name).report


def graph_of(*reports, aliases: AliasTable | None = None, base: str = BASE) -> Graph:
    graph, _ = graph_from_reports(list(reports), load_concepts(), aliases, base)
    return graph


def collection_graph(aliases: AliasTable | None = None) -> Graph:
    return graph_of(*(parse(path) for path in REPORT_FILES), aliases=aliases)


def ask(graph: Graph, query: str, **bindings) -> bool:
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    return graph.query(prefixes + query, initBindings=bindings).askAnswer


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
def test_golden_graph(path: Path, update_golden: bool):
    """Each fixture converts to its reviewed golden graph (tests/data/golden/<name>.ttl)."""
    graph = graph_of(parse(path))
    golden = GOLDEN / f"{path.stem}.ttl"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    assert_isomorphic(graph, Graph().parse(golden), f"graph of {path.name}")


def test_no_blank_nodes():
    graph = collection_graph()
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def _defined_terms() -> set[URIRef]:
    ontology = Graph().parse(resource("ontology", "resolis.ttl"))
    return set(ontology.subjects(RDFS.label, None))


def test_every_term_used_is_defined():
    """Classes and properties are ours (defined in ontology/) or of a standard vocabulary we bind."""
    graph = collection_graph(read_alias_table(DATA / "organisations.csv"))
    defined = _defined_terms()
    standard = {str(ns) for prefix, ns in PREFIXES.items() if prefix != "resolis"}
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type)) | set(graph.objects(None, RESOLIS.narrativeProperty))
    undefined = sorted(
        str(term) for term in used
        if not (term in defined or any(str(term).startswith(ns) for ns in standard))
    )
    assert undefined == []


def test_lead_organisation_has_one_iri_across_reports():
    seed = REPORTS / "002_e8fb812dc0f34af1.txt"
    other = seed.read_text(encoding="utf-8").replace("Time for Parents Training Sessions", "Parents Café")
    graph = graph_of(parse(seed), parse(seed, other, "other.txt"))
    leads = set(graph.objects(None, RESOLIS.leadOrganisation))
    assert leads == {URIRef(BASE + "organisation/le-temps-des-parents")}
    assert len(set(graph.subjects(RDF.type, RESOLIS.Programme))) == 2


def test_partners_are_scoped_to_their_programme():
    seed = REPORTS / "000_bf3554a4a4265cfd.txt"
    other = seed.read_text(encoding="utf-8").replace("School Workshops:", "Homework Clubs:")
    graph = graph_of(parse(seed), parse(seed, other, "other.txt"))
    municipalities = set(graph.subjects(RDFS.label, Literal("Municipality", lang="en")))
    assert len(municipalities) == 2
    assert all("/programme/" in str(iri) for iri in municipalities)


def test_alias_table_reconciles_partner_and_funder_names(tmp_path: Path):
    table = tmp_path / "organisations.csv"
    table.write_text(
        "name,organisation,same_as\nCCAS of Lyon,ccas-de-lyon,https://example.org/ccas\n"
        "CCAS of Lyon (Municipal Social Action Centre),ccas-de-lyon,\n",
        encoding="utf-8",
    )
    aliases = read_alias_table(table)
    kitchens = parse(REPORTS / "S1_shared_kitchens.txt")
    graph, unreconciled = graph_from_reports([kitchens], load_concepts(), aliases, BASE)
    ccas = URIRef(BASE + "organisation/ccas-de-lyon")
    assert ask(graph, "ASK { ?p resolis:partnership/org:hasMember ?o ; resolis:fundingSource/resolis:funder ?o }", o=ccas)
    assert (ccas, OWL.sameAs, URIRef("https://example.org/ccas")) in graph
    names = {item.name for item in unreconciled}
    assert "Fondation de France" in names and "CCAS of Lyon" not in names


def test_concepts_have_one_iri_whatever_the_language():
    graph = collection_graph()
    training = URIRef(BASE + "concept/domain/training")
    programmes = set(graph.subjects(RESOLIS.domain, training))
    titles = {str(graph.value(p, DCTERMS.title)) for p in programmes}
    assert titles == {
        "School Workshops: help parents to better support their child's education",
        "Ateliers numériques pour les demandeurs d'emploi",
    }
    assert {label.language for label in graph.objects(training, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))} == {"en", "fr"}


def test_literals_carry_the_report_language_and_typed_values_their_datatype():
    graph = collection_graph()
    french = URIRef(BASE + "programme/ateliers-numeriques-pour-les-demandeurs-d-emploi")
    assert {o.language for o in graph.objects(french, RESOLIS.objective)} == {"fr"}
    assert graph.value(french, URIRef("https://schema.org/startDate")) == Literal("2014-03", datatype=XSD.gYearMonth)
    gardens = URIRef(BASE + "programme/community-gardens-in-the-housing-estates-of-roubaix")
    assert graph.value(gardens, URIRef("https://schema.org/endDate")) == Literal("2012", datatype=XSD.gYear)
    budget = graph.value(french, RESOLIS.budget)
    assert graph.value(budget, URIRef("https://schema.org/value")) == Literal("12500.0", datatype=XSD.decimal)
    assert graph.value(gardens, RESOLIS.budgetNote) == Literal("Not communicated", lang="en")


def test_every_report_carries_licence_citation_creator_and_provenance():
    graph = collection_graph()
    reports = set(graph.subjects(RDF.type, RESOLIS.Report))
    assert len(reports) == len(REPORT_FILES)
    for report in reports:
        assert ask(
            graph,
            """ASK { ?r dcterms:license <http://creativecommons.org/licenses/by/3.0/> ;
                        dcterms:bibliographicCitation ?c ; dcterms:creator/foaf:name ?n ;
                        prov:wasDerivedFrom ?s . ?s rdfs:label ?file ; resolis:sha256 ?hash }""",
            r=report,
        ), report
    assert ask(
        graph,
        'ASK { ?d a dcat:Dataset ; dcterms:license <http://creativecommons.org/licenses/by/3.0/> ; '
        'dcterms:rights "RESOLIS, Journal RESOLIS, CC-BY 3.0" }',
    )


def test_base_iri_moves_every_data_iri():
    base = "https://data.example.org/resolis/"
    graph = graph_of(parse(REPORTS / "000_bf3554a4a4265cfd.txt"), base=base)
    subjects = {str(s) for s in graph.subjects() if not str(s).startswith("http://creativecommons.org/")}
    assert subjects and all(s.startswith(base) for s in subjects)


def test_titles_that_collide_get_distinct_iris_whatever_the_order():
    seed = REPORTS / "000_bf3554a4a4265cfd.txt"
    twin_text = seed.read_text(encoding="utf-8").replace("Logo Association", "Logo Une autre association")
    first, twin = parse(seed), parse(seed, twin_text, "twin.txt")
    one, other = graph_of(first, twin), graph_of(twin, first)
    programmes = set(one.subjects(RDF.type, RESOLIS.Programme))
    assert len(programmes) == 2
    assert programmes == set(other.subjects(RDF.type, RESOLIS.Programme))
    assert_isomorphic(one, other)


def test_sub_headings_and_order_are_recorded():
    graph = graph_of(parse(REPORTS / "002_e8fb812dc0f34af1.txt"))
    rows = graph.query(
        """SELECT ?text WHERE { ?p resolis:section ?s . ?s resolis:narrativeProperty resolis:successFactor ;
             resolis:block ?b . ?b a resolis:Subheading ; rdf:value ?text ; resolis:order ?n } ORDER BY ?n""",
        initNs={k: v for k, v in PREFIXES.items()},
    )
    assert [str(row.text) for row in rows] == ["Reasons for Success", "Advice for a general expansion of the programme"]


def test_extra_section_is_kept_under_its_heading():
    graph = graph_of(parse(REPORTS / "S3_community_gardens_crlf.txt"))
    assert ask(
        graph,
        'ASK { ?p resolis:additionalNarrative ?t ; resolis:section ?s . ?s resolis:heading "Testimonies"@en ; '
        "resolis:narrativeProperty resolis:additionalNarrative . FILTER(CONTAINS(?t, \"neighbours\")) }",
    )


def test_source_map_records_the_line_of_each_value_and_of_each_block():
    from resolis_ld.sourcemap import read_source_map

    graph = graph_of(parse(REPORTS / "S3_community_gardens_crlf.txt"))
    report = next(graph.subjects(RDF.type, RESOLIS.Report))
    lines = read_source_map(graph.value(report, RESOLIS.sourceMap))
    programme = lines["programme/community-gardens-in-the-housing-estates-of-roubaix"]
    assert (programme[""], programme["dcterms:title"], programme["resolis:budgetNote"]) == (3, 3, 11)
    assert lines["organisation/jardins-du-partage"]["resolis:volunteerCountText"] == 17
    document = lines["report/community-gardens-in-the-housing-estates-of-roubaix"]
    assert (document["#programme"], document["#organisation"], document["#editorial"]) == (10, 16, 20)
