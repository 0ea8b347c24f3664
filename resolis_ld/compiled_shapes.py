"""SHACL shapes compiled to Python checks: the part of SHACL Core our shapes use, run fast.

pySHACL re-reads the shapes and walks rdflib's generic graph API for every focus node: about 15
seconds for 1,000 reports, far too slow for the whole collection. The shapes of
``shapes/resolis.ttl`` use a small part of SHACL Core (class and objects-of targets; predicate,
sequence, alternative and inverse paths; min/max count, datatype, node kind, class, pattern,
minInclusive, uniqueLang, and, or, not, node), which compiles to a few closures over dictionaries.
The checks read the data as N-Triples strings (a ``TripleIndex``), making rdflib terms only for
the few values whose test needs one (well-typedness, numbers) and for the results.
Results follow pySHACL's exactly (focus, path, value, shape, component, severity, messages): the
tests compare both on every fixture and on a broken copy for every shape.

A shapes graph that uses anything else raises ``UnsupportedShapes``; the caller then runs
pySHACL itself, so a change to the shapes can never silently weaken validation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .ntriples import node_from_nt, nt_term
from .triple_index import TripleIndex

# (severity, source shape, focus node, result path or None, value or None, messages, component):
# the fields of a SHACL result that resolis-ld reports, as validate.py reads them from pySHACL.
RawResult = tuple[str, str, str, URIRef | None, Node | None, tuple[tuple[str, str], ...], str]
Term = str  # an N-Triples term: <iri>, _:id, "text"@lang, "lexical"^^<datatype>
Values = Callable[["DataIndex", Term], set[Term]]
Test = Callable[["DataIndex", Term], bool]

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

# Shape predicates that carry no constraint (or that this module reads itself).
_DESCRIPTIVE = {
    RDF.type, RDFS.label, RDFS.comment, RDFS.isDefinedBy, SH.message, SH.severity, SH.name,
    SH.description, SH.order, SH.group, SH.path, SH.property, SH.targetClass, SH.targetObjectsOf,
    SH.flags,
}
_SUPPORTED = {
    SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH["class"], SH.pattern, SH.minInclusive,
    SH.uniqueLang, SH["or"], SH["and"], SH["not"], SH.node,
}
_COMPONENT_NAMES = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype", SH.nodeKind: "NodeKind",
    SH["class"]: "Class", SH.pattern: "Pattern", SH.minInclusive: "MinInclusive",
    SH.uniqueLang: "UniqueLang", SH["or"]: "Or", SH["and"]: "And", SH["not"]: "Not", SH.node: "Node",
}
_COUNT_COMPONENTS = {SH.minCount, SH.maxCount, SH.uniqueLang}  # judge the value set as a whole


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this module does not compile."""


_TYPE, _SUBCLASS_OF = nt_term(RDF.type), nt_term(RDFS.subClassOf)
_STRING_END = f'"^^{nt_term(XSD.string)}'
_NO_OBJECTS: dict[str, list[str]] = {}


def _is_literal(term: Term) -> bool:
    return term[0] == '"'


def _language(term: Term) -> str:
    """A literal's language tag, "" when it has none (a plain literal ends with its quote, a
    typed one with its datatype's ``>``)."""
    if term[0] != '"' or term[-1] in '">':
        return ""
    return term[term.rindex('"') + 2 :]


