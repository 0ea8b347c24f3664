"""What the server's pages say about a resource: its triples, readable labels, the programme list.

Everything here reads the store through bounded lookups (one subject's quads, labels of a few
IRIs) or the one programme-list query, cached since the store never changes while serving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDFS

from .namespaces import DEFAULT_BASE
from .query import NamedQuery, bind_parameters
from .resources import resource
from .results import short_iri

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
R = "https://w3id.org/resolis/ns#"
LABEL_PROPERTIES = [
    "http://purl.org/dc/terms/title", "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://xmlns.com/foaf/0.1/name",
]
# machinery of the text rebuild and the source map: in the RDF, not worth a reader's time
HIDDEN = {R + "section", R + "block", R + "sourceMap", R + "narrativeProperty"}
NESTED_TYPES = {R + "Section", R + "Block"}
# labels of the standard terms the data uses (the ontology labels our own)
STANDARD_LABELS = {
    RDF_TYPE: "type",
    "http://purl.org/dc/terms/title": "title", "http://purl.org/dc/terms/abstract": "summary",
    "http://purl.org/dc/terms/creator": "author", "http://purl.org/dc/terms/issued": "published",
    "http://purl.org/dc/terms/isPartOf": "part of", "http://purl.org/dc/terms/license": "licence",
    "http://purl.org/dc/terms/bibliographicCitation": "citation", "http://purl.org/dc/terms/language": "language",
    "http://purl.org/dc/terms/description": "description", "http://purl.org/dc/terms/hasPart": "has part",
    "http://purl.org/dc/terms/rights": "rights", "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment", "https://schema.org/startDate": "start date",
    "https://schema.org/endDate": "end date", "https://schema.org/value": "amount", "https://schema.org/currency": "currency",
    "https://schema.org/address": "address", "https://schema.org/streetAddress": "street",
    "https://schema.org/postalCode": "postcode", "https://schema.org/addressLocality": "town",
    "http://www.w3.org/ns/org#hasMember": "member", "http://xmlns.com/foaf/0.1/primaryTopic": "describes",
    "http://xmlns.com/foaf/0.1/name": "name", "http://xmlns.com/foaf/0.1/givenName": "given name",
    "http://xmlns.com/foaf/0.1/familyName": "family name", "http://www.w3.org/ns/prov#wasDerivedFrom": "derived from",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label", "http://www.w3.org/2004/02/skos/core#inScheme": "in scheme",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
}
# the facts a reader looks for first, in this order; the other properties follow by label
FIRST = {iri: rank for rank, iri in enumerate([
    "http://purl.org/dc/terms/title", "http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/abstract",
    R + "leadOrganisation", "https://schema.org/startDate", "https://schema.org/endDate", R + "budget",
    R + "fundingSource", "https://schema.org/value", "https://schema.org/currency", R + "funder", R + "fundingType",
    R + "partnership", R + "country", R + "region", R + "implementationSite", R + "solution", R + "domain",
    R + "beneficiary", R + "participantType", R + "stature",
])}
LICENCE = "http://creativecommons.org/licenses/by/3.0/"
ATTRIBUTION = "RESOLIS, Journal RESOLIS, CC-BY 3.0"


@dataclass(frozen=True)
class Value:
    """One value as a page shows it: text, a link (local path or IRI) or None, a note."""

    text: str
    link: str | None = None
    note: str = ""


@dataclass
class Property:
    label: str
    iri: str
    values: list[Value] = field(default_factory=list)
    parts: list["View"] = field(default_factory=list)


@dataclass
class View:
    iri: str
    label: str
    local: str | None
    types: list[Value] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    inbound: list[tuple[str, Value]] = field(default_factory=list)
    citation: str | None = None


@lru_cache(maxsize=1)
def vocabulary_labels() -> dict[str, str]:
    """English labels of the ontology's terms."""
    graph = Graph().parse(resource("ontology", "resolis.ttl"))
    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label) if getattr(o, "language", None) == "en"}


