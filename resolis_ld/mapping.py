"""``model.Report`` -> RDF in the terms of VOCABULARY.md; the identifier rules live here.

IRIs are slugs under the data base, derived from what a report says (never from its file name),
so the same reports give the same IRIs whatever the order or names of their files:

- ``programme/{title}`` and ``report/{title}``; budget, funding source, partnership, sections and
  blocks under the programme's IRI;
- ``organisation/{name}`` for a lead organisation (one IRI across reports); partners and funders
  under ``programme/{title}/organisation/{name}`` unless the alias table names them;
- ``place/…``, ``collection/…``, ``person/…``, ``concept/{scheme}/{label}``, ``source/{sha256}``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import labels as L
from .aliases import AliasTable
from .concepts import SCHEMES, ConceptIndex
from .model import Block, Count, DateValue, Organisation, Report, Section, Tag
from .namespaces import CC, DEFAULT_BASE, RESOLIS, SCHEMA, bind_prefixes
from .ntriples import Triple, nt_term, quote
from .sourcemap import SourceLines
from .text import slugify
from .values import is_not_communicated

CC_BY_3 = URIRef("http://creativecommons.org/licenses/by/3.0/")
ATTRIBUTION = "RESOLIS, Journal RESOLIS, CC-BY 3.0"

TAG_PROPERTIES = {
    "solutions": RESOLIS.solution,
    "stature": RESOLIS.stature,
    "participant_types": RESOLIS.participantType,
    "beneficiaries": RESOLIS.beneficiary,
    "domains": RESOLIS.domain,
}
COUNT_PROPERTIES = {  # field -> (count, the count as written when it is not a number)
    "employees": (RESOLIS.employeeCount, RESOLIS.employeeCountText),
    "volunteers": (RESOLIS.volunteerCount, RESOLIS.volunteerCountText),
    "members": (RESOLIS.memberCount, RESOLIS.memberCountText),
}
BLOCK_CLASSES = {
    "paragraph": RESOLIS.Paragraph,
    "item": RESOLIS.ListItem,
    "numbered": RESOLIS.NumberedItem,
    "subheading": RESOLIS.Subheading,
}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def section_property(key: str | None) -> URIRef:
    """The property a section's text fills: a narrative property, the partnership, or extra text."""
    if key is None:
        return RESOLIS.additionalNarrative
    if key == "partnerships":
        return RESOLIS.partnership
    return RESOLIS[L.SECTIONS[key][2]]


@dataclass(frozen=True)
class Unreconciled:
    """A partner or funder name the alias table does not know (so scoped to its programme)."""

    name: str
    role: str
    programme: str
    source: str
    line: int


def programme_slugs(reports: list[Report]) -> dict[int, str]:
    """Slug of each report's programme, keyed by ``id(report)``.

    Titles that collide get the first 8 hex digits of their bytes' SHA-256 appended, so that
    the outcome does not depend on the order in which the reports come.
    """
    slugs = {id(report): slugify(report.title.value) for report in reports}
    taken = Counter(slugs.values())
    for report in reports:
        if taken[slugs[id(report)]] > 1:
            digest = report.source.sha256[:8] if report.source else "0" * 8
            slugs[id(report)] = f"{slugs[id(report)]}-{digest}"
    return slugs


Emit = Callable[[Node, Node, Node], None]  # where a mapper puts each triple