class DataIndex:
    """The data graph's triples as N-Triples strings, with the questions the checks ask.

    Value nodes are compared as rdflib compares terms, so that a value set holds what a set of
    rdflib terms would: the strings of two literals rdflib holds equal ("1" and "01" as
    xsd:integer, tags "en" and "EN") count once, the first one met standing for both."""

    def __init__(self, data: TripleIndex):
        self.data = data
        self._subclasses: dict[Term, set[Term]] = {}
        self._typed_keys: dict[Term, Term] = {}
        self._as_written: dict[Term, bool] = {}
        self.conformance: dict[tuple[int, Term], bool] = {}  # (id of a shape, node) -> conforms

    def objects(self, subject: Term, predicate: Term) -> list[Term]:
        return self.data.spo.get(subject, _NO_OBJECTS).get(predicate, [])

    def subjects(self, predicate: Term, obj: Term) -> list[Term]:
        return self.data.pos(predicate).get(obj, [])

    def node(self, term: Term) -> Node:
        return node_from_nt(term)

    def text(self, term: Term) -> str:
        """``str`` of the term's rdflib node: an IRI, a blank node's id or a literal's (possibly
        normalised) lexical form."""
        if term[0] == "<":
            return term[1:-1]
        return str(node_from_nt(term))

    def values(self, subject: Term, predicate: Term) -> set[Term]:
        """The subject's distinct objects for the predicate (a one-predicate path)."""
        objects = self.data.spo.get(subject, _NO_OBJECTS).get(predicate, [])
        if len(objects) < 2 or self._written_as_keys(predicate):
            return set(objects)
        return self.distinct(objects)

    def _written_as_keys(self, predicate: Term) -> bool:
        """Whether each literal object of the predicate is its own key (lower-case tag, lexical
        form as rdflib normalises it): then its distinct strings are distinct terms. Checked
        once for all the predicate's objects, rather than for every subject's."""
        if predicate not in self._as_written:
            self._as_written[predicate] = all(
                self._key(obj) == obj for _, obj in self.data.by_predicate.get(predicate, ()) if obj[0] == '"'
            )
        return self._as_written[predicate]

    def distinct(self, terms: list[Term]) -> set[Term]:
        """The terms, one for each group that rdflib holds equal. Distinct strings differ as
        rdflib terms but for literals: only two or more literals need their keys compared."""
        if len(terms) < 2 or sum(1 for term in terms if term[0] == '"') < 2:
            return set(terms)
        found: dict[Term, Term] = {}
        for term in terms:
            found.setdefault(self._key(term), term)
        return set(found.values())

    def _key(self, term: Term) -> Term:
        """Equal for terms rdflib holds equal: a typed literal by its normalised lexical form,
        a tagged one by its lower-cased tag."""
        if term[0] != '"' or term[-1] == '"':
            return term
        if term[-1] == ">":
            if term not in self._typed_keys:
                self._typed_keys[term] = nt_term(node_from_nt(term))
            return self._typed_keys[term]
        language = _language(term)
        return term[: len(term) - len(language)] + language.lower()

    def subclasses(self, cls: Term) -> set[Term]:
        """``cls`` and its subclasses in the data graph (SHACL's notion of an instance)."""
        if cls not in self._subclasses:
            found, todo = {cls}, [cls]
            while todo:
                for sub in self.subjects(_SUBCLASS_OF, todo.pop()):
                    if sub not in found:
                        found.add(sub)
                        todo.append(sub)
            self._subclasses[cls] = found
        return self._subclasses[cls]

    def instances(self, cls: Term) -> set[Term]:
        return {node for sub in self.subclasses(cls) for node in self.subjects(_TYPE, sub)}

    def is_instance(self, node: Term, cls: Term) -> bool:
        return not self.subclasses(cls).isdisjoint(self.objects(node, _TYPE))


@dataclass(frozen=True)
class _Constraint:
    component: URIRef  # e.g. sh:MinCountConstraintComponent
    parameter: URIRef  # e.g. sh:minCount
    test: Callable[[DataIndex, Term, set[Term]], list[Term | None]]  # -> failing values


@dataclass(frozen=True)
class _Shape:
    iri: Node
    path: Values | None  # None for a node shape
    path_node: Node | None
    constraints: tuple[_Constraint, ...]
    properties: tuple["_Shape", ...]
    severity: str
    messages: tuple[tuple[str, str], ...]