class LinkedData:
    """Views of the store's resources, with links into the server (``/id/…``)."""

    def __init__(self, store: ox.Store, base: str = DEFAULT_BASE):
        self.store, self.base = store, base
        self.labels = vocabulary_labels() | STANDARD_LABELS
        self.programme_list = lru_cache(maxsize=64)(self._programme_list)

    def local_path(self, iri: str) -> str | None:
        return "/id/" + iri[len(self.base):] if iri.startswith(self.base) and len(iri) > len(self.base) else None

    def iri_of(self, path: str) -> str:
        return self.base + path[len("/id/"):]

    def triples(self, iri: str) -> list[ox.Triple]:
        """The resource's own triples (what the Turtle and JSON-LD views serve)."""
        quads = self.store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph())
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]

    def exists(self, iri: str) -> bool:
        return bool(self.triples(iri))

    def label(self, iri: str) -> str:
        """An English (or any) title, label or name; else the IRI shortened."""
        node = ox.NamedNode(iri)
        for predicate in LABEL_PROPERTIES:
            values = [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(predicate), None, ox.DefaultGraph())]
            literals = sorted((v for v in values if isinstance(v, ox.Literal)), key=lambda v: (v.language != "en", v.value))
            if literals:
                return literals[0].value
        return self.labels.get(iri) or short_iri(iri, self.base)

    def value(self, term) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(self.label(term.value), self.local_path(term.value) or term.value)
        if isinstance(term, ox.Literal):
            note = term.language or ("" if term.datatype.value.endswith("#string") else short_iri(term.datatype.value))
            return Value(term.value, None, note)
        return Value(str(term))

    def view(self, iri: str, nested: bool = True) -> View:
        triples = self.triples(iri)
        view = View(iri, self.label(iri), self.local_path(iri))
        by_predicate: dict[str, Property] = {}
        for triple in triples:
            predicate = triple.predicate.value
            if predicate in HIDDEN:
                continue
            if predicate == RDF_TYPE:
                view.types.append(self.value(triple.object))
                continue
            prop = by_predicate.setdefault(predicate, Property(self.labels.get(predicate) or short_iri(predicate, self.base), predicate))
            target = triple.object
            if nested and isinstance(target, ox.NamedNode) and target.value.startswith(iri + "/") and not self._is_structure(target):
                prop.parts.append(self.view(target.value, nested=False))
            else:
                prop.values.append(self.value(target))
        view.properties = sorted(by_predicate.values(), key=lambda p: (FIRST.get(p.iri, len(FIRST)), p.label))
        for prop in view.properties:
            prop.values.sort(key=lambda v: (v.text, v.note))
        view.types.sort(key=lambda v: v.text)
        if nested:
            view.inbound = self._inbound(iri)
            view.citation = self._citation(iri)
        return view

    def _is_structure(self, node: ox.NamedNode) -> bool:
        types = self.store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), None, ox.DefaultGraph())
        return any(q.object.value in NESTED_TYPES for q in types)

    def _inbound(self, iri: str, limit: int = 200) -> list[tuple[str, Value]]:
        links = []
        for quad in self.store.quads_for_pattern(None, None, ox.NamedNode(iri), ox.DefaultGraph()):
            if quad.predicate.value in HIDDEN or not isinstance(quad.subject, ox.NamedNode):
                continue
            links.append((self.labels.get(quad.predicate.value) or short_iri(quad.predicate.value, self.base), self.value(quad.subject)))
            if len(links) >= limit:
                break
        return sorted(links, key=lambda link: (link[0], link[1].text))

    def _citation(self, iri: str) -> str | None:
        """The bibliographic citation of the report about this resource (or of this report)."""
        cite = ox.NamedNode("http://purl.org/dc/terms/bibliographicCitation")
        reports = [ox.NamedNode(iri)] + [q.subject for q in self.store.quads_for_pattern(
            None, ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic"), ox.NamedNode(iri), ox.DefaultGraph())]
        for report in reports:
            for quad in self.store.quads_for_pattern(report, cite, None, ox.DefaultGraph()):
                return quad.object.value
        return None

    def attribution(self) -> tuple[str, str]:
        """(rights statement, licence IRI) of the dataset node, or the RESOLIS defaults."""
        dataset = ox.NamedNode(self.base + "dataset")
        rights = [q.object.value for q in self.store.quads_for_pattern(dataset, ox.NamedNode("http://purl.org/dc/terms/rights"), None, ox.DefaultGraph())]
        licences = [q.object.value for q in self.store.quads_for_pattern(dataset, ox.NamedNode("http://purl.org/dc/terms/license"), None, ox.DefaultGraph())]
        return (rights[0] if rights else ATTRIBUTION), (licences[0] if licences else LICENCE)

    def choices(self, kind: str) -> list[str]:
        """The English labels of the themes (solutions and domains) or the regions in use."""
        if kind == "theme":
            text = f"""SELECT DISTINCT ?name WHERE {{ ?p <{R}solution>|<{R}domain> ?c .
                ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?name FILTER (lang(?name) = "en") }} ORDER BY ?name"""
        else:
            text = f"""SELECT DISTINCT ?name WHERE {{ ?p <{R}region> ?r .
                ?r <http://www.w3.org/2000/01/rdf-schema#label> ?name }} ORDER BY ?name"""
        return [row["name"].value for row in self.store.query(text)]

    def _programme_list(self, theme: str | None, region: str | None) -> list[dict[str, Value]]:
        """Programmes (title, lead organisation, themes, region), narrowed by parts of labels."""
        bindings = {name: ox.Literal(value) for name, value in (("theme", theme), ("region", region)) if value}
        text = bind_parameters(NamedQuery("programme list", PROGRAMME_LIST, parameters=()), bindings)
        rows = []
        for row in self.store.query(text):
            rows.append({
                "programme": Value(row["title"].value, self.local_path(row["programme"].value) or row["programme"].value),
                "lead": self.value(row["lead"]) if row["lead"] is not None else Value(""),
                "themes": Value(row["themes"].value if row["themes"] is not None else ""),
                "region": Value(row["regionName"].value if row["regionName"] is not None else ""),
            })
        return rows


PROGRAMME_LIST = f"""
PREFIX resolis: <{R}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?programme ?title ?lead (GROUP_CONCAT(DISTINCT ?themeName; separator=", ") AS ?themes) (SAMPLE(?placeName) AS ?regionName)
WHERE {{
  ?programme a resolis:Programme ; dcterms:title ?title .
  OPTIONAL {{ ?programme resolis:leadOrganisation ?lead }}
  OPTIONAL {{ ?programme resolis:solution|resolis:domain ?concept .
             ?concept skos:prefLabel ?themeName FILTER (lang(?themeName) = "en") }}
  OPTIONAL {{ ?programme resolis:region ?place . ?place rdfs:label ?placeName }}
  FILTER (!BOUND(?theme) || EXISTS {{ ?programme resolis:solution|resolis:domain ?c . ?c skos:prefLabel ?l .
                                    FILTER (CONTAINS(lcase(str(?l)), lcase(str(?theme)))) }})
  FILTER (!BOUND(?region) || EXISTS {{ ?programme resolis:region ?r . ?r rdfs:label ?rl .
                                     FILTER (CONTAINS(lcase(str(?rl)), lcase(str(?region)))) }})
}}
GROUP BY ?programme ?title ?lead
ORDER BY ?title ?programme
"""
