"""Where each value of a report came from: the line map the converter records in the graph.

Each report carries one ``resolis:sourceMap`` literal (``rdf:JSON``): for every resource of the
report (its IRI relative to the data base), the line of each property's first value, and under
``""`` the resource's own line. Keys starting with ``#`` name the template's blocks, so that a
validation result about a *missing* value can point at the place where it belongs.
"""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from .model import Report
from .namespaces import PREFIXES

# Block anchors: where the template would put a missing value.
PROGRAMME_BLOCK, ORGANISATION_BLOCK, EDITORIAL_BLOCK, TAGS_BLOCK, SECTIONS_BLOCK, CITATION_BLOCK = (
    "#programme", "#organisation", "#editorial", "#tags", "#sections", "#citation",
)


def curie(iri: str) -> str:
    """``https://schema.org/startDate`` -> ``schema:startDate`` for the prefixes we bind."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


class SourceLines:
    """Collects, for one report, the line of each (resource, property) the mapping adds."""

    def __init__(self, base: str):
        self.base = base
        self.lines: dict[str, dict[str, int]] = defaultdict(dict)

    def key(self, subject: URIRef) -> str:
        return str(subject).removeprefix(self.base)

    def record(self, subject: URIRef, predicate: URIRef, line: int) -> None:
        entry = self.lines[self.key(subject)]
        name = "" if predicate == RDF.type else curie(str(predicate))  # "": the resource itself
        if name not in entry or line < entry[name]:
            entry[name] = line

    def anchor_blocks(self, report: Report, document: URIRef, programme: URIRef) -> None:
        """Remember where each block of the template starts (or would start) in this report."""
        title = report.title.line
        org = report.organisation
        org_lines = [v.line for v in (org.employees, org.volunteers, org.members) if v] if org else []
        if org and org.address:
            org_lines += [p.line for p in (org.address.street, org.address.postal_code) if p]
        programme_lines = [v.line for v in (report.start_date, report.implementation_site, report.budget, report.funding) if v]
        editorial = [v.line for v in (report.proofreading_date, report.committee_opinion) if v]
        tags = [t.line for t in report.solutions + report.stature + report.participant_types + report.beneficiaries + report.domains]
        tags += [report.country.line] if report.country else []
        citation = [v.line for v in (report.collection, report.licence, report.citation) if v]
        sections = [s.line for s in report.sections]
        after_summary = report.summary.line + 1 if report.summary else title + 1
        anchors = {
            PROGRAMME_BLOCK: min(programme_lines, default=after_summary),
            ORGANISATION_BLOCK: min(org_lines, default=max(programme_lines, default=after_summary)),
            EDITORIAL_BLOCK: min(editorial, default=min(tags, default=after_summary)),
            TAGS_BLOCK: min(tags, default=min(citation, default=after_summary)),
            CITATION_BLOCK: min(citation, default=min(sections, default=after_summary)),
            SECTIONS_BLOCK: min(sections, default=max(citation, default=after_summary)),
        }
        self.lines[self.key(document)].update(anchors)

    def literal(self) -> Literal:
        text = json.dumps(self.lines, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return Literal(text, datatype=RDF.JSON)


def read_source_map(value: Literal | None) -> dict[str, dict[str, int]]:
    """The map recorded by ``SourceLines``, or an empty one when the graph has none."""
    if value is None:
        return {}
    try:
        data = json.loads(str(value))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}



