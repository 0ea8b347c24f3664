"""Which resources belong to which report: the graph cut along its reports.

Validation places each result in the report of its focus node, and the N-Quads dump puts each
report in a named graph of its own; both need the same answer to "what does this report reach".
A resource reached by one report only belongs to it; one reached by several (a concept, a shared
lead organisation, a concept scheme) or by none (the dataset node) is shared. The walk runs on
N-Triples strings: it visits every triple, which rdflib terms would make ten times slower.
"""

from __future__ import annotations

from rdflib.namespace import RDF

from .namespaces import RESOLIS
from .ntriples import nt_term
from .triple_index import TripleIndex

_TYPE, _REPORT = nt_term(RDF.type), nt_term(RESOLIS.Report)


def report_closures(data: TripleIndex) -> dict[str, set[str]]:
    """For each report (N-Triples IRI), the resources reachable from it (programme,
    organisations, concepts, …), other reports excepted."""
    reports = set(data.pos(_TYPE).get(_REPORT, ()))
    closures = {}
    for report in reports:
        seen = {report}
        todo = [report]
        while todo:
            for objects in data.spo.get(todo.pop(), {}).values():
                for obj in objects:
                    if obj[0] == "<" and obj not in seen and obj not in reports:
                        seen.add(obj)
                        todo.append(obj)
        closures[report] = seen
    return closures


def owners(closures: dict[str, set[str]]) -> dict[str, list[str]]:
    """Resource -> the reports that reach it."""
    found: dict[str, list[str]] = {}
    for report, closure in closures.items():
        for node in closure:
            found.setdefault(node, []).append(report)
    return found


def graph_names(data: TripleIndex, shared: str, reached: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Each subject's named graph in the N-Quads dump: the report that alone reaches it, else
    ``shared`` (``reached``: ``owners(report_closures(data))``, when known). Each triple is in
    the graph of its subject, so the graphs are disjoint and their union is ``data``."""
    reached = owners(report_closures(data)) if reached is None else reached
    return {s: reports[0] if len(reports := reached.get(s, ())) == 1 else shared for s in data.spo}
