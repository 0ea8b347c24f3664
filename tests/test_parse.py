"""The layout of a report: languages, encodings, blocks, sections, and what is not a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from resolis_ld.errors import ParseError
from resolis_ld.parse import parse_report

from conftest import REPORTS

SEED = REPORTS / "000_bf3554a4a4265cfd.txt"
PARENTS = REPORTS / "002_e8fb812dc0f34af1.txt"


def parsed(text: str, name: str = "test.txt"):
    return parse_report(text, name)


def test_seed_header_fields():
    report = parse_report(SEED.read_bytes(), SEED.name).report
    assert report.language == "en"
    assert report.organisation.name.value == "Association Solidarité Emploi d'Aubervilliers (ASEA)"
    assert (report.organisation.name.line, report.title.line, report.budget.line) == (1, 3, 12)
    assert report.organisation.address.postal_code.value == "93300"
    assert report.collection.name == "Taking Action together against dropping out of school"
    assert report.collection.edition == "2015"
    assert report.licence.iri == "http://creativecommons.org/licenses/by/3.0/"
    assert report.committee_opinion.value == "Should be generalized ! Unclear results and impact"


def test_nested_parentheses_in_the_collection_line():
    report = parse_report(PARENTS.read_bytes(), PARENTS.name).report
    assert (report.collection.name, report.collection.edition) == ("Poverty France", "Reso77 (2014)")


def test_sub_headings_belong_to_their_section():
    report = parse_report(PARENTS.read_bytes(), PARENTS.name).report
    success = report.sections[-1]
    assert success.key == "success_factors"
    assert [b.text for b in success.blocks if b.kind == "subheading"] == [
        "Reasons for Success", "Advice for a general expansion of the programme",
    ]


def test_french_report_reads_french_labels():
    path = REPORTS / "S2_ateliers_numeriques_fr.txt"
    report = parse_report(path.read_bytes(), path.name).report
    assert report.language == "fr"
    assert report.start_date.start == "2014-03"
    assert [section.key for section in report.sections][:3] == ["background", "objectives", "actions"]


def test_crlf_bom_nbsp_and_windows_1252_give_the_same_report():
    text = SEED.read_text(encoding="utf-8")
    reference = parsed(text).report
    variants = {
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "nbsp": text.replace(" : ", "\u00a0:\u00a0").encode("utf-8"),
        "cp1252": text.replace("’", "'").encode("cp1252"),
        "no final newline": text.rstrip("\n").encode("utf-8"),
    }
    for name, data in variants.items():
        result = parse_report(data, f"{name}.txt")
        expected = reference if name != "cp1252" else parsed(text.replace("’", "'")).report
        assert result.report == expected, name
    assert parse_report(variants["cp1252"], "w.txt").encoding == "windows-1252"
    assert any("windows-1252" in w.message for w in parse_report(variants["cp1252"], "w.txt").warnings)


def test_every_bullet_style_and_numbered_items():
    items = ["• a", "- b", "* c", "– d", "1. e", "2) f", "    • g"]
    text = SEED.read_text(encoding="utf-8").replace(
        "- Give more visibility to the project\n- Continue the expansion in the territories with different partners",
        "\n".join(items),
    )
    section = next(s for s in parsed(text).report.sections if s.key == "suggestions")
    assert [(b.kind, b.text) for b in section.blocks] == [
        ("item", "a"), ("item", "b"), ("item", "c"), ("item", "d"), ("numbered", "e"), ("numbered", "f"), ("item", "g"),
    ]


def test_unknown_section_is_kept_with_a_warning():
    path = REPORTS / "S3_community_gardens_crlf.txt"
    result = parse_report(path.read_bytes(), path.name)
    extra = [s for s in result.report.sections if s.key is None]
    assert [(s.heading, len(s.blocks)) for s in extra] == [("Testimonies", 1)]
    assert f"{path.name}:47: warning: unknown section \"Testimonies\": kept as a section of its own" in [
        str(w) for w in result.warnings
    ]


def test_a_line_out_of_place_is_kept_not_dropped():
    text = SEED.read_text(encoding="utf-8").replace("Editorial committee", "Editorial committee\nSee the annex for photos.")
    result = parsed(text)
    assert [t.value for t in result.report.unplaced] == ["See the annex for photos."]
    assert any("unplaced" in w.message and w.line == 25 for w in result.warnings)


def test_warnings_name_file_and_line():
    path = REPORTS / "S3_community_gardens_crlf.txt"
    warnings = [str(w) for w in parse_report(path.read_bytes(), path.name).warnings]
    assert warnings[0] == (
        f'{path.name}:17: warning: the number of volunteers "about twenty" is not a whole number '
        '(write e.g. "12"); kept as text'
    )


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Dear all,\nplease find the minutes of our meeting attached.\nBest regards\n", "not a RESOLIS report"),
        (b"Logo Association X\n", "no title"),
    ],
)
def test_texts_that_are_not_reports_raise_parse_error(data: bytes, why: str):
    with pytest.raises(ParseError) as raised:
        parse_report(data, "bad.txt")
    assert why in str(raised.value) and str(raised.value).startswith("bad.txt: error: ")


def test_a_report_without_logo_line_reads_the_organisation_block(tmp_path: Path):
    text = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    result = parsed(text)
    assert result.report.organisation.name.value == "Association Solidarité Emploi d'Aubervilliers (ASEA)"
    assert any("Logo" in w.message for w in result.warnings)
