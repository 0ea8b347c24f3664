"""The DCAT-AP 3 record (catalog.ttl) and the VoID description (void.ttl) of a build's dumps.

Both are derived from the data graph, the dumps' bytes and the validation figures, never from
the clock: the same input gives the same catalogue. Every node has an IRI (under the data base)
so that the Turtle is canonical, like the dumps. The resources DCAT-AP's range shapes check are
typed here (licence, media types, locations, …): an offline validator cannot look them up.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter, methodcaller

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, VOID, XSD, NamespaceManager
from rdflib.term import Node

from . import authorities as auth
from .namespaces import DQV, RESOLIS, SCHEMA, SPDX, bind_prefixes
from .ntriples import node_from_nt, nt_term
from .triple_index import TripleIndex

ONTOLOGY = URIRef("https://w3id.org/resolis/ns")
RESOLIS_HOME = URIRef("https://www.resolis.org/")
DATE_PARTS = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
Row = tuple[URIRef, "Node | Iterable[Node] | None"]


@dataclass(frozen=True)
class Dump:
    """One data file of a build: its name, the RDF format it holds, its size and SHA-256 (the
    bytes themselves are written and let go at once: a large build's dumps take gigabytes)."""

    name: str
    format: str  # a key of authorities.MEDIA_TYPES
    size: int
    sha256: str
    compressed: bool = False

    @classmethod
    def of(cls, name: str, format: str, data: bytes, compressed: bool = False) -> Dump:
        return cls(name, format, len(data), hashlib.sha256(data).hexdigest(), compressed)


@dataclass(frozen=True)
class Quality:
    """The validation figures the catalogue publishes as DQV measurements (0 to 1)."""

    publishable_share: float
    mean_completeness: float


# Bilingual texts, (predicate, English, French), so that portals in either language show them.
CATALOG_TEXT = [
    (DCTERMS.title, "RESOLIS practice reports: linked open data", "Fiches d’expérience RESOLIS : données ouvertes liées"),
    (DCTERMS.description,
     "The dumps of the RESOLIS practice reports converted to RDF by resolis-ld, with their description.",
     "Les exports des fiches d’expérience RESOLIS converties en RDF par resolis-ld, et leur description."),
]
DATASET_TEXT = [
    (DCTERMS.title, "RESOLIS practice reports", "Fiches d'expérience RESOLIS"),
    (DCTERMS.description,
     "Social programmes of French associations as described by the practice reports of the Journal "
     "RESOLIS: lead organisation, budget and funders, partners, themes, places, objectives, actions, "
     "results and difficulties, as RDF in the RESOLIS vocabulary.",
     "Des programmes sociaux d’associations françaises tels que les décrivent les fiches d’expérience "
     "du Journal RESOLIS : organisation porteuse, budget et financeurs, partenaires, thèmes, lieux, "
     "objectifs, actions, résultats et difficultés, en RDF dans le vocabulaire RESOLIS."),
]
KEYWORDS = [("social innovation", "en"), ("innovation sociale", "fr"), ("practice report", "en"),
            ("fiche d'expérience", "fr"), ("linked open data", "en"), ("RESOLIS", None)]
FORMAT_NAMES = {"turtle": "Turtle", "json-ld": "JSON-LD", "nt": "N-Triples", "nquads": "N-Quads"}
# What a distribution holds, beyond its format: N-Quads alone keep each report in a graph.
FORMAT_NOTES = {
    "nquads": (", one named graph per report (resources several reports share in <{shared}>)",
               ", un graphe nommé par fiche (ressources communes à plusieurs fiches dans <{shared}>)"),
}
# The quality figures, by the metric that defines them (in ontology/resolis.ttl).
METRICS = [(RESOLIS.publishableReportShare, "publishable_share"), (RESOLIS.meanCompleteness, "mean_completeness")]


def shared_graph(base: str) -> URIRef:
    """The named graph of the N-Quads dump that holds what no single report owns."""
    return URIRef(f"{base}graph/shared")


def _add(graph: Graph, subject: URIRef, rows: Iterable[Row]) -> None:
    """Add each (predicate, object or objects) row; None and empty lists add nothing."""
    for predicate, value in rows:
        values = [] if value is None else [value] if isinstance(value, Node) else list(value)
        for item in values:
            graph.add((subject, predicate, item))


def _bilingual(rows: list[tuple[URIRef, str, str]]) -> list[Row]:
    return [(p, [Literal(en, lang="en"), Literal(fr, lang="fr")]) for p, en, fr in rows]


def _concept(graph: Graph, node: URIRef, types: list[URIRef], scheme: URIRef, labels: list[Literal]) -> URIRef:
    _add(graph, node, [(RDF.type, types), (SKOS.inScheme, scheme), (SKOS.prefLabel, labels)])
    return node


# -- facts drawn from the data ------------------------------------------------------------------


def _date_key(value: Literal, end: bool) -> tuple[int, int, int]:
    """gYear, gYearMonth and date compared by the first (or, for ``end``, last) day they cover."""
    match = DATE_PARTS.match(str(value))
    if match is None:  # typed values are well formed; anything else sorts first
        return (0, 0, 0)
    year, month, day = match.groups()
    return int(year), int(month or (12 if end else 1)), int(day or (31 if end else 1))


def temporal_range(data: Graph) -> tuple[Literal | None, Literal | None]:
    """The earliest programme start, and the latest date a programme mentions (its end, or the
    start of one still running): the period the reports cover, as precise as they are."""
    starts = list(data.objects(None, SCHEMA.startDate))
    dates = starts + list(data.objects(None, SCHEMA.endDate))
    first = min(starts, key=lambda d: (_date_key(d, False), str(d)), default=None)
    last = max(dates, key=lambda d: (_date_key(d, True), str(d)), default=None)
    return first, last


def publication_dates(data: Graph, modified: date | None = None) -> tuple[Literal | None, Literal | None]:
    """dct:issued is the year of the earliest report; dct:modified is ``modified`` when given,
    else the latest report year or proofreading date: both change only when the reports do."""
    reports = set(data.subjects(RDF.type, RESOLIS.Report))
    years = [y for r in reports for y in data.objects(r, DCTERMS.issued)]
    proofread = [d for r in reports for d in data.objects(r, RESOLIS.proofreadingDate)]
    issued = min(years, key=lambda d: (_date_key(d, False), str(d)), default=None)
    latest = max(years + proofread, key=lambda d: (_date_key(d, True), str(d)), default=None)
    if modified is not None:
        latest = Literal(modified.isoformat(), datatype=XSD.date)
    return issued, latest


def countries(data: Graph) -> tuple[dict[URIRef, str], list[str]]:
    """EU country IRIs of the programmes' countries (with the label written), and the labels
    the authority table does not know."""
    found: dict[URIRef, str] = {}
    unknown = set()
    for place in set(data.objects(None, RESOLIS.country)):
        for label in data.objects(place, RDFS.label):
            iri = auth.country_iri(str(label))
            if iri is None:
                unknown.add(str(label))
            elif iri not in found or str(label) < found[iri]:
                found[iri] = str(label)
    return found, sorted(unknown)


def _languages(data: Graph) -> list[URIRef]:
    """The EU language IRIs of the reports' languages."""
    tags = {str(t) for r in data.subjects(RDF.type, RESOLIS.Report) for t in data.objects(r, DCTERMS.language)}
    return sorted(filter(None, (auth.language_iri(tag) for tag in tags)))


def _solution_keywords(data: Graph) -> list[Literal]:
    """The labels of the solutions the programmes bring, in both languages: what people search."""
    concepts = set(data.objects(None, RESOLIS.solution))
    return sorted({label for c in concepts for label in data.objects(c, SKOS.prefLabel)})


@dataclass
class CatalogFacts:
    """What the catalogue says of the data, drawn from the graph once: a patched build (see
    patch.py) that changes none of it writes the catalogue again from these alone."""

    issued: Literal | None
    latest: Literal | None  # the latest report date; --date overrides it
    places: dict[URIRef, str]
    unknown_countries: list[str]
    keywords: list[Literal]
    period: tuple[Literal | None, Literal | None]
    languages: list[URIRef]
    labelled: dict[str, frozenset[str]]  # predicate -> the nodes whose labels the facts read


def catalog_facts(data: Graph) -> CatalogFacts:
    places, unknown = countries(data)
    index = TripleIndex.of(data)
    return CatalogFacts(
        *publication_dates(data), places, unknown, _solution_keywords(data), temporal_range(data), _languages(data),
        {label: frozenset(o for _, o in index.by_predicate.get(predicate, ())) for predicate, label in _LABELLED.items()},
    )


# What catalog_facts reads besides the labels: the objects of these predicates, and the reports.
_FACT_PREDICATES = {nt_term(p) for p in (
    DCTERMS.issued, RESOLIS.proofreadingDate, RESOLIS.country, DCTERMS.language, RESOLIS.solution,
    SCHEMA.startDate, SCHEMA.endDate,
)}
_LABELLED = {nt_term(RESOLIS.country): nt_term(RDFS.label), nt_term(RESOLIS.solution): nt_term(SKOS.prefLabel)}
_TYPE, _REPORT = nt_term(RDF.type), nt_term(RESOLIS.Report)


def touches_catalog(triple: tuple[str, str, str], facts: CatalogFacts) -> bool:
    """Whether adding or removing the triple (N-Triples strings) could change ``facts``."""
    s, p, o = triple
    if p in _FACT_PREDICATES or (p == _TYPE and o == _REPORT):
        return True
    return s in facts.labelled.get(p, ())


# -- catalog.ttl --------------------------------------------------------------------------------


def catalog_graph(
    data: Graph | CatalogFacts, dumps: list[Dump], quality: Quality | None, base: str, public_url: str,
    modified: date | None = None,
) -> tuple[Graph, list[str]]:
    """The DCAT-AP record of the dumps, and warnings (country names without an EU code)."""
    facts = data if isinstance(data, CatalogFacts) else catalog_facts(data)
    graph = _bind(Graph(), base)
    dataset, catalog, publisher = URIRef(f"{base}dataset"), URIRef(f"{base}catalog"), URIRef(f"{base}organisation/resolis")
    issued, latest = facts.issued, facts.latest
    if modified is not None:
        latest = Literal(modified.isoformat(), datatype=XSD.date)
    places = facts.places
    for language in facts.languages:
        _concept(graph, language, [DCTERMS.LinguisticSystem], auth.LANGUAGE_SCHEME, [])
    _describe_shared(graph, places, public_url)
    _add(graph, publisher, [(RDF.type, [FOAF.Agent, FOAF.Organization]), (FOAF.name, Literal("RESOLIS")),
                            (FOAF.homepage, RESOLIS_HOME)])
    _add(graph, catalog, [
        (RDF.type, DCAT.Catalog), *_bilingual(CATALOG_TEXT), (DCTERMS.publisher, publisher),
        (DCAT.dataset, dataset), (DCTERMS.issued, issued), (DCTERMS.modified, latest),
        (DCTERMS.license, auth.CC_BY_3), (DCAT.themeTaxonomy, auth.THEME_SCHEME), (FOAF.homepage, URIRef(public_url)),
    ])
    distributions = [_distribution(graph, base, public_url, dump) for dump in dumps]
    _add(graph, dataset, [
        (RDF.type, DCAT.Dataset), *_bilingual(DATASET_TEXT), (DCTERMS.identifier, Literal(str(dataset))),
        (DCTERMS.publisher, publisher),
        (DCAT.keyword, [Literal(text, lang=lang) for text, lang in KEYWORDS] + facts.keywords),
        (DCAT.theme, [auth.theme_iri(code) for code in auth.THEMES]), (DCTERMS.spatial, sorted(places)),
        (DCTERMS.temporal, _period(graph, base, facts.period)), (DCTERMS.issued, issued), (DCTERMS.modified, latest),
        (DCTERMS.language, facts.languages), (DCTERMS.conformsTo, ONTOLOGY), (DCTERMS.license, auth.CC_BY_3),
        (DCAT.distribution, distributions),
        (DQV.hasQualityMeasurement, _measurements(graph, base, dataset, quality)),
    ])
    return graph, catalog_warnings(facts)


def catalog_warnings(facts: CatalogFacts) -> list[str]:
    """What the catalogue leaves out: country names without an EU code."""
    return [f"country {label!r} has no EU authority code: left out of dct:spatial" for label in facts.unknown_countries]


def _bind(graph: Graph, base: str) -> Graph:
    bind_prefixes(graph, base)
    for prefix, namespace in (("dqv", DQV._NS), ("spdx", SPDX._NS), ("eu", Namespace(auth.EU))):
        graph.bind(prefix, namespace)
    return graph


def _describe_shared(graph: Graph, places: dict[URIRef, str], public_url: str) -> None:
    """The licence, theme, places and ontology the record points to, typed for DCAT-AP."""
    _add(graph, auth.CC_BY_3, [
        (RDF.type, DCTERMS.LicenseDocument), (RDFS.label, Literal("Creative Commons Attribution 3.0")),
        (DCTERMS.type, auth.ATTRIBUTION_LICENCE_TYPE), (SKOS.exactMatch, auth.EU_CC_BY_3),
    ])
    _concept(graph, auth.ATTRIBUTION_LICENCE_TYPE, [SKOS.Concept], auth.LICENCE_TYPE_SCHEME, [Literal("Attribution", lang="en")])
    for code, (en, fr) in auth.THEMES.items():
        _concept(graph, auth.theme_iri(code), [SKOS.Concept], auth.THEME_SCHEME, [Literal(en, lang="en"), Literal(fr, lang="fr")])
    _add(graph, auth.THEME_SCHEME, [(RDF.type, SKOS.ConceptScheme), (DCTERMS.title, Literal("Data theme", lang="en"))])
    for iri, label in places.items():
        _concept(graph, iri, [DCTERMS.Location], auth.COUNTRY_SCHEME, [Literal(label)])
    _add(graph, ONTOLOGY, [(RDF.type, DCTERMS.Standard), (DCTERMS.title, Literal("RESOLIS vocabulary", lang="en"))])
    for document in (RESOLIS_HOME, URIRef(public_url)):
        graph.add((document, RDF.type, FOAF.Document))
    for metric, _ in METRICS:
        _add(graph, metric, [(RDF.type, DQV.Metric), (DQV.expectedDataType, XSD.decimal)])


def _period(graph: Graph, base: str, period: tuple[Literal | None, Literal | None]) -> URIRef | None:
    start, end = period
    if start is None:
        return None
    period = URIRef(f"{base}dataset/temporal")
    _add(graph, period, [(RDF.type, DCTERMS.PeriodOfTime), (DCAT.startDate, start), (DCAT.endDate, end)])
    return period


def _distribution(graph: Graph, base: str, public_url: str, dump: Dump) -> URIRef:
    """One dump: where to get it, what it holds, how big it is, its SHA-256 and its licence."""
    node = URIRef(f"{base}dataset/distribution/{dump.name}")
    checksum = URIRef(f"{node}/sha256")
    media_type, file_type = auth.media_type_iri(dump.format), auth.file_type_iri(dump.format)
    gzip = auth.media_type_iri("gzip") if dump.compressed else None
    name = FORMAT_NAMES[dump.format]
    packed = (", gzip", ", compressé gzip") if dump.compressed else ("", "")
    notes = [note.format(shared=shared_graph(base)) for note in FORMAT_NOTES.get(dump.format, ("", ""))]
    _add(graph, node, [
        (RDF.type, DCAT.Distribution),
        (DCTERMS.title, [Literal(f"{name} dump{packed[0]}", lang="en"), Literal(f"Export {name}{packed[1]}", lang="fr")]),
        (DCTERMS.description, [
            Literal(f"The whole dataset in {name}{packed[0]}{notes[0]}.", lang="en"),
            Literal(f"Tout le jeu de données en {name}{packed[1]}{notes[1]}.", lang="fr"),
        ]),
        (DCAT.accessURL, URIRef(public_url)), (DCAT.downloadURL, URIRef(public_url + dump.name)),
        (DCAT.mediaType, media_type), (DCTERMS.format, file_type), (DCAT.compressFormat, gzip),
        (DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)),
        (SPDX.checksum, checksum), (DCTERMS.license, auth.CC_BY_3),
    ])
    _add(graph, checksum, [
        (RDF.type, SPDX.Checksum), (SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)),
    ])
    for media in filter(None, (media_type, gzip)):
        graph.add((media, RDF.type, DCTERMS.MediaType))
    _concept(graph, file_type, [DCTERMS.MediaTypeOrExtent], auth.FILE_TYPE_SCHEME, [])
    return node


