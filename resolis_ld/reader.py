"""RDF graph -> ``model.Report``: the inverse of the mapping, so ``render`` can rebuild the text.

Values whose written form the graph keeps (budget, funding line, citation) are read back through
the same value parsers the converter used; sections and blocks come back in their recorded order.
Tag and unplaced-line order is not recorded (it carries no meaning), so they come back sorted.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS

from . import labels as L
from .concepts import load_concepts
from .mapping import BLOCK_CLASSES, COUNT_PROPERTIES, TAG_PROPERTIES, section_property
from .model import (
    Address, Block, Budget, Collection, Count, DateValue, Licence, Organisation, Report, Section,
    Source, Tag, Text,
)
from .namespaces import RESOLIS, SCHEMA
from .values import parse_budget, parse_citation, parse_funding

_SECTION_KEYS = {section_property(key): key for key in (*L.SECTIONS, None)}
_BLOCK_KINDS = {cls: kind for kind, cls in BLOCK_CLASSES.items()}


def _ignore(line: int, message: str) -> None:
    """Value parsers warn about the report; reading back, the warning was already given."""


class _GraphReader:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.language = "en"

    def text(self, subject, predicate) -> str | None:
        """The value in the report's language, else any (sorted, so the choice is stable)."""
        values = sorted(self.graph.objects(subject, predicate), key=lambda v: (str(v), v.language or ""))
        for value in values:
            if isinstance(value, Literal) and value.language == self.language:
                return str(value)
        return str(values[0]) if values else None

    def as_text(self, subject, predicate) -> Text | None:
        value = self.text(subject, predicate)
        return Text(value) if value is not None else None

    def one(self, subject, predicate):
        return min(self.graph.objects(subject, predicate), default=None)

    def report(self, document: URIRef) -> Report:
        graph = self.graph
        language = self.one(document, DCTERMS.language)
        self.language = str(language) if language is not None else "en"
        programme = self.one(document, FOAF.primaryTopic)
        values = {
            "language": self.language,
            "title": self.as_text(document, DCTERMS.title) or Text(""),
            "organisation": self.organisation(self.one(programme, RESOLIS.leadOrganisation)),
            "summary": self.as_text(programme, DCTERMS.abstract),
            "start_date": self.date(programme, SCHEMA.startDate, RESOLIS.startDateText, SCHEMA.endDate),
            "implementation_site": self.place(programme, RESOLIS.implementationSite),
            "country": self.place(programme, RESOLIS.country),
            "region": self.place(programme, RESOLIS.region),
            "budget": self.budget(programme),
            "funding": self.funding(programme),
            "proofreading_date": self.date(document, RESOLIS.proofreadingDate, RESOLIS.proofreadingDateText),
            "committee_opinion": self.as_text(document, RESOLIS.committeeOpinion),
            "collection": self.collection(document),
            "licence": self.licence(document),
            "citation": self.citation(document),
            "sections": self.sections(programme),
            "unplaced": tuple(Text(str(t)) for t in sorted(graph.objects(document, RESOLIS.unplacedText))),
            "source": self.source(document),
        }
        for field, prop in TAG_PROPERTIES.items():
            values[field] = tuple(sorted((self.tag(c) for c in graph.objects(programme, prop)), key=lambda t: t.key))
        return Report(**values)

    def organisation(self, node) -> Organisation | None:
        if node is None:
            return None
        counts = {field: self.count(node, *props) for field, props in COUNT_PROPERTIES.items()}
        address = self.one(node, SCHEMA.address)
        return Organisation(
            Text(self.text(node, RDFS.label) or ""),
            self.as_text(node, SKOS.altLabel),
            Address(
                self.as_text(address, SCHEMA.streetAddress),
                self.as_text(address, SCHEMA.postalCode),
                self.as_text(address, SCHEMA.addressLocality),
            ) if address is not None else None,
            **counts,
        )

    def date(self, subject, prop, text_prop, end_prop=None) -> DateValue | None:
        if (start := self.one(subject, prop)) is not None:
            end = self.one(subject, end_prop) if end_prop is not None else None
            return DateValue(str(start), str(end) if end is not None else None)
        text = self.text(subject, text_prop)
        return DateValue(None, text=text) if text is not None else None

    def count(self, subject, prop, text_prop) -> Count | None:
        if (value := self.one(subject, prop)) is not None:
            return Count(int(value))
        text = self.text(subject, text_prop)
        return Count(None, text=text) if text is not None else None

    def place(self, programme, prop) -> Text | None:
        node = self.one(programme, prop)
        return self.as_text(node, RDFS.label) if node is not None else None

    def budget(self, programme) -> Budget | None:
        if (node := self.one(programme, RESOLIS.budget)) is not None:
            return parse_budget(self.text(node, RDFS.label) or "", 0, _ignore)
        if note := self.text(programme, RESOLIS.budgetNote):
            return Budget(None, None, None, note)
        return None

    def funding(self, programme):
        node = self.one(programme, RESOLIS.fundingSource)
        if node is None:
            return None
        return parse_funding(self.text(node, RDFS.label) or "", 0, load_concepts())

    def tag(self, concept: URIRef) -> Tag:
        scheme, _, key = str(concept).rpartition("/")
        scheme = scheme.rpartition("/")[2]
        known = load_concepts().get(scheme, key) is not None
        return Tag(scheme, key, known, self.text(concept, SKOS.prefLabel) or key)

    def collection(self, document) -> Collection | None:
        node = self.one(document, DCTERMS.isPartOf)
        if node is None:
            return None
        edition = self.one(document, RESOLIS.collectionEdition)
        return Collection(self.text(node, DCTERMS.title) or "", str(edition) if edition is not None else None)

    def licence(self, document) -> Licence | None:
        node = self.one(document, DCTERMS.license)
        if node is None:
            return None
        label = self.one(node, RDFS.label)
        return Licence(str(node), str(label) if label is not None else "")

    def citation(self, document):
        text = self.text(document, DCTERMS.bibliographicCitation)
        return parse_citation(text, 0, _ignore) if text else None

    def sections(self, programme) -> tuple[Section, ...]:
        sections = []
        for node in sorted(self.graph.objects(programme, RESOLIS.section), key=self.order):
            blocks = tuple(
                Block(_BLOCK_KINDS[self.one(block, RDF.type)], self.text(block, RDF.value) or "")
                for block in sorted(self.graph.objects(node, RESOLIS.block), key=self.order)
            )
            key = _SECTION_KEYS.get(self.one(node, RESOLIS.narrativeProperty))
            sections.append(Section(key, self.text(node, RESOLIS.heading) or "", blocks))
        return tuple(sections)

    def order(self, node) -> int:
        value = self.one(node, RESOLIS.order)
        return int(value) if value is not None else 0

    def source(self, document) -> Source | None:
        node = self.one(document, PROV.wasDerivedFrom)
        if node is None:
            return None
        url, retrieved = self.one(node, DCTERMS.source), self.one(node, PROV.generatedAtTime)
        return Source(
            self.text(node, RDFS.label) or "", str(self.one(node, RESOLIS.sha256) or ""),
            url=str(url) if url is not None else None, retrieved=str(retrieved) if retrieved is not None else None,
        )


def reports_from_graph(graph: Graph, programme: str | None = None) -> list[tuple[str, Report]]:
    """(slug, report) for each report in the graph (or the one about ``programme``), by IRI."""
    found = []
    for document in sorted(graph.subjects(RDF.type, RESOLIS.Report)):
        topic = _GraphReader(graph).one(document, FOAF.primaryTopic)
        if programme and str(topic) != programme:
            continue
        slug = str(topic).rstrip("/").rpartition("/")[2] if topic is not None else "report"
        found.append((slug, _GraphReader(graph).report(document)))
    return found