class CompiledShapes:
    """A shapes graph, compiled; ``validate`` gives pySHACL's results for a data graph."""

    def __init__(self, shapes: Graph):
        self.graph = shapes
        self._compiled: dict[Node, _Shape] = {}
        self.targets: list[tuple[_Shape, str, Term]] = []
        for kind in (SH.targetClass, SH.targetObjectsOf):
            for shape, target in sorted(shapes.subject_objects(kind)):
                self.targets.append((self._shape(shape), "class" if kind == SH.targetClass else "objects", nt_term(target)))
        for unsupported in (SH.targetNode, SH.targetSubjectsOf, SH.target, SH.sparql, SH.rule, SH.deactivated):
            if (None, unsupported, None) in shapes:
                raise UnsupportedShapes(f"{unsupported} is not compiled")
        for shape in shapes.subjects(RDF.type, RDFS.Class):
            if (shape, RDF.type, SH.NodeShape) in shapes:
                raise UnsupportedShapes(f"{shape} is an implicit class target")
        reporting = [shape for shape, _, _ in self.targets]
        while reporting:
            shape = reporting.pop()
            if shape.constraints and not shape.messages:  # pySHACL would make up a message of its own
                raise UnsupportedShapes(f"shape {shape.iri} has no sh:message")
            reporting.extend(shape.properties)

    def validate(self, data: Graph | TripleIndex) -> list[RawResult]:
        index = DataIndex(TripleIndex.of(data))
        results: set[RawResult] = set()
        for shape, kind, target in self.targets:
            focus_nodes = index.instances(target) if kind == "class" else index.distinct(
                [obj for _, obj in index.data.by_predicate.get(target, ())]
            )
            for focus in focus_nodes:
                results.update(self._results(shape, index, focus))
        return sorted(results, key=repr)

    # -- results of a shape on a focus node ---------------------------------------------------

    def _results(self, shape: _Shape, index: DataIndex, focus: Term) -> list[RawResult]:
        """A list rather than a generator: a million evaluations on 10,000 reports, most finding nothing."""
        values = shape.path(index, focus) if shape.path else {focus}
        path = shape.path_node if isinstance(shape.path_node, URIRef) else None
        found = []
        for constraint in shape.constraints:
            for value in constraint.test(index, focus, values):
                node = index.node(value) if value is not None else None
                found.append((shape.severity, str(shape.iri), index.text(focus), path, node, shape.messages, str(constraint.component)))
        for prop in shape.properties:
            for value in values:
                found += self._results(prop, index, value)
        return found

    def _conforms(self, shape: _Shape, index: DataIndex, focus: Term) -> bool:
        """Whether the node conforms to the shape (of sh:node, sh:not, sh:or, sh:and). Asked of
        the same node again and again (a concept, a country that many programmes name), so the
        answer, which depends on nothing but the data, is kept for the run."""
        key = (id(shape), focus)
        if key not in index.conformance:
            index.conformance[key] = not self._results(shape, index, focus)
        return index.conformance[key]

    # -- compiling ----------------------------------------------------------------------------

    def _shape(self, node: Node) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        graph = self.graph
        for predicate in graph.predicates(node):
            if predicate not in _DESCRIPTIVE and predicate not in _SUPPORTED:
                raise UnsupportedShapes(f"{predicate} (in shape {node}) is not compiled")
        path_node = graph.value(node, SH.path)
        path = self._path(path_node) if path_node is not None else None
        constraints = tuple(
            _Constraint(SH[f"{_COMPONENT_NAMES[parameter]}ConstraintComponent"], parameter, self._constraint(node, parameter, value))
            for parameter in sorted(_SUPPORTED) for value in sorted(graph.objects(node, parameter))
        )
        properties = tuple(self._shape(p) for p in sorted(graph.objects(node, SH.property)))
        severity = SEVERITIES.get(graph.value(node, SH.severity, default=SH.Violation))
        if severity is None:
            raise UnsupportedShapes(f"unknown severity in shape {node}")
        messages = tuple(sorted((m.language or "en", str(m)) for m in graph.objects(node, SH.message)))
        shape = _Shape(node, path, path_node, constraints, properties, severity, messages)
        self._compiled[node] = shape
        return shape

    def _path(self, node: Node) -> Values:
        graph = self.graph
        if isinstance(node, URIRef):
            predicate = nt_term(node)
            return lambda index, focus: index.values(focus, predicate)
        if (node, RDF.first, None) in graph:
            steps = [self._path(step) for step in Collection(graph, node)]

            def sequence(index: DataIndex, focus: Term) -> set[Term]:
                current = {focus}
                for step in steps:
                    current = index.distinct([value for node_ in current for value in step(index, node_)])
                return current
            return sequence
        alternatives = graph.value(node, SH.alternativePath)
        if alternatives is not None:
            options = [self._path(step) for step in Collection(graph, alternatives)]
            return lambda index, focus: index.distinct([value for option in options for value in option(index, focus)])
        inverse = graph.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            predicate = nt_term(inverse)
            return lambda index, focus: set(index.subjects(predicate, focus))  # subjects: never literals
        raise UnsupportedShapes(f"the path {node} is not compiled")

    def _constraint(self, shape: Node, parameter: URIRef, argument: Node):
        """The test of one constraint: (index, focus, value nodes) -> failing values (None: the
        whole set fails, as pySHACL reports counts, with no sh:value)."""
        if parameter in _COUNT_COMPONENTS:
            return self._count_constraint(parameter, argument)
        if parameter == SH.node and isinstance(argument, BNode | URIRef):
            other = self._shape(argument)
            test: Test = lambda index, value: self._conforms(other, index, value)  # noqa: E731
        elif parameter == SH["not"]:
            other = self._shape(argument)
            test = lambda index, value: not self._conforms(other, index, value)  # noqa: E731
        elif parameter in (SH["or"], SH["and"]):
            members = [self._shape(member) for member in Collection(self.graph, argument)]
            combine = any if parameter == SH["or"] else all
            test = lambda index, value: combine(self._conforms(m, index, value) for m in members)  # noqa: E731
        else:
            flags = self.graph.value(shape, SH.flags) if parameter == SH.pattern else None
            test = _value_test(parameter, argument, str(flags) if flags is not None else "")
        return lambda index, focus, values: [value for value in values if not test(index, value)]

    def _count_constraint(self, parameter: URIRef, argument: Node):
        if parameter == SH.uniqueLang:
            if argument != Literal(True):
                return lambda index, focus, values: []

            def duplicated_languages(index: DataIndex, focus: Term, values: set[Term]) -> list[Term | None]:
                seen: dict[str, int] = defaultdict(int)
                for value in values:
                    language = _language(value)
                    if language:
                        seen[language.lower()] += 1
                return [None for count in seen.values() if count > 1]
            return duplicated_languages
        bound = int(argument)
        if parameter == SH.minCount:
            return lambda index, focus, values: [None] if len(values) < bound else []
        return lambda index, focus, values: [None] if len(values) > bound else []