def _measurements(graph: Graph, base: str, dataset: URIRef, quality: Quality | None) -> list[URIRef]:
    if quality is None:
        return []
    nodes = []
    for metric, field in METRICS:
        node = URIRef(f"{base}dataset/quality/{metric.split('#')[-1]}")
        value = Literal(f"{getattr(quality, field):.3f}", datatype=XSD.decimal)
        _add(graph, node, [(RDF.type, DQV.QualityMeasurement), (DQV.isMeasurementOf, metric),
                           (DQV.computedOn, dataset), (DQV.value, value)])
        nodes.append(node)
    return nodes


# -- void.ttl -----------------------------------------------------------------------------------

# W3C format IRIs, for void:feature: what a client can ask the dumps for.
FEATURES = {"turtle": "Turtle", "json-ld": "JSON-LD", "nt": "N-Triples", "nquads": "N-Quads"}
EXAMPLE_CLASSES = [RESOLIS.Report, RESOLIS.Programme, RESOLIS.Organisation]


def _namespace(iri: str) -> str:
    """The vocabulary of a term: its IRI up to the last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _class_slug(names: NamespaceManager, cls: Node) -> str:
    """``resolis-Programme`` from the class's prefixed name; a digest when no prefix is bound."""
    name = names.normalizeUri(cls)
    if name.startswith("<"):
        return hashlib.sha256(str(cls).encode("utf-8")).hexdigest()[:16]
    return name.replace(":", "-")


