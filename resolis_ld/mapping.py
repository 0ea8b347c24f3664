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
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import labels as L
from .aliases import AliasTable
from .concepts import SCHEMES, ConceptIndex
from .model import Block, Count, DateValue, Organisation, Report, Section, Tag
from .namespaces import CC, DEFAULT_BASE, RESOLIS, SCHEMA, bind_prefixes
from .ntriples import Triple, graph_of, nt_term, quote
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


Emit = Callable[[Node, Node, Node], None]  # where the collection's few triples go


class _Terms:
    """A namespace's terms in their N-Triples form, ``<iri>``, each looked up in rdflib once:
    rdflib's attribute lookup costs more than the rest of the mapping of a triple."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        term = f"<{getattr(self._namespace, name)}>"  # a closed namespace fails on a typo here
        setattr(self, name, term)  # from now on found without coming here
        return term


_RDF, _RDFS, _OWL = _Terms(RDF), _Terms(RDFS), _Terms(OWL)
_DCTERMS, _FOAF, _ORG, _PROV, _SKOS = _Terms(DCTERMS), _Terms(FOAF), _Terms(ORG), _Terms(PROV), _Terms(SKOS)
_RESOLIS, _SCHEMA = _Terms(RESOLIS), _Terms(SCHEMA)

_TAG_PROPERTIES = {field: f"<{prop}>" for field, prop in TAG_PROPERTIES.items()}
_COUNT_PROPERTIES = {field: (f"<{count}>", f"<{text}>") for field, (count, text) in COUNT_PROPERTIES.items()}
_BLOCK_CLASSES = {kind: f"<{cls}>" for kind, cls in BLOCK_CLASSES.items()}
_SECTION_PROPERTIES = {key: f"<{section_property(key)}>" for key in (None, *L.SECTIONS)}

# Literals written as rdflib writes them. A plain string and a language-tagged one keep their
# text as given (rdflib normalises only literals of a datatype it knows); an int is written as
# ``str(n)`` with xsd:integer. Dates and amounts, which rdflib does normalise, go through it.


def _plain(value: str) -> str:
    return quote(value)


def _tagged(value: str, language: str) -> str:
    return f"{quote(value)}@{language}"


_INTEGER = f"<{XSD.integer}>"


@lru_cache(maxsize=1024, typed=True)
def _integer(value: int) -> str:
    """Cached: the same few orders and counts recur, and one string sent for each is enough."""
    return f'"{value}"^^{_INTEGER}'


@lru_cache(maxsize=4096)
def _typed(lexical: str, datatype: URIRef) -> str:
    """A literal of a datatype rdflib may normalise (a date, an amount): written by rdflib.
    Cached, as the same years, dates and languages recur from report to report."""
    return nt_term(Literal(lexical, datatype=datatype))


class _ReportMapper:
    """Maps reports to triples of N-Triples terms (``<iri>``, ``"text"@en``…), in the order
    the graph would receive them."""

    def __init__(self, base: str, concepts: ConceptIndex, aliases: AliasTable):
        self.base = base
        self.concepts = concepts
        self.aliases = aliases
        self.triples: list[Triple] = []
        self.unreconciled: list[Unreconciled] = []
        self.schemes: set[str] = set()  # the concept schemes the report's tags are in

    # -- helpers --------------------------------------------------------------------------

    def iri(self, path: str) -> str:
        return f"<{self.base}{path}>"

    def add(self, subject: str, predicate: str, obj: str | None, line: int = 0) -> None:
        """Add a triple (none when ``obj`` is None) and remember the line the value came from."""
        if obj is None:
            return
        self.triples.append((subject, predicate, obj))
        if line:
            self.lines.record(subject, predicate, line)

    def text(self, value: str | None) -> str | None:
        return _tagged(value, self.language) if value else None

    # A value the parser could not read is kept as written under a "…Text" property: the typed
    # property then only ever holds well-typed values, and validation flags the text as a warning.

    def add_date(self, subject: str, props: tuple[str, str, str | None], value: DateValue | None) -> None:
        """``props``: the start (or only) date property, its text property, the end property."""
        if value is None:
            return
        start, text, end = props
        if value.start is None:
            self.add(subject, text, self.text(value.text), value.line)
            return
        self.add(subject, start, _typed(value.start, DATE_TYPES[len(value.start)]), value.line)
        if value.end and end is not None:
            self.add(subject, end, _typed(value.end, DATE_TYPES[len(value.end)]), value.line)

    def add_count(self, subject: str, props: tuple[str, str], value: Count | None) -> None:
        if value is None:
            return
        if value.value is not None:
            self.add(subject, props[0], _integer(value.value), value.line)
        else:
            self.add(subject, props[1], self.text(value.text), value.line)

    # -- the report -----------------------------------------------------------------------

    def map(self, report: Report, slug: str) -> str:
        self.language = report.language
        self.source = report.source.name if report.source else "<input>"
        programme = self.iri(f"programme/{slug}")
        self.programme_path = f"programme/{slug}"
        document = self.iri(f"report/{slug}")
        self.lines = SourceLines(self.base)
        self.map_report(report, document, programme)
        self.map_programme(report, programme)
        self.lines.anchor_blocks(report, document)
        self.add(document, _RESOLIS.sourceMap, self.lines.json_literal())
        return document

    def map_report(self, report: Report, document: str, programme: str) -> None:
        add = self.add
        add(document, _RDF.type, _RESOLIS.Report, 1)
        add(document, _DCTERMS.title, self.text(report.title.value), report.title.line)
        add(document, _FOAF.primaryTopic, programme)
        add(document, _DCTERMS.language, _typed(report.language, XSD.language))
        self.add_date(document, (_RESOLIS.proofreadingDate, _RESOLIS.proofreadingDateText, None), report.proofreading_date)
        if report.committee_opinion:
            add(document, _RESOLIS.committeeOpinion, self.text(report.committee_opinion.value), report.committee_opinion.line)
        for text in report.unplaced:
            add(document, _RESOLIS.unplacedText, _plain(text.value), text.line)
        if report.licence:
            licence = f"<{report.licence.iri}>"
            add(document, _DCTERMS.license, licence, report.licence.line)
            add(licence, _RDF.type, _DCTERMS.LicenseDocument)
            add(licence, _RDFS.label, _plain(report.licence.label) if report.licence.label else None)
        if report.collection:
            collection = self.iri(f"collection/{slugify(report.collection.name)}")
            add(document, _DCTERMS.isPartOf, collection, report.collection.line)
            add(collection, _RDF.type, _RESOLIS.Collection)
            add(collection, _DCTERMS.title, self.text(report.collection.name))
            edition = report.collection.edition
            add(document, _RESOLIS.collectionEdition, _plain(edition) if edition else None)
        if citation := report.citation:
            add(document, _DCTERMS.bibliographicCitation, self.text(citation.text), citation.line)
            add(document, _DCTERMS.issued, _typed(citation.year, XSD.gYear) if citation.year else None, citation.line)
            if citation.family_name:
                full_name = " ".join(filter(None, (citation.given_name, citation.family_name)))
                person = self.iri(f"person/{slugify(full_name)}")
                add(document, _DCTERMS.creator, person, citation.line)
                add(person, _RDF.type, _FOAF.Person)
                add(person, _FOAF.name, _plain(full_name))
                add(person, _FOAF.familyName, _plain(citation.family_name))
                add(person, _FOAF.givenName, _plain(citation.given_name) if citation.given_name else None)
        if report.source:
            source = self.iri(f"source/{report.source.sha256}")
            add(document, _PROV.wasDerivedFrom, source)
            add(source, _RDF.type, _PROV.Entity)
            add(source, _RDFS.label, _plain(report.source.name))
            add(source, _RESOLIS.sha256, _plain(report.source.sha256))
            # A page read over HTTP: the page itself, and when its bytes were first downloaded
            # (kept in the cache with them, so that a re-run from the cache gives the same graph).
            add(source, _DCTERMS.source, f"<{report.source.url}>" if report.source.url else None)
            if report.source.retrieved:
                add(source, _PROV.generatedAtTime, _typed(report.source.retrieved, XSD.dateTime))

    def map_programme(self, report: Report, programme: str) -> None:
        add = self.add
        add(programme, _RDF.type, _RESOLIS.Programme, report.title.line)
        title = self.text(report.title.value)
        add(programme, _DCTERMS.title, title, report.title.line)
        add(programme, _RDFS.label, title, report.title.line)
        if report.summary:
            add(programme, _DCTERMS.abstract, self.text(report.summary.value), report.summary.line)
        self.add_date(programme, (_SCHEMA.startDate, _RESOLIS.startDateText, _SCHEMA.endDate), report.start_date)
        lead = self.map_lead_organisation(report.organisation) if report.organisation else None
        add(programme, _RESOLIS.leadOrganisation, lead, report.organisation.name.line if report.organisation else 0)
        for prop, text in (
            (_RESOLIS.implementationSite, report.implementation_site),
            (_RESOLIS.country, report.country),
            (_RESOLIS.region, report.region),
        ):
            if text:
                place = self.iri(f"place/{slugify(text.value)}")
                add(programme, prop, place, text.line)
                add(place, _RDF.type, _RESOLIS.Place)
                add(place, _RDFS.label, self.text(text.value))
        self.map_budget(report, programme)
        self.map_funding(report, programme)
        for field, prop in _TAG_PROPERTIES.items():
            for tag in getattr(report, field):
                add(programme, prop, self.concept(tag), tag.line)
        for order, section in enumerate(report.sections, start=1):
            self.map_section(section, order, programme, lead)

    def map_budget(self, report: Report, programme: str) -> None:
        budget = report.budget
        if budget is None:
            return
        if budget.amount is None and is_not_communicated(budget.written):
            self.add(programme, _RESOLIS.budgetNote, self.text(budget.written), budget.line)
            return
        amount = self.iri(f"{self.programme_path}/budget")
        self.add(programme, _RESOLIS.budget, amount, budget.line)
        self.add(amount, _RDF.type, _SCHEMA.MonetaryAmount, budget.line)
        self.add(amount, _RDFS.label, _plain(budget.written), budget.line)
        if budget.amount is None:  # unreadable: only the label, which validation flags
            return
        self.add(amount, _SCHEMA.value, _typed(_plain_decimal(budget.amount), XSD.decimal), budget.line)
        # (the parser gives every amount a currency; a hand-made Budget without one gets none)
        self.add(amount, _SCHEMA.currency, _plain(budget.currency) if budget.currency is not None else None)
        self.add(amount, _RDFS.comment, self.text(budget.comment))

    def map_funding(self, report: Report, programme: str) -> None:
        funding = report.funding
        if funding is None:
            return
        source = self.iri(f"{self.programme_path}/funding")
        self.add(programme, _RESOLIS.fundingSource, source, funding.line)
        self.add(source, _RDF.type, _RESOLIS.FundingSource, funding.line)
        self.add(source, _RDFS.label, self.text(funding.written), funding.line)
        if funding.funding_type:
            self.add(source, _RESOLIS.fundingType, self.concept(funding.funding_type), funding.line)
        for funder in funding.funders:
            self.add(source, _RESOLIS.funder, self.other_organisation(funder.value, "funder", funder.line), funder.line)

    def map_section(self, section: Section, order: int, programme: str, lead: str | None) -> None:
        add = self.add
        node = self.iri(f"{self.programme_path}/section/{order}")
        prop = _SECTION_PROPERTIES[section.key]
        add(programme, _RESOLIS.section, node, section.line)
        add(node, _RDF.type, _RESOLIS.Section, section.line)
        add(node, _RESOLIS.order, _integer(order))
        add(node, _RESOLIS.heading, self.text(section.heading))
        add(node, _RESOLIS.narrativeProperty, prop)
        partnership = None
        if prop == _RESOLIS.partnership:
            partnership = self.iri(f"{self.programme_path}/partnership")
            add(programme, _RESOLIS.partnership, partnership, section.line)
            add(partnership, _RDF.type, _RESOLIS.Partnership, section.line)
            add(partnership, _ORG.hasMember, lead)
        for position, block in enumerate(section.blocks, start=1):
            text = self.text(block.text)  # one string for both triples: sent and cached once
            self.map_block(block, text, node, f"{order}/{position}", position)
            if block.kind == "subheading":
                continue
            if partnership is None:
                add(programme, prop, text, block.line)
            elif block.kind == "paragraph":
                add(partnership, _DCTERMS.description, text, block.line)
            else:
                add(partnership, _ORG.hasMember, self.other_organisation(block.text, "partner", block.line), block.line)

    def map_block(self, block: Block, text: str | None, section: str, path: str, position: int) -> None:
        node = self.iri(f"{self.programme_path}/section/{path}")
        self.add(section, _RESOLIS.block, node)
        self.add(node, _RDF.type, _BLOCK_CLASSES[block.kind], block.line)
        self.add(node, _RESOLIS.order, _integer(position))
        self.add(node, _RDF.value, text)

    # -- organisations and concepts -------------------------------------------------------

    def map_lead_organisation(self, organisation: Organisation) -> str:
        add = self.add
        alias = self.aliases.find(organisation.name.value)
        slug = alias.organisation if alias else slugify(organisation.name.value)
        node = self.organisation(organisation.name.value, slug, line=organisation.name.line)
        if alias and alias.same_as:
            add(node, _OWL.sameAs, f"<{alias.same_as}>")
        if organisation.block_name:
            add(node, _SKOS.altLabel, self.text(organisation.block_name.value), organisation.block_name.line)
        if acronym := _acronym(organisation.name.value):
            add(node, _RESOLIS.acronym, _plain(acronym))
        if address := organisation.address:
            postal = self.iri(f"organisation/{slug}/address")  # under the organisation's IRI
            first = next(part for part in (address.street, address.postal_code, address.locality) if part)
            add(node, _SCHEMA.address, postal, first.line)
            add(postal, _RDF.type, _SCHEMA.PostalAddress, first.line)
            for prop, part in (
                (_SCHEMA.streetAddress, address.street),
                (_SCHEMA.postalCode, address.postal_code),
                (_SCHEMA.addressLocality, address.locality),
            ):
                if part:
                    add(postal, prop, _plain(part.value), part.line)
        for field, props in _COUNT_PROPERTIES.items():
            self.add_count(node, props, getattr(organisation, field))
        return node

    def organisation(self, name: str, slug: str, scope: str = "", line: int = 0) -> str:
        node = self.iri(f"{scope}organisation/{slug}")
        self.add(node, _RDF.type, _RESOLIS.Organisation, line)
        self.add(node, _RDFS.label, self.text(name), line)
        return node

    def other_organisation(self, name: str, role: str, line: int) -> str:
        """A partner or funder: the alias table's organisation, or one scoped to the programme."""
        alias = self.aliases.find(name)
        if alias:
            node = self.organisation(name, alias.organisation, line=line)
            if alias.same_as:
                self.add(node, _OWL.sameAs, f"<{alias.same_as}>")
            return node
        self.unreconciled.append(Unreconciled(name, role, self.base + self.programme_path, self.source, line))
        return self.organisation(name, slugify(name), scope=f"{self.programme_path}/", line=line)

    def concept(self, tag: Tag) -> str:
        node = self.iri(concept_path(tag.scheme, tag.key))
        self.schemes.add(tag.scheme)
        known = self.concepts.get(tag.scheme, tag.key) if tag.known else None
        self.add(node, _RDF.type, _SKOS.Concept)
        self.add(node, _SKOS.inScheme, self.iri(concept_path(tag.scheme)))
        if known:
            for language, label in known.labels:  # no language: a plain literal, as rdflib makes it
                self.add(node, _SKOS.prefLabel, _tagged(label, language) if language else _plain(label))
        else:
            self.add(node, _SKOS.prefLabel, self.text(tag.label))
        return node


