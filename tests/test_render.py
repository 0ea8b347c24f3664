"""render: the text rebuilt from the graph holds every paragraph and item, in order."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from resolis_ld.concepts import load_concepts
from resolis_ld.mapping import graph_from_reports
from resolis_ld.model import Report
from resolis_ld.parse import parse_report
from resolis_ld.reader import reports_from_graph
from resolis_ld.render import render_report
from resolis_ld.serialize import serialize

from conftest import REPORT_FILES


def canonical(report: Report) -> Report:
    """What the graph keeps: tags and unplaced lines come back sorted, sources aside."""
    tags = {
        field: tuple(sorted(getattr(report, field), key=lambda tag: tag.key))
        for field in ("solutions", "stature", "participant_types", "beneficiaries", "domains")
    }
    return dataclasses.replace(report, unplaced=tuple(sorted(report.unplaced, key=lambda t: t.value)), **tags)


def through_graph(report: Report, format: str = "turtle") -> Report:
    from rdflib import Graph

    graph, _ = graph_from_reports([report], load_concepts())
    reread = Graph().parse(data=serialize(graph, format).decode("utf-8"), format={"turtle": "turtle", "nt": "nt", "json-ld": "json-ld"}[format])
    [(_, back)] = reports_from_graph(reread)
    return back


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("format", ["turtle", "nt", "json-ld"])
def test_graph_keeps_the_whole_report(path: Path, format: str):
    """report -> RDF (in every format) -> report gives the same report."""
    report = parse_report(path.read_bytes(), path.name).report
    assert canonical(through_graph(report, format)) == canonical(report)


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
def test_rendered_text_contains_every_paragraph_and_item_in_order(path: Path):
    report = parse_report(path.read_bytes(), path.name).report
    text = render_report(through_graph(report))
    position = 0
    for section in report.sections:
        for piece in (section.heading, *(block.text for block in section.blocks)):
            found = text.find(piece, position)
            assert found >= 0, f"{piece!r} missing or out of order"
            position = found + len(piece)


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
def test_rendered_text_parses_back_to_the_same_report(path: Path):
    report = parse_report(path.read_bytes(), path.name).report
    again = parse_report(render_report(report), "rendered.txt")
    assert again.report == report
    assert not [w for w in again.warnings if "unknown section" not in w.message and "not a whole number" not in w.message]