def _distinct_object_count(data: TripleIndex) -> int:
    """How many distinct objects (N-Triples strings), gathered by C-level set updates."""
    objects: set[str] = set()
    for pairs in data.by_predicate.values():
        objects.update(map(itemgetter(1), pairs))
    return len(objects)


@dataclass
class VoidCounts:
    """What void.ttl says of the data graph, counted once (a patched build adjusts them)."""

    triples: int
    entities: int  # subjects in the base IRI's space
    subjects: int
    objects: int  # distinct
    classes: dict[URIRef, int]  # class -> instances
    predicates: list[URIRef]
    examples: list[URIRef]  # the first instance of each of EXAMPLE_CLASSES that has one


def void_counts(data: Graph | TripleIndex, base: str) -> VoidCounts:
    data = TripleIndex.of(data)
    instances = data.pos(nt_term(RDF.type))  # class (N-Triples) -> its instances, distinct strings
    examples = [min(data.subjects(RDF.type, cls), default=None) for cls in EXAMPLE_CLASSES]
    return VoidCounts(
        triples=len(data),
        entities=sum(map(methodcaller("startswith", f"<{base}"), data.spo)),
        subjects=len(data.spo),  # counted on the N-Triples strings: far cheaper
        objects=_distinct_object_count(data),
        classes={node_from_nt(cls): len(subjects) for cls, subjects in instances.items()},
        predicates=sorted(set(data.predicates())),
        examples=[e for e in examples if e is not None],
    )


