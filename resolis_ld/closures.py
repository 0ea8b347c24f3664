"""Which resources belong to which report: the graph cut along its reports.

Validation slices the graph by report, and the N-Quads dump puts each report in a named graph of
its own; both need the same answer to "what does this report reach". A resource reached by one
report only belongs to it; one reached by several (a concept, a shared lead organisation, a
concept scheme) or by none (the dataset node) is shared.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .namespaces import RESOLIS


def report_closures(data: Graph) -> dict[URIRef, set[URIRef]]:
    """For each report, the resources reachable from it (programme, organisations, concepts, …),
    other reports excepted. One pass over the graph builds the links, then plain dict walks."""
    links: dict[URIRef, list[URIRef]] = {}
    for subject, _, obj in data:
        if isinstance(obj, URIRef) and isinstance(subject, URIRef):
            links.setdefault(subject, []).append(obj)
    reports = set(data.subjects(RDF.type, RESOLIS.Report))
    closures = {}
    for report in reports:
        seen = {report}
        todo = [report]
        while todo:
            for obj in links.get(todo.pop(), ()):
                if obj not in seen and obj not in reports:
                    seen.add(obj)
                    todo.append(obj)
        closures[report] = seen
    return closures


def report_graphs(data: Graph, shared: URIRef) -> dict[URIRef, Graph]:
    """The graph split by the owner of each triple's subject: a report's IRI for the resources
    only it reaches, ``shared`` for the rest. The parts are disjoint and their union is ``data``."""
    owners: dict[URIRef, list[URIRef]] = {}
    for report, closure in report_closures(data).items():
        for node in closure:
            owners.setdefault(node, []).append(report)
    parts: dict[URIRef, Graph] = {}
    for triple in data:
        reports = owners.get(triple[0], [])  # type: ignore[call-overload]
        name = reports[0] if len(reports) == 1 else shared
        if name not in parts:
            parts[name] = Graph()
        parts[name].add(triple)
    return parts
