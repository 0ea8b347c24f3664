"""Graph + shapes -> ``Validation``: SHACL results per report, with source lines and scores.

Non-conformance is a result, never an exception. The shapes run compiled (``compiled_shapes``),
which gives pySHACL's results some hundred times faster; pySHACL runs instead when the shapes
use a feature the compiler does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SH

from .closures import owners, report_closures
from .compiled_shapes import SEVERITIES, CompiledShapes, RawResult, UnsupportedShapes
from .namespaces import RESOLIS
from .ntriples import Triple, graph_of, node_from_nt, nt_term
from .triple_index import TripleIndex, unescape
from .turtle import turtle_bytes
from .resources import resource
from .scores import completeness
from .sourcemap import curie, read_source_map
from .sourcemap import (
    CITATION_BLOCK, EDITORIAL_BLOCK, ORGANISATION_BLOCK, PROGRAMME_BLOCK, SECTIONS_BLOCK, TAGS_BLOCK,
)

SEVERITY_ORDER = ("violation", "warning", "info")
SHAPES = "https://w3id.org/resolis/shapes#"

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


# -- running the shapes ----------------------------------------------------------------------


@cache
def compiled_shapes() -> CompiledShapes | None:
    """Our shapes compiled, or None when they use a feature only pySHACL knows."""
    try:
        return CompiledShapes(load_shapes())
    except UnsupportedShapes:
        return None


def pyshacl_results(data: Graph | TripleIndex) -> set[RawResult]:
    """pySHACL's results on the whole graph: the reference, and the fallback."""
    if isinstance(data, TripleIndex):
        data = graph_of(data.triples_nt())
    from pyshacl import validate as shacl_validate  # here: importing it costs every command 0.4 s

    _, report, _ = shacl_validate(data, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    # sh:result only: the sh:detail results nested under a failed sh:node are not results of ours.
    return {_result_tuple(report, node) for node in report.objects(None, SH.result)}


def raw_results(data: Graph | TripleIndex) -> set[RawResult]:
    """The SHACL results of the data: from the compiled shapes when they compile, else pySHACL."""
    compiled = compiled_shapes()
    return set(compiled.validate(data)) if compiled else pyshacl_results(data)


def _result_tuple(graph: Graph, node) -> RawResult:
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


# -- locating results in their reports ------------------------------------------------------


class Locator:
    """Finds the report a focus node belongs to, and the source line of a result."""

    def __init__(self, data: TripleIndex, closures: dict[str, set[str]], owned: dict[str, list[str]]):
        self.owned = owned  # N-Triples IRI -> reports (closures hold IRIs only)
        self.maps: dict[str, tuple[str, dict[str, dict[str, int]]]] = {}
        self.sources: dict[str, str | None] = {}
        for report in closures:
            iri = report[1:-1]
            lines = read_source_map(_source_map_text(data, report))
            key = next((k for k in lines if iri.endswith(k) and k), None)
            base = iri[: -len(key)] if key else ""
            self.maps[iri] = (base, lines)
            derived = data.value(URIRef(iri), PROV.wasDerivedFrom)
            source = data.value(derived, RDFS.label) if derived is not None else None
            self.sources[iri] = str(source) if source is not None else None

    def locate(self, raw: tuple) -> list[Result]:
        severity, shape, focus, path, value, messages, component = raw
        reports = sorted(report[1:-1] for report in self.owned.get(f"<{focus}>", ())) or [None]
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


_SOURCE_MAP = nt_term(RESOLIS.sourceMap)
_JSON_END = f'"^^{nt_term(RDF.JSON)}'


def _source_map_text(data: TripleIndex, report: str) -> str | None:
    """The text of the report's source map. It is a long rdf:JSON literal with every quote
    escaped, which ``node_from_nt`` would unescape a character at a time (seconds on 10,000
    reports); rdflib keeps an rdf:JSON literal's text as written, so ``unescape`` gives the
    same ``str``."""
    objects = data.spo.get(report, {}).get(_SOURCE_MAP)
    if not objects:
        return None
    term = objects[0]
    if term[0] == '"' and term.endswith(_JSON_END):
        return unescape(term[1 : -len(_JSON_END)])
    return str(node_from_nt(term))


def _title(data: TripleIndex, node: URIRef) -> str:
    titles = sorted(data.objects(node, DCTERMS.title), key=lambda t: (t.language != "en", str(t)))
    return str(titles[0]) if titles else str(node)


def validate_graph(
    data: Graph | TripleIndex, closures: dict[str, set[str]] | None = None, owned: dict[str, list[str]] | None = None,
) -> Validation:
    """Validate a graph against shapes/resolis.ttl and locate each result in its report.

    ``closures`` (``report_closures(data)``) and ``owned`` (``owners(closures)``) may be given
    when the caller has them already, as the build does for the N-Quads dump too."""
    data = TripleIndex.of(data)
    if closures is None:
        closures = report_closures(data)
    if owned is None:
        owned = owners(closures)
    reports = sorted(URIRef(report[1:-1]) for report in closures)
    locator = Locator(data, closures, owned)
    results = sorted((result for item in raw_results(data) for result in locator.locate(item)), key=result_order)
    return counted(results, [summary(data, report, locator) for report in reports])


def result_order(result: Result) -> tuple:
    """The results' order: by source file and line, then by what they say."""
    r = result
    return (
        r.source or "", r.report or "", r.line or 0, SEVERITY_ORDER.index(r.severity), r.shape,
        r.focus, str(r.path or ""), str(r.value if r.value is not None else ""),
    )


def summary(data: TripleIndex, report: URIRef, locator: Locator) -> ReportSummary:
    """A report's summary, its results not yet counted."""
    programme = data.value(report, FOAF.primaryTopic)
    return ReportSummary(
        str(report), str(programme) if programme is not None else None,
        _title(data, programme if programme is not None else report),
        locator.sources[str(report)], completeness(data, report),
    )


def counted(results: list[Result], summaries: list[ReportSummary]) -> Validation:
    """The validation of these results and reports, each report's results counted."""
    by_report = {s.report: s for s in summaries}
    for found in by_report.values():
        found.counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for result in results:
        if result.report in by_report:
            by_report[result.report].counts[result.severity] += 1
    return Validation(results, summaries)


def report_graph(validation: Validation, base: str = "https://w3id.org/resolis/id/") -> Graph:
    """The SHACL validation report as RDF, with IRIs numbered in a stable order."""
    return graph_of(report_triples(validation, base), _report_bindings())


def report_turtle(validation: Validation, base: str = "https://w3id.org/resolis/id/") -> bytes:
    """``serialize(report_graph(validation, base), "turtle")``, written from the triples'
    strings: filling an rdflib graph with the 150,000 triples of 10,000 reports' results takes
    seconds, and the Turtle writer reads the strings back from it anyway."""
    prefixes = {prefix: str(namespace) for prefix, namespace in _report_bindings().namespaces()}
    return turtle_bytes(report_triples(validation, base), prefixes)


def _report_bindings() -> Graph:
    """An empty graph with the prefixes of the report graph (rdflib's defaults, sh and rsh)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("rsh", URIRef(SHAPES))
    return graph


_TYPE, _RESULT, _VALIDATION_RESULT = nt_term(RDF.type), nt_term(SH.result), nt_term(SH.ValidationResult)
_RESULT_SEVERITY, _SOURCE_SHAPE, _FOCUS_NODE = nt_term(SH.resultSeverity), nt_term(SH.sourceShape), nt_term(SH.focusNode)
_SOURCE_CONSTRAINT_COMPONENT, _RESULT_PATH = nt_term(SH.sourceConstraintComponent), nt_term(SH.resultPath)
_VALUE, _RESULT_MESSAGE = nt_term(SH.value), nt_term(SH.resultMessage)


def report_triples(validation: Validation, base: str = "https://w3id.org/resolis/id/") -> list[Triple]:
    """The triples of the SHACL validation report, as N-Triples strings: one result node for
    each distinct result (a result in two reports is one node), numbered in the results' order."""
    report = f"<{base}validation>"
    triples = [
        (report, _TYPE, nt_term(SH.ValidationReport)),
        (report, nt_term(SH.conforms), nt_term(Literal(validation.conforms))),
    ]
    severities = {name: nt_term(iri) for iri, name in SEVERITIES.items()}
    messages_of: dict[tuple[tuple[str, str], ...], list[str]] = {}  # a shape's messages, written once
    seen = set()
    for result in validation.results:
        key = (result.severity, result.shape, result.focus, result.path, result.value, result.component)
        if key in seen:
            continue
        seen.add(key)
        node = f"<{base}validation/result/{len(seen)}>"
        triples += [
            (report, _RESULT, node),
            (node, _TYPE, _VALIDATION_RESULT),
            (node, _RESULT_SEVERITY, severities[result.severity]),
            (node, _SOURCE_SHAPE, f"<{result.shape}>"),
            (node, _FOCUS_NODE, f"<{result.focus}>"),
            (node, _SOURCE_CONSTRAINT_COMPONENT, f"<{result.component}>"),
        ]
        if result.path is not None:
            triples.append((node, _RESULT_PATH, nt_term(result.path)))
        if result.value is not None:
            triples.append((node, _VALUE, nt_term(result.value)))
        if result.messages not in messages_of:
            messages_of[result.messages] = [nt_term(Literal(text, lang=language)) for language, text in result.messages]
        triples += [(node, _RESULT_MESSAGE, message) for message in messages_of[result.messages]]
    return triples