class _ReportMapper:
    """Emits one report's triples (into a graph, or as N-Triples strings)."""

    def __init__(self, emit: Emit, base: str, concepts: ConceptIndex, aliases: AliasTable,
                 make_text: Callable[[str, str], Node] = lambda value, language: Literal(value, lang=language)):
        self.emit = emit
        self.make_text = make_text  # a language-tagged literal
        self.base = base
        self.concepts = concepts
        self.aliases = aliases
        self.unreconciled: list[Unreconciled] = []
        self.schemes: set[str] = set()  # the concept schemes the report's tags are in

    # -- helpers --------------------------------------------------------------------------

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, subject, predicate, obj, line: int = 0) -> None:
        """Add a triple (none when ``obj`` is None) and remember the line the value came from."""
        if obj is None:
            return
        self.emit(subject, predicate, obj)
        if line:
            self.lines.record(subject, predicate, line)

    def text(self, value: str | None) -> Literal | None:
        return self.make_text(value, self.language) if value else None

    # A value the parser could not read is kept as written under a "…Text" property: the typed
    # property then only ever holds well-typed values, and validation flags the text as a warning.

    def add_date(self, subject: URIRef, props: tuple[URIRef, URIRef, URIRef | None], value: DateValue | None) -> None:
        """``props``: the start (or only) date property, its text property, the end property."""
        if value is None:
            return
        start, text, end = props
        if value.start is None:
            self.add(subject, text, self.text(value.text), value.line)
            return
        self.add(subject, start, Literal(value.start, datatype=DATE_TYPES[len(value.start)]), value.line)
        if value.end and end is not None:
            self.add(subject, end, Literal(value.end, datatype=DATE_TYPES[len(value.end)]), value.line)

    def add_count(self, subject: URIRef, props: tuple[URIRef, URIRef], value: Count | None) -> None:
        if value is None:
            return
        if value.value is not None:
            self.add(subject, props[0], Literal(value.value, datatype=XSD.integer), value.line)
        else:
            self.add(subject, props[1], self.text(value.text), value.line)

    # -- the report -----------------------------------------------------------------------

    def map(self, report: Report, slug: str) -> URIRef:
        self.language = report.language
        self.source = report.source.name if report.source else "<input>"
        programme = self.iri(f"programme/{slug}")
        self.programme_path = f"programme/{slug}"
        document = self.iri(f"report/{slug}")
        self.lines = SourceLines(self.base)
        self.map_report(report, document, programme)
        self.map_programme(report, programme)
        self.lines.anchor_blocks(report, document, programme)
        self.add(document, RESOLIS.sourceMap, self.lines.literal())
        return document

    def map_report(self, report: Report, document: URIRef, programme: URIRef) -> None:
        add = self.add
        add(document, RDF.type, RESOLIS.Report, 1)
        add(document, DCTERMS.title, self.text(report.title.value), report.title.line)
        add(document, FOAF.primaryTopic, programme)
        add(document, DCTERMS.language, Literal(report.language, datatype=XSD.language))
        self.add_date(document, (RESOLIS.proofreadingDate, RESOLIS.proofreadingDateText, None), report.proofreading_date)
        if report.committee_opinion:
            add(document, RESOLIS.committeeOpinion, self.text(report.committee_opinion.value), report.committee_opinion.line)
        for text in report.unplaced:
            add(document, RESOLIS.unplacedText, Literal(text.value), text.line)
        if report.licence:
            licence = URIRef(report.licence.iri)
            add(document, DCTERMS.license, licence, report.licence.line)
            add(licence, RDF.type, DCTERMS.LicenseDocument)
            add(licence, RDFS.label, Literal(report.licence.label) if report.licence.label else None)
        if report.collection:
            collection = self.iri(f"collection/{slugify(report.collection.name)}")
            add(document, DCTERMS.isPartOf, collection, report.collection.line)
            add(collection, RDF.type, RESOLIS.Collection)
            add(collection, DCTERMS.title, self.text(report.collection.name))
            add(document, RESOLIS.collectionEdition, Literal(report.collection.edition) if report.collection.edition else None)
        if citation := report.citation:
            add(document, DCTERMS.bibliographicCitation, self.text(citation.text), citation.line)
            add(document, DCTERMS.issued, Literal(citation.year, datatype=XSD.gYear) if citation.year else None, citation.line)
            if citation.family_name:
                full_name = " ".join(filter(None, (citation.given_name, citation.family_name)))
                person = self.iri(f"person/{slugify(full_name)}")
                add(document, DCTERMS.creator, person, citation.line)
                add(person, RDF.type, FOAF.Person)
                add(person, FOAF.name, Literal(full_name))
                add(person, FOAF.familyName, Literal(citation.family_name))
                add(person, FOAF.givenName, Literal(citation.given_name) if citation.given_name else None)
        if report.source:
            source = self.iri(f"source/{report.source.sha256}")
            add(document, PROV.wasDerivedFrom, source)
            add(source, RDF.type, PROV.Entity)
            add(source, RDFS.label, Literal(report.source.name))
            add(source, RESOLIS.sha256, Literal(report.source.sha256))
            # A page read over HTTP: the page itself, and when its bytes were first downloaded
            # (kept in the cache with them, so that a re-run from the cache gives the same graph).
            add(source, DCTERMS.source, URIRef(report.source.url) if report.source.url else None)
            if report.source.retrieved:
                add(source, PROV.generatedAtTime, Literal(report.source.retrieved, datatype=XSD.dateTime))

    def map_programme(self, report: Report, programme: URIRef) -> None:
        add = self.add
        add(programme, RDF.type, RESOLIS.Programme, report.title.line)
        add(programme, DCTERMS.title, self.text(report.title.value), report.title.line)
        add(programme, RDFS.label, self.text(report.title.value), report.title.line)
        if report.summary:
            add(programme, DCTERMS.abstract, self.text(report.summary.value), report.summary.line)
        self.add_date(programme, (SCHEMA.startDate, RESOLIS.startDateText, SCHEMA.endDate), report.start_date)
        lead = self.map_lead_organisation(report.organisation) if report.organisation else None
        add(programme, RESOLIS.leadOrganisation, lead, report.organisation.name.line if report.organisation else 0)
        for prop, text in (
            (RESOLIS.implementationSite, report.implementation_site),
            (RESOLIS.country, report.country),
            (RESOLIS.region, report.region),
        ):
            if text:
                place = self.iri(f"place/{slugify(text.value)}")
                add(programme, prop, place, text.line)
                add(place, RDF.type, RESOLIS.Place)
                add(place, RDFS.label, self.text(text.value))
        self.map_budget(report, programme)
        self.map_funding(report, programme)
        for field, prop in TAG_PROPERTIES.items():
            for tag in getattr(report, field):
                add(programme, prop, self.concept(tag), tag.line)
        for order, section in enumerate(report.sections, start=1):
            self.map_section(section, order, programme, lead)

    def map_budget(self, report: Report, programme: URIRef) -> None:
        budget = report.budget
        if budget is None:
            return
        if budget.amount is None and is_not_communicated(budget.written):
            self.add(programme, RESOLIS.budgetNote, self.text(budget.written), budget.line)
            return
        amount = self.iri(f"{self.programme_path}/budget")
        self.add(programme, RESOLIS.budget, amount, budget.line)
        self.add(amount, RDF.type, SCHEMA.MonetaryAmount, budget.line)
        self.add(amount, RDFS.label, Literal(budget.written), budget.line)
        if budget.amount is None:  # unreadable: only the label, which validation flags
            return
        self.add(amount, SCHEMA.value, Literal(_plain_decimal(budget.amount), datatype=XSD.decimal), budget.line)
        self.add(amount, SCHEMA.currency, Literal(budget.currency))
        self.add(amount, RDFS.comment, self.text(budget.comment))

    def map_funding(self, report: Report, programme: URIRef) -> None:
        funding = report.funding
        if funding is None:
            return
        source = self.iri(f"{self.programme_path}/funding")
        self.add(programme, RESOLIS.fundingSource, source, funding.line)
        self.add(source, RDF.type, RESOLIS.FundingSource, funding.line)
        self.add(source, RDFS.label, self.text(funding.written), funding.line)
        if funding.funding_type:
            self.add(source, RESOLIS.fundingType, self.concept(funding.funding_type), funding.line)
        for funder in funding.funders:
            self.add(source, RESOLIS.funder, self.other_organisation(funder.value, "funder", funder.line), funder.line)

    def map_section(self, section: Section, order: int, programme: URIRef, lead: URIRef | None) -> None:
        add = self.add
        node = self.iri(f"{self.programme_path}/section/{order}")
        prop = section_property(section.key)
        add(programme, RESOLIS.section, node, section.line)
        add(node, RDF.type, RESOLIS.Section, section.line)
        add(node, RESOLIS.order, Literal(order))
        add(node, RESOLIS.heading, self.text(section.heading))
        add(node, RESOLIS.narrativeProperty, prop)
        partnership = None
        if prop == RESOLIS.partnership:
            partnership = self.iri(f"{self.programme_path}/partnership")
            add(programme, RESOLIS.partnership, partnership, section.line)
            add(partnership, RDF.type, RESOLIS.Partnership, section.line)
            add(partnership, ORG.hasMember, lead)
        for position, block in enumerate(section.blocks, start=1):
            self.map_block(block, node, f"{order}/{position}")
            if block.kind == "subheading":
                continue
            if partnership is None:
                add(programme, prop, self.text(block.text), block.line)
            elif block.kind == "paragraph":
                add(partnership, DCTERMS.description, self.text(block.text), block.line)
            else:
                add(partnership, ORG.hasMember, self.other_organisation(block.text, "partner", block.line), block.line)

    def map_block(self, block: Block, section: URIRef, path: str) -> None:
        node = self.iri(f"{self.programme_path}/section/{path}")
        self.add(section, RESOLIS.block, node)
        self.add(node, RDF.type, BLOCK_CLASSES[block.kind], block.line)
        self.add(node, RESOLIS.order, Literal(int(path.rsplit("/", 1)[1])))
        self.add(node, RDF.value, self.text(block.text))

    # -- organisations and concepts -------------------------------------------------------

    def map_lead_organisation(self, organisation: Organisation) -> URIRef:
        add = self.add
        alias = self.aliases.find(organisation.name.value)
        node = self.organisation(
            organisation.name.value, alias.organisation if alias else slugify(organisation.name.value),
            line=organisation.name.line,
        )
        if alias and alias.same_as:
            add(node, OWL.sameAs, URIRef(alias.same_as))
        if organisation.block_name:
            add(node, SKOS.altLabel, self.text(organisation.block_name.value), organisation.block_name.line)
        if acronym := _acronym(organisation.name.value):
            add(node, RESOLIS.acronym, Literal(acronym))
        if address := organisation.address:
            postal = URIRef(f"{node}/address")
            first = next(part for part in (address.street, address.postal_code, address.locality) if part)
            add(node, SCHEMA.address, postal, first.line)
            add(postal, RDF.type, SCHEMA.PostalAddress, first.line)
            for prop, part in (
                (SCHEMA.streetAddress, address.street),
                (SCHEMA.postalCode, address.postal_code),
                (SCHEMA.addressLocality, address.locality),
            ):
                if part:
                    add(postal, prop, Literal(part.value), part.line)
        for field, props in COUNT_PROPERTIES.items():
            self.add_count(node, props, getattr(organisation, field))
        return node

    def organisation(self, name: str, slug: str, scope: str = "", line: int = 0) -> URIRef:
        node = self.iri(f"{scope}organisation/{slug}")
        self.add(node, RDF.type, RESOLIS.Organisation, line)
        self.add(node, RDFS.label, self.text(name), line)
        return node

    def other_organisation(self, name: str, role: str, line: int) -> URIRef:
        """A partner or funder: the alias table's organisation, or one scoped to the programme."""
        alias = self.aliases.find(name)
        if alias:
            node = self.organisation(name, alias.organisation, line=line)
            if alias.same_as:
                self.add(node, OWL.sameAs, URIRef(alias.same_as))
            return node
        self.unreconciled.append(Unreconciled(name, role, str(self.iri(self.programme_path)), self.source, line))
        return self.organisation(name, slugify(name), scope=f"{self.programme_path}/", line=line)

    def concept(self, tag: Tag) -> URIRef:
        node = concept_iri(self.base, tag.scheme, tag.key)
        self.schemes.add(tag.scheme)
        known = self.concepts.get(tag.scheme, tag.key) if tag.known else None
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.inScheme, concept_iri(self.base, tag.scheme))
        if known:
            for language, label in known.labels:
                self.add(node, SKOS.prefLabel, Literal(label, lang=language or None))
        else:
            self.add(node, SKOS.prefLabel, self.text(tag.label))
        return node


