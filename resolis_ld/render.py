"""``model.Report`` -> report text in the template of REPORT_FORMAT.md, in the report's language.

The text is laid out so that ``parse_report`` reads back the same report: blocks of a section
follow each other line by line, and blank lines go where the parser expects them around
headings and nowhere they could turn a short paragraph into a heading.
"""

from __future__ import annotations

from . import labels as L
from .concepts import ConceptIndex, load_concepts
from .model import Block, Count, DateValue, Report, Section, Tag
from .parse import looks_like_heading

BULLET = "  • "


def render_date(value: DateValue, language: str, with_time: bool = False) -> str:
    if value.start is None:
        return value.text or ""
    if value.end:
        return f"{value.start}-{value.end}"
    parts = value.start.split("-")
    if len(parts) == 1:
        return value.start
    if len(parts) == 2:
        return f"{L.MONTH_NAMES[language][int(parts[1]) - 1]} {parts[0]}"
    day = f"{parts[2]}/{parts[1]}/{parts[0]}"
    return f"{day} 00:00" if with_time else day


def _count(value: Count) -> str:
    return str(value.value) if value.value is not None else value.text or ""


def _tags(tags: tuple[Tag, ...], language: str, concepts: ConceptIndex) -> str:
    names = []
    for tag in tags:
        concept = concepts.get(tag.scheme, tag.key) if tag.known else None
        names.append(concept.label(language) if concept else tag.label)
    return ", ".join(names)


def render_report(report: Report, concepts: ConceptIndex | None = None) -> str:
    """The report's text; ``parse_report`` of it gives back an equal ``Report``."""
    concepts = concepts or load_concepts()
    language = report.language
    index = L.LANGUAGES.index(language)

    def labelled(field: str, value: str, bullet: bool = False) -> str:
        return f"{BULLET if bullet else ''}{L.label(field, language)} : {value}"

    lines: list[str] = []
    organisation = report.organisation
    if organisation:
        lines += [f"{L.LOGO_PREFIX}{organisation.name.value}", ""]
    lines += [report.title.value, ""]
    if report.summary:
        lines += [labelled("summary", report.summary.value), ""]
    lines += [L.PAGE_CHROME[2 * index], "", ""]

    if report.start_date:
        lines.append(labelled("start_date", render_date(report.start_date, language), True))
    if report.implementation_site:
        lines.append(labelled("implementation_site", report.implementation_site.value, True))
    if report.budget:
        lines.append(labelled("budget", report.budget.written, True))
    if report.funding:
        lines.append(labelled("funding", report.funding.written, True))
    lines += ["", ""]

    if organisation:
        lines.append(f"{BULLET}{(organisation.block_name or organisation.name).value}")
        if address := organisation.address:
            if address.street:
                lines.append(f"{BULLET}{address.street.value}")
            if address.postal_code:
                lines.append(f"{BULLET}{address.postal_code.value} {address.locality.value if address.locality else ''}".rstrip())
        for field in ("employees", "volunteers", "members"):
            if (value := getattr(organisation, field)) is not None:
                lines.append(labelled(field, _count(value), True))
        lines += ["", ""]

    if report.proofreading_date or report.committee_opinion:
        lines += [L.EDITORIAL_HEADING[index], ""]
    if report.proofreading_date:
        lines.append(labelled("proofreading_date", render_date(report.proofreading_date, language, True), True))
    if report.committee_opinion:
        lines.append(labelled("committee_opinion", report.committee_opinion.value))
    if report.solutions:
        lines.append(labelled("solutions", _tags(report.solutions, language, concepts)))
    if report.country:
        place = report.country.value + (f", {report.region.value}" if report.region else "")
        lines.append(labelled("country", place))
    for field, bullet in (("stature", False), ("participant_types", False), ("beneficiaries", True), ("domains", True)):
        if tags := getattr(report, field):
            lines.append(labelled(field, _tags(tags, language, concepts), bullet))
    lines.append("")
    if collection := report.collection:
        edition = f" ({collection.edition})" if collection.edition is not None else ""
        lines += [f"{L.COLLECTION_PREFIX[index]} « {collection.name} »{edition}", ""]
    if report.licence:
        name = f"Licence {report.licence.label} " if report.licence.label else ""
        lines.append(labelled("licence", f"{name}( {report.licence.iri} )"))
    if report.citation:
        lines.append(labelled("citation", report.citation.text))
    lines += [text.value for text in report.unplaced]
    lines += _render_sections(report.sections)
    lines += ["", L.PAGE_CHROME[2 * index], L.PAGE_CHROME[2 * index + 1]]
    return "\n".join(lines) + "\n"


def _render_sections(sections: tuple[Section, ...]) -> list[str]:
    lines: list[str] = []
    last_heading_like = False
    for section in sections:
        # A blank line before a heading, unless it would leave a short last block alone between
        # blank lines (where the parser would take it for a heading); unknown headings need it.
        if section.key is None or not last_heading_like:
            lines.append("")
        lines.append(section.heading)
        blocks = section.blocks
        # Likewise after the heading, unless the first block could then pass for a heading.
        if section.key is None or not (blocks and _heading_like(blocks[0])):
            lines.append("")
        number = 0
        for block in blocks:
            if block.kind == "numbered":
                number += 1
                lines.append(f"{number}. {block.text}")
                continue
            number = 0
            lines.append(f"- {block.text}" if block.kind == "item" else block.text)
        last_heading_like = bool(blocks) and _heading_like(blocks[-1])
    return lines


def _heading_like(block: Block) -> bool:
    return block.kind in ("paragraph", "subheading") and looks_like_heading(block.text)
