"""``Validation`` -> text for people, JSON for programs, JUnit XML and GitHub annotations for CI.

The JSON schema (version 1) is documented in the README ("validate --format json") and is stable:
fields are added, never renamed or removed.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from .sourcemap import curie
from .validate import SEVERITY_ORDER, Result, Validation

FORMATS = ("text", "json", "junit", "github")
JSON_SCHEMA_VERSION = 1


def _where(result: Result) -> str:
    if result.source and result.line:
        return f"{result.source}:{result.line}"
    return result.source or "<graph>"


def _path(result: Result) -> str:
    return curie(str(result.path)) if result.path is not None else ""


def _value(result: Result) -> str | None:
    return str(result.value) if result.value is not None else None


def summary_line(validation: Validation) -> str:
    counts = ", ".join(f"{validation.count(s)} {s}{'s' if validation.count(s) != 1 else ''}" for s in SEVERITY_ORDER)
    publishable = sum(1 for r in validation.reports if r.publishable)
    mean = _mean_completeness(validation)
    return (
        f"{counts}; {publishable} of {len(validation.reports)} report(s) publishable; "
        f"mean completeness {mean:.0%}."
    )


def _mean_completeness(validation: Validation) -> float:
    if not validation.reports:
        return 0.0
    return sum(r.completeness for r in validation.reports) / len(validation.reports)


def format_text(validation: Validation, language: str = "en") -> str:
    lines = []
    by_report: dict[str | None, list[Result]] = {}
    for result in validation.results:
        by_report.setdefault(result.report, []).append(result)
    for summary in sorted(validation.reports, key=lambda r: (r.source or "", r.report)):
        status = "publishable" if summary.publishable else "NOT publishable"
        lines.append(f"{summary.source or summary.report}: «{summary.title}» — completeness {summary.completeness:.0%}, {status}")
        for result in by_report.get(summary.report, []):
            detail = f" ({_value(result)})" if _value(result) is not None and result.severity == "violation" else ""
            lines.append(
                f"  {_where(result)}: {result.severity}: {result.message(language)}{detail} "
                f"[{_path(result) or '-'}; {curie(result.shape).replace('https://w3id.org/resolis/shapes#', 'rsh:')}]"
            )
    for result in by_report.get(None, []):
        lines.append(f"  {result.focus}: {result.severity}: {result.message(language)} [{_path(result) or '-'}]")
    lines.append(summary_line(validation))
    return "\n".join(lines) + "\n"


def format_json(validation: Validation, language: str = "en") -> str:
    document = {
        "version": JSON_SCHEMA_VERSION,
        "conforms": validation.conforms,
        "totals": {
            **{f"{s}s": validation.count(s) for s in SEVERITY_ORDER},
            "reports": len(validation.reports),
            "publishable": sum(1 for r in validation.reports if r.publishable),
            "mean_completeness": round(_mean_completeness(validation), 3),
        },
        "reports": [
            {
                "report": r.report, "programme": r.programme, "title": r.title, "source": r.source,
                "completeness": r.completeness, "publishable": r.publishable,
                **{f"{s}s": r.counts[s] for s in SEVERITY_ORDER},
            }
            for r in validation.reports
        ],
        "results": [
            {
                "severity": r.severity, "message": r.message(language), "messages": dict(r.messages),
                "shape": r.shape, "focus": r.focus, "path": str(r.path) if r.path is not None else None,
                "value": _value(r), "component": r.component, "report": r.report,
                "source": r.source, "line": r.line,
            }
            for r in validation.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def format_junit(validation: Validation, language: str = "en") -> str:
    """One test case per report; violations fail it, warnings and infos go to its output."""
    suite = ET.Element(
        "testsuite", name="resolis-ld validate", tests=str(len(validation.reports)),
        failures=str(sum(1 for r in validation.reports if not r.publishable)), errors="0",
    )
    by_report: dict[str | None, list[Result]] = {}
    for result in validation.results:
        by_report.setdefault(result.report, []).append(result)
    for summary in sorted(validation.reports, key=lambda r: (r.source or "", r.report)):
        case = ET.SubElement(suite, "testcase", classname=summary.source or summary.report, name=summary.title)
        if summary.source:
            case.set("file", summary.source)
        results = by_report.get(summary.report, [])
        violations = [r for r in results if r.severity == "violation"]
        if violations:
            failure = ET.SubElement(case, "failure", message=violations[0].message(language), type="violation")
            failure.text = "\n".join(f"{_where(r)}: {r.message(language)}" for r in violations)
        others = [r for r in results if r.severity != "violation"]
        output = [f"completeness {summary.completeness:.0%}"]
        output += [f"{_where(r)}: {r.severity}: {r.message(language)}" for r in others]
        ET.SubElement(case, "system-out").text = "\n".join(output)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def _escape_github(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(validation: Validation, language: str = "en") -> str:
    """GitHub Actions workflow commands: one annotation per result, on the report's file and line."""
    commands = {"violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for result in validation.results:
        properties = []
        if result.source:
            properties.append(f"file={_escape_github(result.source, True)}")
        if result.line:
            properties.append(f"line={result.line}")
        properties.append(f"title={_escape_github('resolis-ld ' + result.severity, True)}")
        lines.append(f"::{commands[result.severity]} {','.join(properties)}::{_escape_github(result.message(language))}")
    lines.append(summary_line(validation))
    return "\n".join(lines) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "junit": format_junit, "github": format_github}