def concept_iri(base: str, scheme: str, key: str | None = None) -> URIRef:
    return URIRef(f"{base}concept/{scheme}" + (f"/{key}" if key else ""))


def _acronym(name: str) -> str | None:
    """"Association … (ASEA)" -> "ASEA": a last parenthesis holding one upper-case word."""
    if name.endswith(")") and "(" in name:
        candidate = name[name.rfind("(") + 1 : -1].strip()
        letters = [c for c in candidate if c.isalpha()]
        if candidate and " " not in candidate and len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) / 2:
            return candidate
    return None


def _plain_decimal(amount: Decimal) -> str:
    """The canonical xsd:decimal form, ``8250.0`` (never ``8.25E+3``), which Turtle writes as is."""
    text = format(amount.normalize(), "f")
    return text if "." in text else text + ".0"


def add_dataset_description(emit: Emit, base: str, documents: list[URIRef]) -> None:
    """The dataset as a whole: its licence and the attribution CC-BY 3.0 asks for."""
    dataset = URIRef(f"{base}dataset")
    emit(dataset, RDF.type, DCAT.Dataset)
    emit(dataset, DCTERMS.title, Literal("RESOLIS practice reports", lang="en"))
    emit(dataset, DCTERMS.title, Literal("Fiches d'expérience RESOLIS", lang="fr"))
    emit(dataset, DCTERMS.license, CC_BY_3)
    emit(CC_BY_3, RDF.type, DCTERMS.LicenseDocument)
    emit(dataset, DCTERMS.rights, Literal(ATTRIBUTION))
    emit(dataset, CC.attributionName, Literal("RESOLIS, Journal RESOLIS"))
    emit(dataset, CC.attributionURL, URIRef("https://www.resolis.org/"))
    for document in documents:
        emit(dataset, DCTERMS.hasPart, document)