def concept_iri(base: str, scheme: str, key: str | None = None) -> URIRef:
    return URIRef(base + concept_path(scheme, key))


def concept_path(scheme: str, key: str | None = None) -> str:
    """A concept's (or, without ``key``, its scheme's) IRI relative to the data base."""
    return f"concept/{scheme}" + (f"/{key}" if key else "")


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
    mapper = _ReportMapper(base, concepts, aliases or AliasTable())
    slugs = programme_slugs(reports)
    documents = [URIRef(mapper.map(report, slugs[id(report)])[1:-1]) for report in reports]
    graph_of(mapper.triples, graph)  # each N-Triples term back to the rdflib term it writes
    emit: Emit = lambda s, p, o: graph.add((s, p, o))  # noqa: E731
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


def triples_from_report(
    report: Report, slug: str, concepts: ConceptIndex, aliases: AliasTable | None = None, base: str = DEFAULT_BASE,
) -> MappedReport:
    """One report's triples, as ``graph_from_reports`` would add them, without a graph."""
    mapper = _ReportMapper(base, concepts, aliases or AliasTable())
    document = mapper.map(report, slug)
    return MappedReport(document, mapper.triples, mapper.unreconciled, mapper.schemes)


def renamed(mapped: MappedReport, slug: str, new_slug: str, base: str = DEFAULT_BASE) -> MappedReport:
    """The report as mapping it with ``new_slug`` instead of ``slug`` gives it, without mapping it
    again: the slug is in its IRIs only (``programme/<slug>``, ``report/<slug>`` and what lies
    under them), in the keys of its source map and in its unreconciled names' programme.

    Renaming keeps the order of the triples and of the source map's keys (everything renamed
    shares one prefix, which changes alike everywhere), so the result is what mapping gives."""
    old_paths = [f"programme/{slug}", f"report/{slug}"]
    new_paths = [f"programme/{new_slug}", f"report/{new_slug}"]
    iris = [(f"<{base}{old}", f"<{base}{new}") for old, new in zip(old_paths, new_paths)]
    keys = [(f'\\"{old}{end}', f'\\"{new}{end}') for old, new in zip(old_paths, new_paths) for end in ('\\"', "/")]
    source_map = _RESOLIS.sourceMap
    names: dict[str, str] = {}

    def rename(term: str) -> str:
        found = term
        for old, new in iris:
            if term.startswith(old) and term[len(old)] in ">/":
                found = new + term[len(old) :]
                break
        names[term] = found
        return found

    triples = []
    append, known = triples.append, names.get
    for s, p, o in mapped.triples:
        if p == source_map:
            for old, new in keys:
                o = o.replace(old, new)
        elif o[0] == "<":
            o = known(o) or rename(o)
        append((known(s) or rename(s), p, o))
    programme = (f"{base}{old_paths[0]}", f"{base}{new_paths[0]}")
    unreconciled = [
        replace(item, programme=programme[1]) if item.programme == programme[0] else item for item in mapped.unreconciled
    ]
    return MappedReport(known(mapped.document) or rename(mapped.document), triples, unreconciled, set(mapped.schemes))


def collection_triples(base: str, documents: list[str], concepts: ConceptIndex, schemes: set[str]) -> list[Triple]:
    """The dataset node and the concept schemes, for reports mapped one by one."""
    triples: list[Triple] = []
    emit: Emit = lambda s, p, o: triples.append((nt_term(s), nt_term(p), nt_term(o)))  # noqa: E731
    add_dataset_description(emit, base, [URIRef(document[1:-1]) for document in documents])
    add_concept_schemes(emit, base, concepts, schemes)
    return triples