def void_graph(counts: VoidCounts, dumps: list[Dump], base: str, public_url: str) -> Graph:
    """The VoID description of the data graph: sizes, vocabularies, dumps, one partition per class."""
    graph = _bind(Graph(), base)
    graph.bind("void", VOID)
    names = bind_prefixes(Graph(), base).namespace_manager
    dataset = URIRef(f"{base}dataset")
    classes = sorted(counts.classes)
    partitions = []
    for cls in classes:
        partition = URIRef(f"{base}dataset/class/{_class_slug(names, cls)}")
        _add(graph, partition, [(VOID["class"], cls), (VOID.entities, Literal(counts.classes[cls]))])
        partitions.append(partition)
    _add(graph, dataset, [
        (RDF.type, VOID.Dataset), *_bilingual(DATASET_TEXT[:1]),
        (VOID.triples, Literal(counts.triples)),
        (VOID.entities, Literal(counts.entities)),
        (VOID.distinctSubjects, Literal(counts.subjects)),
        (VOID.distinctObjects, Literal(counts.objects)),
        (VOID.classes, Literal(len(classes))), (VOID.properties, Literal(len(counts.predicates))),
        (VOID.vocabulary, sorted({URIRef(_namespace(str(term))) for term in classes + counts.predicates})),
        (VOID.uriSpace, Literal(base)), (VOID.exampleResource, counts.examples),
        (VOID.dataDump, [URIRef(public_url + dump.name) for dump in dumps]),
        (VOID.feature, sorted({URIRef(f"http://www.w3.org/ns/formats/{FEATURES[d.format]}") for d in dumps})),
        (VOID.classPartition, partitions), (DCTERMS.license, auth.CC_BY_3),
    ])
    return graph