def add_concept_schemes(emit: Emit, base: str, concepts: ConceptIndex, used: set[str]) -> None:
    """Label the concept schemes the data uses (their labels come from ontology/concepts.ttl)."""
    for scheme in SCHEMES:
        if scheme in used:
            node = concept_iri(base, scheme)
            emit(node, RDF.type, SKOS.ConceptScheme)
            for language, label in concepts.scheme_labels(scheme):
                emit(node, SKOS.prefLabel, Literal(label, lang=language))


def graph_from_reports(
    reports: list[Report],
    concepts: ConceptIndex,
    aliases: AliasTable | None = None,
    base: str = DEFAULT_BASE,
) -> tuple[Graph, list[Unreconciled]]:
    """One graph for a collection of reports, with the dataset's licence and attribution."""
    graph = bind_prefixes(Graph(), base)
    emit: Emit = lambda s, p, o: graph.add((s, p, o))  # noqa: E731
    mapper = _ReportMapper(emit, base, concepts, aliases or AliasTable())
    slugs = programme_slugs(reports)
    documents = [mapper.map(report, slugs[id(report)]) for report in reports]
    add_dataset_description(emit, base, documents)
    add_concept_schemes(emit, base, concepts, mapper.schemes)
    return graph, sorted(set(mapper.unreconciled), key=lambda u: (u.programme, u.role, u.name, u.line))


