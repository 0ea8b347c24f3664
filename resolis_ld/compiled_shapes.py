"""SHACL shapes compiled to Python checks: the part of SHACL Core our shapes use, run fast.

pySHACL re-reads the shapes and walks rdflib's generic graph API for every focus node: about 15
seconds for 1,000 reports, far too slow for the whole collection. The shapes of
``shapes/resolis.ttl`` use a small part of SHACL Core (class and objects-of targets; predicate,
sequence, alternative and inverse paths; min/max count, datatype, node kind, class, pattern,
minInclusive, uniqueLang, and, or, not, node), which compiles to a few closures over dictionaries.
Results follow pySHACL's exactly (focus, path, value, shape, component, severity, messages): the
tests compare both on every fixture and on a broken copy for every shape.

A shapes graph that uses anything else raises ``UnsupportedShapes``; the caller then runs
pySHACL itself, so a change to the shapes can never silently weaken validation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

# (severity, source shape, focus node, result path or None, value or None, messages, component):
# the fields of a SHACL result that resolis-ld reports, as validate.py reads them from pySHACL.
RawResult = tuple[str, str, str, URIRef | None, Node | None, tuple[tuple[str, str], ...], str]
Values = Callable[["DataIndex", Node], set[Node]]
Test = Callable[["DataIndex", Node], bool]

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


class DataIndex:
    """The data graph's triples for the predicates the shapes read, as dictionaries."""

    def __init__(self, graph: Graph, predicates: Iterable[URIRef]):
        self.forward: dict[URIRef, dict[Node, list[Node]]] = {}
        self.backward: dict[URIRef, dict[Node, list[Node]]] = {}
        for predicate in set(predicates) | {RDF.type, RDFS.subClassOf}:
            forward: dict[Node, list[Node]] = defaultdict(list)
            backward: dict[Node, list[Node]] = defaultdict(list)
            for subject, obj in graph.subject_objects(predicate):
                forward[subject].append(obj)
                backward[obj].append(subject)
            self.forward[predicate] = forward
            self.backward[predicate] = backward
        self._subclasses: dict[Node, set[Node]] = {}

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        return self.forward[predicate].get(subject, [])

    def subjects(self, predicate: URIRef, obj: Node) -> list[Node]:
        return self.backward[predicate].get(obj, [])

    def subclasses(self, cls: Node) -> set[Node]:
        """``cls`` and its subclasses in the data graph (SHACL's notion of an instance)."""
        if cls not in self._subclasses:
            found, todo = {cls}, [cls]
            while todo:
                for sub in self.subjects(RDFS.subClassOf, todo.pop()):
                    if sub not in found:
                        found.add(sub)
                        todo.append(sub)
            self._subclasses[cls] = found
        return self._subclasses[cls]

    def instances(self, cls: Node) -> set[Node]:
        return {node for sub in self.subclasses(cls) for node in self.subjects(RDF.type, sub)}

    def is_instance(self, node: Node, cls: Node) -> bool:
        return not self.subclasses(cls).isdisjoint(self.objects(node, RDF.type))


@dataclass(frozen=True)
class _Constraint:
    component: URIRef  # e.g. sh:MinCountConstraintComponent
    parameter: URIRef  # e.g. sh:minCount
    test: Callable[[DataIndex, Node, set[Node]], list[Node | None]]  # -> failing values


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
        self.predicates: set[URIRef] = set()
        self._compiled: dict[Node, _Shape] = {}
        self.targets: list[tuple[_Shape, str, URIRef]] = []
        for kind in (SH.targetClass, SH.targetObjectsOf):
            for shape, target in sorted(shapes.subject_objects(kind)):
                if kind == SH.targetObjectsOf:
                    self.predicates.add(target)
                self.targets.append((self._shape(shape), "class" if kind == SH.targetClass else "objects", target))
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

    def validate(self, data: Graph) -> list[RawResult]:
        index = DataIndex(data, self.predicates)
        results: set[RawResult] = set()
        for shape, kind, target in self.targets:
            focus_nodes = index.instances(target) if kind == "class" else {
                obj for objs in index.forward[target].values() for obj in objs
            }
            for focus in focus_nodes:
                results.update(self._results(shape, index, focus))
        return sorted(results, key=repr)

    # -- results of a shape on a focus node ---------------------------------------------------

    def _results(self, shape: _Shape, index: DataIndex, focus: Node) -> Iterable[RawResult]:
        values = shape.path(index, focus) if shape.path else {focus}
        path = shape.path_node if isinstance(shape.path_node, URIRef) else None
        for constraint in shape.constraints:
            for value in constraint.test(index, focus, values):
                yield (shape.severity, str(shape.iri), str(focus), path, value, shape.messages, str(constraint.component))
        for prop in shape.properties:
            for value in values:
                yield from self._results(prop, index, value)

    def _conforms(self, shape: _Shape, index: DataIndex, focus: Node) -> bool:
        return not any(True for _ in self._results(shape, index, focus))

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
            self.predicates.add(node)
            return lambda index, focus: set(index.objects(focus, node))
        if (node, RDF.first, None) in graph:
            steps = [self._path(step) for step in Collection(graph, node)]

            def sequence(index: DataIndex, focus: Node) -> set[Node]:
                current = {focus}
                for step in steps:
                    current = {value for node_ in current for value in step(index, node_)}
                return current
            return sequence
        alternatives = graph.value(node, SH.alternativePath)
        if alternatives is not None:
            options = [self._path(step) for step in Collection(graph, alternatives)]
            return lambda index, focus: {value for option in options for value in option(index, focus)}
        inverse = graph.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            self.predicates.add(inverse)
            return lambda index, focus: set(index.subjects(inverse, focus))
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
            if parameter == SH["class"]:
                self.predicates.add(RDF.type)
        return lambda index, focus, values: [value for value in values if not test(index, value)]

    def _count_constraint(self, parameter: URIRef, argument: Node):
        if parameter == SH.uniqueLang:
            if argument != Literal(True):
                return lambda index, focus, values: []

            def duplicated_languages(index: DataIndex, focus: Node, values: set[Node]) -> list[Node | None]:
                seen: dict[str, int] = defaultdict(int)
                for value in values:
                    if isinstance(value, Literal) and value.language:
                        seen[value.language.lower()] += 1
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
            return lambda index, value: isinstance(value, Literal) and bool(value.language)
        if argument == XSD.string:
            return lambda index, value: (
                isinstance(value, Literal) and not value.language and value.datatype in (None, XSD.string)
            )
        return lambda index, value: (
            isinstance(value, Literal) and value.datatype == argument and not value.ill_typed
        )
    if parameter == SH.nodeKind:
        kinds = {
            SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
            SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
            SH.IRIOrLiteral: (URIRef, Literal),
        }
        if argument not in kinds:
            raise UnsupportedShapes(f"unknown node kind {argument}")
        allowed = kinds[argument]
        return lambda index, value: isinstance(value, allowed)
    if parameter == SH["class"]:
        return lambda index, value: not isinstance(value, Literal) and index.is_instance(value, argument)
    if parameter == SH.pattern:
        regex = re.compile(str(argument), _regex_flags(flags))
        return lambda index, value: not isinstance(value, BNode) and regex.search(str(value)) is not None
    if parameter == SH.minInclusive:
        if not isinstance(argument, Literal):
            raise UnsupportedShapes("sh:minInclusive takes a literal")
        bound = argument.value
        return lambda index, value: _at_least(value, bound)
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
