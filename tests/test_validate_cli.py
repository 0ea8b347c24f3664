"""resolis-ld validate and the validation step of build, through the command line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolis_ld.cli import cli

from conftest import REPORTS

SEED = REPORTS / "000_bf3554a4a4265cfd.txt"
GARDENS = REPORTS / "S3_community_gardens_crlf.txt"


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A report with no summary: a violation."""
    path = tmp_path / "broken.txt"
    path.write_text(re.sub(r"^Summary\s*:", "Sumary", SEED.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    return path


def test_complete_report_exits_0():
    result = run("validate", str(SEED))
    assert result.exit_code == 0
    assert "0 violations, 0 warnings, 0 infos; 1 of 1 report(s) publishable" in result.stdout


def test_violation_exits_1_and_names_file_and_line(broken: Path):
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert f"{broken}:3: violation: The programme has no summary." in result.stdout
    assert "NOT publishable" in result.stdout


def test_fail_on_warning():
    assert run("validate", str(GARDENS)).exit_code == 0
    assert run("validate", str(GARDENS), "--fail-on", "warning").exit_code == 1


def test_french_messages():
    result = run("-q", "validate", str(GARDENS), "--lang", "fr")
    assert "Le programme n'a pas de budget." in result.stdout


def test_rdf_input_is_validated_as_is(tmp_path: Path, broken: Path):
    dump = tmp_path / "dump.ttl"
    assert run("-q", "convert", str(SEED), str(broken), "-o", str(dump)).exit_code == 0
    result = run("validate", str(dump), "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    violation = next(r for r in document["results"] if r["severity"] == "violation")
    assert (violation["source"], violation["line"]) == (str(broken), 3)


def test_unreadable_input_exits_3_and_the_rest_is_validated(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = run("validate", str(bad), str(SEED), str(tmp_path / "missing.txt"))
    assert result.exit_code == 3
    assert f"{bad}:1: error: not valid Turtle" in result.stderr
    assert "missing.txt: error: no such file or directory" in result.stderr
    assert "1 of 1 report(s) publishable" in result.stdout


@pytest.mark.parametrize("format_, marker", [("junit", "<testsuite"), ("github", "::warning file="), ("json", '"version": 1')])
def test_formats_to_a_file(tmp_path: Path, format_: str, marker: str):
    out = tmp_path / f"results.{format_}"
    result = run("validate", str(GARDENS), "--format", format_, "-o", str(out))
    assert result.exit_code == 0
    assert marker in out.read_text(encoding="utf-8")
    assert "publishable" in result.stderr


def test_build_writes_everything_then_exits_1_on_violations(tmp_path: Path, broken: Path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SEED, reports)
    shutil.copy(broken, reports)
    out = tmp_path / "dist"
    result = run("build", "--input", str(reports), "--out", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "LICENSE.txt", "catalog.ttl", "context.jsonld", "resolis.jsonld", "resolis.nq.gz", "resolis.nt",
        "resolis.nt.gz", "resolis.ttl", "validation.json", "validation.ttl", "void.ttl",
    ]
    assert json.loads((out / "validation.json").read_text(encoding="utf-8"))["totals"]["violations"] == 1
    assert "1 violation" in result.stderr and "1 of 2 report(s) publishable" in result.stderr


def test_build_of_the_fixtures_exits_0(tmp_path: Path):
    result = run("build", "--input", str(REPORTS), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.stderr
    assert "5 of 5 report(s) publishable" in result.stderr