# -- the fast path: N-Triples strings ---------------------------------------------------------


@dataclass
class MappedReport:
    """One report's triples as N-Triples strings, and what the collection needs to know of it."""

    document: str  # the report's IRI
    triples: list[Triple]
    unreconciled: list[Unreconciled]
    schemes: set[str] = dataclass_field(default_factory=set)


class _WrittenText(str):
    """A language-tagged literal already in its N-Triples form: rdflib's Literal checks and
    normalises what our text never needs, at a cost the fast path notices."""

    __slots__ = ()


def _written_text(value: str, language: str) -> Node:
    return _WrittenText(f"{quote(value)}@{language}")  # type: ignore[return-value]


class _TripleCollector:
    """Turns terms into N-Triples strings as they come; IRIs, which repeat, are cached."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self._iris: dict[Node, str] = {}

    def __call__(self, subject: Node, predicate: Node, obj: Node) -> None:
        iris = self._iris
        s = iris.get(subject) or iris.setdefault(subject, nt_term(subject))
        p = iris.get(predicate) or iris.setdefault(predicate, nt_term(predicate))
        if isinstance(obj, _WrittenText):
            self.triples.append((s, p, str(obj)))
            return
        o = iris.get(obj) if isinstance(obj, URIRef) else None
        if o is None:
            o = nt_term(obj)
            if isinstance(obj, URIRef):
                iris[obj] = o
        self.triples.append((s, p, o))


def triples_from_report(
    report: Report, slug: str, concepts: ConceptIndex, aliases: AliasTable | None = None, base: str = DEFAULT_BASE,
) -> MappedReport:
    """One report's triples, as ``graph_from_reports`` would add them, without a graph."""
    collector = _TripleCollector()
    mapper = _ReportMapper(collector, base, concepts, aliases or AliasTable(), _written_text)
    document = mapper.map(report, slug)
    return MappedReport(nt_term(document), collector.triples, mapper.unreconciled, mapper.schemes)


def collection_triples(base: str, documents: list[str], concepts: ConceptIndex, schemes: set[str]) -> list[Triple]:
    """The dataset node and the concept schemes, for reports mapped one by one."""
    collector = _TripleCollector()
    add_dataset_description(collector, base, [URIRef(document[1:-1]) for document in documents])
    add_concept_schemes(collector, base, concepts, schemes)
    return collector.triples
