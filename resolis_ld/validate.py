"""Graph + shapes -> ``Validation``: SHACL results per report, with source lines and scores.

Non-conformance is a result, never an exception. With one job, pySHACL runs once on the whole
graph. With more, the graph is cut into one slice per job, each slice holding whole reports,
i.e. every triple about every resource reachable from them: each focus node is then validated
with all that the shapes can look at, and the union of the slices' results (duplicates of shared
resources removed) is the result of the whole-graph run. Slices run in forked worker processes,
which copy their slice from the graph they inherit.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SH

from .closures import report_closures
from .namespaces import RESOLIS
from .resources import resource
from .scores import completeness
from .sourcemap import curie, read_source_map
from .sourcemap import (
    CITATION_BLOCK, EDITORIAL_BLOCK, ORGANISATION_BLOCK, PROGRAMME_BLOCK, SECTIONS_BLOCK, TAGS_BLOCK,
)

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_ORDER = ("violation", "warning", "info")
SHAPES = "https://w3id.org/resolis/shapes#"
MIN_REPORTS_PER_JOB = 50  # below this, a process costs more than it saves

# Where a value missing from a report belongs, by shape: the template's block that holds it.
MISSING_VALUE_ANCHORS = {
    "ProgrammeStartDate": PROGRAMME_BLOCK, "ProgrammeBudget": PROGRAMME_BLOCK,
    "ProgrammeFundingSource": PROGRAMME_BLOCK, "ProgrammeCountry": TAGS_BLOCK,
    "ProgrammeObjectives": SECTIONS_BLOCK, "ProgrammeActions": SECTIONS_BLOCK,
    "ProgrammeResults": SECTIONS_BLOCK, "ProgrammePartnership": SECTIONS_BLOCK,
    "ProgrammeFurtherReading": SECTIONS_BLOCK, "LeadOrganisationAddress": ORGANISATION_BLOCK,
    "LeadOrganisationStaff": ORGANISATION_BLOCK, "ReportProofreadingDate": EDITORIAL_BLOCK,
    "ReportCommitteeOpinion": EDITORIAL_BLOCK, "ReportAuthor": CITATION_BLOCK,
    "ReportCollection": CITATION_BLOCK, "ReportLicence": CITATION_BLOCK, "FrenchPostcode": ORGANISATION_BLOCK,
}


@dataclass(frozen=True)
class Result:
    """One SHACL result, located in the report it concerns."""

    severity: str
    shape: str
    focus: str
    path: URIRef | None  # None for a node-level constraint or a complex path
    value: Node | None
    messages: tuple[tuple[str, str], ...]  # (language, message)
    component: str
    report: str | None = None
    source: str | None = None
    line: int | None = None

    def message(self, language: str = "en") -> str:
        by_language = dict(self.messages)
        return by_language.get(language) or by_language.get("en") or next(iter(by_language.values()), self.shape)


@dataclass
class ReportSummary:
    report: str
    programme: str | None
    title: str
    source: str | None
    completeness: float
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITY_ORDER, 0))

    @property
    def publishable(self) -> bool:
        return self.counts["violation"] == 0


@dataclass
class Validation:
    results: list[Result]
    reports: list[ReportSummary]

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, fail_on: str) -> bool:
        """Whether a result reaches ``fail_on`` ("violation" or "warning")."""
        levels = SEVERITY_ORDER[: SEVERITY_ORDER.index(fail_on) + 1]
        return any(r.severity in levels for r in self.results)


@cache
def load_shapes(path: Path | None = None) -> Graph:
    return Graph().parse(path or resource("shapes", "resolis.ttl"), format="turtle")


# -- slicing the graph by report --------------------------------------------------------------


def _slices(data: Graph, closures: dict[URIRef, set[URIRef]], count: int) -> list[list[URIRef]]:
    """``count`` groups of whole reports, the resources no report reaches joining the first."""
    reports = sorted(closures)
    slices: list[set[URIRef]] = [set() for _ in range(count)]
    for index, report in enumerate(reports):
        slices[index % count] |= closures[report]
    covered = set().union(*slices)
    slices[0] |= {s for s in data.subjects() if isinstance(s, URIRef)} - covered
    return [sorted(piece) for piece in slices if piece]


_DATA: Graph | None = None  # the graph workers slice, inherited through fork


def _validate(graph: Graph) -> list[tuple]:
    _, report_graph, _ = shacl_validate(graph, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    return [_result_tuple(report_graph, node) for node in report_graph.subjects(RDF.type, SH.ValidationResult)]


def _validate_slice(subjects: list[URIRef]) -> list[tuple]:
    """In a worker: copy the slice out of the inherited graph, then validate it."""
    assert _DATA is not None
    piece = Graph()
    for subject in subjects:
        for triple in _DATA.triples((subject, None, None)):
            piece.add(triple)
    return _validate(piece)


def _result_tuple(graph: Graph, node) -> tuple:
    value = graph.value(node, SH.value)
    path = graph.value(node, SH.resultPath)
    messages = tuple(sorted((m.language or "en", str(m)) for m in graph.objects(node, SH.resultMessage)))
    return (
        SEVERITIES.get(graph.value(node, SH.resultSeverity), "violation"),
        str(graph.value(node, SH.sourceShape)),
        str(graph.value(node, SH.focusNode)),
        path if isinstance(path, URIRef) else None,
        value,
        messages,
        str(graph.value(node, SH.sourceConstraintComponent)),
    )


def _run(data: Graph, closures: dict[URIRef, set[URIRef]], jobs: int) -> set[tuple]:
    global _DATA
    jobs = min(jobs, len(closures) // MIN_REPORTS_PER_JOB)
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return set(_validate(data))
    slices = _slices(data, closures, jobs)
    _DATA = data
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(slices), mp_context=context) as pool:
            return {result for results in pool.map(_validate_slice, slices) for result in results}
    finally:
        _DATA = None


# -- locating results in their reports ------------------------------------------------------


class _Locator:
    """Finds the report a focus node belongs to, and the source line of a result."""

    def __init__(self, data: Graph, closures: dict[URIRef, set[URIRef]]):
        self.data = data
        self.owners: dict[str, list[str]] = {}
        self.maps: dict[str, tuple[str, dict[str, dict[str, int]]]] = {}
        self.sources: dict[str, str | None] = {}
        for report, closure in closures.items():
            for node in closure:
                self.owners.setdefault(str(node), []).append(str(report))
            lines = read_source_map(data.value(report, RESOLIS.sourceMap))
            key = next((k for k in lines if str(report).endswith(k) and k), None)
            base = str(report)[: -len(key)] if key else ""
            self.maps[str(report)] = (base, lines)
            source = data.value(data.value(report, PROV.wasDerivedFrom), RDFS.label)
            self.sources[str(report)] = str(source) if source is not None else None

    def locate(self, raw: tuple) -> list[Result]:
        severity, shape, focus, path, value, messages, component = raw
        reports = sorted(self.owners.get(focus, [])) or [None]
        located = []
        for report in reports:
            line = self.line(report, shape, focus, path) if report else None
            located.append(Result(severity, shape, focus, path, value, messages, component, report,
                                  self.sources.get(report) if report else None, line))
        return located

    def line(self, report: str, shape: str, focus: str, path: URIRef | None) -> int | None:
        base, lines = self.maps[report]
        if not lines:
            return None
        entry = lines.get(focus.removeprefix(base), {})
        if path is not None and curie(str(path)) in entry:
            return entry[curie(str(path))]
        anchor = MISSING_VALUE_ANCHORS.get(shape.removeprefix(SHAPES))
        report_entry = lines.get(report.removeprefix(base), {})
        if anchor and anchor in report_entry:
            return report_entry[anchor]
        return entry.get("") or report_entry.get("")


def _title(data: Graph, node: URIRef) -> str:
    titles = sorted(data.objects(node, DCTERMS.title), key=lambda t: (t.language != "en", str(t)))
    return str(titles[0]) if titles else str(node)


def validate_graph(data: Graph, jobs: int = 1) -> Validation:
    """Validate a graph against shapes/resolis.ttl; ``jobs`` worker processes (1: in process)."""
    closures = report_closures(data)
    reports = sorted(closures)
    raw = _run(data, closures, max(1, jobs))
    locator = _Locator(data, closures)
    results = sorted(
        (result for item in raw for result in locator.locate(item)),
        key=lambda r: (
            r.source or "", r.report or "", r.line or 0, SEVERITY_ORDER.index(r.severity), r.shape,
            r.focus, str(r.path or ""), str(r.value if r.value is not None else ""),
        ),
    )
    summaries = []
    for report in reports:
        programme = data.value(report, FOAF.primaryTopic)
        summary = ReportSummary(
            str(report), str(programme) if programme is not None else None,
            _title(data, programme if programme is not None else report),
            locator.sources[str(report)], completeness(data, report),
        )
        for result in results:
            if result.report == str(report):
                summary.counts[result.severity] += 1
        summaries.append(summary)
    return Validation(results, summaries)


def default_jobs() -> int:
    return os.cpu_count() or 1


def report_graph(validation: Validation, base: str = "https://w3id.org/resolis/id/") -> Graph:
    """The SHACL validation report as RDF, with IRIs numbered in a stable order."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("rsh", URIRef(SHAPES))
    report = URIRef(f"{base}validation")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(validation.conforms)))
    severities = {name: iri for iri, name in SEVERITIES.items()}
    seen = set()
    for result in validation.results:
        key = (result.severity, result.shape, result.focus, result.path, result.value, result.component)
        if key in seen:
            continue
        seen.add(key)
        node = URIRef(f"{base}validation/result/{len(seen)}")
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, severities[result.severity]))
        graph.add((node, SH.sourceShape, URIRef(result.shape)))
        graph.add((node, SH.focusNode, URIRef(result.focus)))
        graph.add((node, SH.sourceConstraintComponent, URIRef(result.component)))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        for language, message in result.messages:
            graph.add((node, SH.resultMessage, Literal(message, lang=language)))
    return graph
