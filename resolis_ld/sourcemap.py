"""Where each value of a report came from: the line map the converter records in the graph.

Each report carries one ``resolis:sourceMap`` literal (``rdf:JSON``): for every resource of the
report (its IRI relative to the data base), the line of each property's first value, and under
``""`` the resource's own line. Keys starting with ``#`` name the template's blocks, so that a
validation result about a *missing* value can point at the place where it belongs.
"""

from __future__ import annotations

import json
from functools import cache

from rdflib import Literal
from rdflib.namespace import RDF

from .model import Report
from .namespaces import PREFIXES
from .ntriples import quote

# Block anchors: where the template would put a missing value.
PROGRAMME_BLOCK, ORGANISATION_BLOCK, EDITORIAL_BLOCK, TAGS_BLOCK, SECTIONS_BLOCK, CITATION_BLOCK = (
    "#programme", "#organisation", "#editorial", "#tags", "#sections", "#citation",
)
_RDF_TYPE = f"<{RDF.type}>"


def curie(iri: str) -> str:
    """``https://schema.org/startDate`` -> ``schema:startDate`` for the prefixes we bind."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


class SourceLines:
    """Collects, for one report, the line of each (resource, property) the mapping adds.

    Resources and properties come as N-Triples IRIs (``<…>``), as the mapping writes them; each
    is turned into its key (or curie) once, not at every line recorded.
    """

    def __init__(self, base: str):
        self.base = base
        self.lines: dict[str, dict[str, int]] = {}  # key -> property name -> line
        self._entries: dict[str, dict[str, int]] = {}  # N-Triples subject -> its entry in lines

    def key(self, subject: str) -> str:
        return subject[1:-1].removeprefix(self.base)

    def record(self, subject: str, predicate: str, line: int) -> None:
        entry = self._entries.get(subject)
        if entry is None:
            entry = self._entries[subject] = self.lines.setdefault(self.key(subject), {})
        name = _property_name(predicate)
        if name not in entry or line < entry[name]:
            entry[name] = line

    def anchor_blocks(self, report: Report, document: str) -> None:
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
        self.lines.setdefault(self.key(document), {}).update(anchors)

    def json_literal(self) -> str:
        """The map as an ``rdf:JSON`` literal in N-Triples (rdflib knows no Python type for
        ``rdf:JSON``, so it too keeps the text as is)."""
        text = json.dumps(self.lines, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return f"{quote(text)}^^<{RDF.JSON}>"


@cache
def _property_name(predicate: str) -> str:
    """A property's name in the map: its curie, or "" for rdf:type (the resource's own line)."""
    return "" if predicate == _RDF_TYPE else curie(predicate[1:-1])


def read_source_map(value: Literal | None) -> dict[str, dict[str, int]]:
    """The map recorded by ``SourceLines``, or an empty one when the graph has none."""
    if value is None:
        return {}
    try:
        data = json.loads(str(value))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}