def _value_test(parameter: URIRef, argument: Node, flags: str = "") -> Test:
    """A test on one value node, for the constraints that judge each value alone."""
    if parameter == SH.datatype:
        if argument == RDF.langString:
            return lambda index, value: bool(_language(value))
        if argument == XSD.string:  # a literal with neither tag nor datatype, or typed xsd:string
            return lambda index, value: value[0] == '"' and (value[-1] == '"' or value.endswith(_STRING_END))
        typed_end = f'"^^{nt_term(argument)}'
        return lambda index, value: (
            value[0] == '"' and value.endswith(typed_end) and not index.node(value).ill_typed
        )
    if parameter == SH.nodeKind:
        kinds = {  # by the first character of the N-Triples term
            SH.IRI: "<", SH.BlankNode: "_", SH.Literal: '"',
            SH.BlankNodeOrIRI: "_<", SH.BlankNodeOrLiteral: '_"', SH.IRIOrLiteral: '<"',
        }
        if argument not in kinds:
            raise UnsupportedShapes(f"unknown node kind {argument}")
        allowed = kinds[argument]
        return lambda index, value: value[0] in allowed
    if parameter == SH["class"]:
        cls = nt_term(argument)
        return lambda index, value: not _is_literal(value) and index.is_instance(value, cls)
    if parameter == SH.pattern:
        regex = re.compile(str(argument), _regex_flags(flags))
        return lambda index, value: value[0] != "_" and regex.search(index.text(value)) is not None
    if parameter == SH.minInclusive:
        if not isinstance(argument, Literal):
            raise UnsupportedShapes("sh:minInclusive takes a literal")
        bound = argument.value
        return lambda index, value: _is_literal(value) and _at_least(index.node(value), bound)
    raise UnsupportedShapes(f"{parameter} is not compiled")


def _at_least(value: Node, bound) -> bool:
    if not isinstance(value, Literal) or value.ill_typed:
        return False
    number = value.value
    if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
        return False
    return number >= bound


def _regex_flags(flags: str) -> int:
    """SHACL's sh:flags (those of XPath's fn:matches) as Python's."""
    table = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "q": 0}
    if set(flags) - set(table):
        raise UnsupportedShapes(f"sh:flags {flags!r} is not compiled")
    value = 0
    for flag in flags:
        value |= table[flag]
    return value
