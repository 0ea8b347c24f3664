"""The controlled lists, read from ``ontology/concepts.ttl`` (their one source of truth)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .resources import resource
from .text import fold

SCHEMES = ("solution", "domain", "beneficiary", "participant-type", "stature", "funding-type")
DEFAULT_CONCEPT_BASE = "https://w3id.org/resolis/id/concept/"


@dataclass(frozen=True)
class Concept:
    scheme: str
    key: str
    labels: tuple[tuple[str, str], ...]  # (language, label) pairs, sorted

    def label(self, language: str) -> str:
        by_language = dict(self.labels)
        return by_language.get(language) or by_language.get("en") or self.key


class ConceptIndex:
    """Finds a concept by any of its labels, in either language."""

    def __init__(self, concepts: list[Concept], scheme_labels: dict[str, tuple[tuple[str, str], ...]] | None = None):
        self._scheme_labels = scheme_labels or {}
        self._by_key = {(c.scheme, c.key): c for c in concepts}
        self._by_label: dict[str, dict[str, Concept]] = {scheme: {} for scheme in SCHEMES}
        for concept in concepts:
            for _, text in concept.labels:
                self._by_label[concept.scheme][fold(text)] = concept
        # Longest label first, so that "Social exclusion and isolation" wins over shorter ones.
        self._longest_first = {
            scheme: sorted(labels.items(), key=lambda item: (-len(item[0]), item[0]))
            for scheme, labels in self._by_label.items()
        }
        self._by_first_character = {scheme: _by_first_character(labels) for scheme, labels in self._longest_first.items()}

    def find(self, scheme: str, text: str) -> Concept | None:
        return self._by_label[scheme].get(fold(text))

    def get(self, scheme: str, key: str) -> Concept | None:
        return self._by_key.get((scheme, key))

    def labels_longest_first(self, scheme: str) -> list[tuple[str, Concept]]:
        """(folded label, concept) pairs of a scheme, longest label first."""
        return self._longest_first[scheme]

    def labels_starting_with(self, scheme: str, character: str) -> list[tuple[str, Concept]]:
        """The pairs of ``labels_longest_first`` whose label starts with ``character``, in the
        same order: the only ones that can match where that character stands."""
        return self._by_first_character[scheme].get(character, [])

    def scheme_labels(self, scheme: str) -> tuple[tuple[str, str], ...]:
        """(language, label) pairs naming a scheme, e.g. ("en", "Solutions")."""
        return self._scheme_labels.get(scheme, ())

    def __iter__(self):
        return iter(sorted(self._by_key.values(), key=lambda c: (c.scheme, c.key)))


def _by_first_character(labels: list[tuple[str, Concept]]) -> dict[str, list[tuple[str, Concept]]]:
    grouped: dict[str, list[tuple[str, Concept]]] = {}
    for label, concept in labels:
        grouped.setdefault(label[:1], []).append((label, concept))
    return grouped


def concepts_from_graph(graph: Graph) -> ConceptIndex:
    concepts = []
    for iri in graph.subjects(RDF.type, SKOS.Concept):
        scheme, _, key = str(iri).removeprefix(DEFAULT_CONCEPT_BASE).partition("/")
        if scheme not in SCHEMES or not key:
            continue
        labels = tuple(
            sorted((label.language or "", str(label)) for label in graph.objects(iri, SKOS.prefLabel))
        )
        concepts.append(Concept(scheme, key, labels))
    scheme_labels = {}
    for iri in graph.subjects(RDF.type, SKOS.ConceptScheme):
        scheme = str(iri).removeprefix(DEFAULT_CONCEPT_BASE)
        scheme_labels[scheme] = tuple(
            sorted((label.language or "", str(label)) for label in graph.objects(iri, SKOS.prefLabel))
        )
    return ConceptIndex(concepts, scheme_labels)


@cache
def load_concepts(path: Path | None = None) -> ConceptIndex:
    """The bundled concept schemes (cached: every report of a run shares them)."""
    graph = Graph()
    graph.parse(path or resource("ontology", "concepts.ttl"), format="turtle")
    return concepts_from_graph(graph)
