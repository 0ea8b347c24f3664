"""Report text -> ``model.Report``: the layout of REPORT_FORMAT.md, English or French.

The parser never drops text: a line it cannot place is kept as ``Report.unplaced`` with a
warning, an unknown section heading starts a section of its own, and a value it cannot read is
kept as written. Only a text that is not a report at all raises ``ParseError``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from . import labels as L
from .concepts import ConceptIndex, load_concepts
from .decode import decode_report, split_lines
from .errors import ParseError
from .model import (
    Address, Block, Collection, Count, Licence, Organisation, ParseWarning, Report,
    Section, Source, Text,
)
from .text import clean, fold
from .values import (
    parse_budget, parse_citation, parse_count, parse_date, parse_funding, parse_licence, parse_tags,
)

_BULLET = re.compile(r"^\s*(?:(?P<mark>[•\-*–—·▪◦])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$")
_POSTCODE_LINE = re.compile(r"^(?P<code>\d{5}|\d{4}|\d{2} \d{3})\s+(?P<town>\D.*)$")
_COLLECTION = re.compile(r"^[«\"“]\s*(?P<name>.+?)\s*[»\"”]\s*(?:\((?P<edition>.*)\))?\s*\.?$")
_SENTENCE_END = re.compile(r"[.!?;:,…]$")
_MAX_HEADING_WORDS = 12

TAG_FIELDS = {
    "solutions": "solution",
    "stature": "stature",
    "participant_types": "participant-type",
    "beneficiaries": "beneficiary",
    "domains": "domain",
}
_BEFORE_EDITORIAL = {
    "summary", "start_date", "implementation_site", "budget", "funding", "employees", "volunteers", "members",
}
COUNT_FIELDS = {"employees": "employees", "volunteers": "volunteers", "members": "members"}


@dataclass(frozen=True)
class ParsedReport:
    report: Report
    warnings: tuple[ParseWarning, ...]
    encoding: str


@dataclass
class _Line:
    number: int
    text: str  # cleaned: odd spaces folded, stripped
    bullet: str | None = None  # "item" or "numbered"
    body: str = ""  # the text without its bullet


def _lines(text: str) -> list[_Line]:
    lines = []
    for number, raw in enumerate(split_lines(text), start=1):
        line = _Line(number, clean(raw))
        if match := _BULLET.match(line.text):
            line.bullet = "numbered" if match["number"] else "item"
            line.body = match["text"].strip()
        else:
            line.body = line.text
        lines.append(line)
    return lines


def _labelled(body: str) -> tuple[str, str | None, str] | None:
    """(field, language or None, value) when a line reads "Label : value"."""
    label, colon, value = body.partition(":")
    if not colon:
        return None
    found = L.FIELD_INDEX.get(fold(label))
    if found is None:
        return None
    return found[0], found[1], clean(value)


def _section_heading(body: str) -> tuple[str, str] | None:
    """(section key, language) when a line is one of the template's headings."""
    if len(body) > L.LONGEST_HEADING or fold(body.split(" ", 1)[0]) not in L.HEADING_FIRST_WORDS:
        return None  # most lines: not worth folding whole
    return L.SECTION_INDEX.get(fold(body).rstrip(" :"))


def _recognised(lines: list[_Line]) -> int:
    """How many lines read as labels or headings: only counted for a text without a 'Logo'
    line, to tell a report from another text (reading every line twice costs a third of a parse)."""
    return sum(1 for line in lines if _labelled(line.body) or _section_heading(line.body))


def _strip_heading(body: str) -> str:
    return re.sub(r"\s*:$", "", body).strip()


@dataclass
class _Fields:
    values: dict[str, object] = field(default_factory=dict)
    org_lines: list[_Line] = field(default_factory=list)


class _ReportParser:
    def __init__(self, path: str, concepts: ConceptIndex):
        self.path = path
        self.concepts = concepts
        self.warnings: list[ParseWarning] = []
        self.votes: Counter[str] = Counter()
        self.unplaced: list[Text] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(self.path, line, message))

    def keep_unplaced(self, line: _Line, why: str) -> None:
        self.warn(line.number, f'{why}: "{_shorten(line.text)}" kept as unplaced text')
        self.unplaced.append(Text(line.text, line.number))

    def parse(self, lines: list[_Line]) -> Report:
        content = [line for line in lines if line.text]
        if not content:
            raise ParseError("the file has no text: expected a RESOLIS report", self.path)
        position = 0
        logo_name: Text | None = None
        first = content[0]
        if first.text.startswith(L.LOGO_PREFIX.strip()) and fold(first.text).startswith("logo "):
            logo_name = Text(clean(first.text[len(L.LOGO_PREFIX):]), first.number)
            position = 1
        title_line = next(
            (line for line in content[position:] if fold(line.text) not in L.CHROME_INDEX), None
        )
        header_end = next(
            (i for i, line in enumerate(lines) if not line.bullet and _section_heading(line.body)),
            len(lines),
        )
        if title_line is None or _labelled(title_line.body) or _section_heading(title_line.body):
            raise ParseError("no title: a report starts with 'Logo <organisation>' then its title", self.path)
        if logo_name is None and _recognised(lines) < 2:
            raise ParseError(
                "not a RESOLIS report: no 'Logo' line and no labels such as 'Summary :' or "
                "'Budget :' (see REPORT_FORMAT.md)",
                self.path,
            )
        if logo_name is None:
            self.warn(first.number, "no 'Logo <organisation>' line: the lead organisation is read from the organisation block")
        title = Text(title_line.text, title_line.number)
        start = lines.index(title_line) + 1
        fields = self.parse_header(lines[start:header_end])
        sections = self.parse_sections(lines[header_end:])
        language = "fr" if self.votes["fr"] > self.votes["en"] else "en"
        return self.build(language, title, logo_name, fields, sections)

    # -- header: from the title to the first section heading ---------------------------------

    def parse_header(self, lines: list[_Line]) -> _Fields:
        """Labelled lines by field; unlabelled bullets before the editorial block name the
        organisation and its address."""
        fields = _Fields()
        organisation_block_open = True
        for line in lines:
            if not line.text or L.is_chrome(line.text):
                self.vote_chrome(line)
                continue
            if len(line.body) <= L.LONGEST_CHROME and fold(line.body) in L.EDITORIAL_INDEX:
                self.votes[L.EDITORIAL_INDEX[fold(line.body)]] += 1
                organisation_block_open = False
                continue
            if labelled := _labelled(line.body):
                name, language, value = labelled
                if name not in _BEFORE_EDITORIAL:
                    organisation_block_open = False
                if language:
                    self.votes[language] += 1
                if name in fields.values:
                    self.keep_unplaced(line, f'"{line.body.partition(":")[0].strip()}" given twice')
                elif value or name in ("summary",):
                    fields.values[name] = (value, line.number)
                continue
            if collection := self.parse_collection(line):
                fields.values["collection"] = collection
                organisation_block_open = False
                continue
            if line.bullet and organisation_block_open:
                fields.org_lines.append(line)
                continue
            self.keep_unplaced(line, "this line is not part of the template")
        return fields

    def vote_chrome(self, line: _Line) -> None:
        if line.text:
            self.votes["fr" if fold(line.text) in L.FRENCH_CHROME_INDEX else "en"] += 1

    def parse_collection(self, line: _Line) -> Collection | None:
        folded = fold(line.body)
        for language, prefix, folded_prefix in L.COLLECTION_PREFIX_INDEX:
            if folded.startswith(folded_prefix):
                self.votes[language] += 1
                quote = re.search(r"[«\"“]", line.body)
                rest = line.body[quote.start():] if quote else line.body[len(prefix):].strip()
                if match := _COLLECTION.match(rest):
                    edition = clean(match["edition"]) if match["edition"] is not None else None
                    return Collection(clean(match["name"]), edition, line.number)
                self.warn(line.number, 'collection line without « name » (year); kept as the name')
                return Collection(rest, None, line.number)
        return None

    # -- sections -----------------------------------------------------------------------------

    def parse_sections(self, lines: list[_Line]) -> tuple[Section, ...]:
        sections: list[Section] = []
        current: tuple[str | None, str, int] | None = None
        blocks: list[Block] = []

        def close() -> None:
            if current is not None:
                sections.append(Section(current[0], current[1], tuple(blocks), current[2]))

        for index, line in enumerate(lines):
            if not line.text or L.is_chrome(line.text):
                self.vote_chrome(line)
                continue
            known = None if line.bullet else _section_heading(line.body)
            if known or (current is not None and self.is_unknown_heading(lines, index)):
                close()
                blocks = []
                heading = _strip_heading(line.body)
                if known:
                    self.votes[known[1]] += 1
                    current = (known[0], heading, line.number)
                else:
                    self.warn(line.number, f'unknown section "{heading}": kept as a section of its own')
                    current = (None, heading, line.number)
                continue
            if current is None:
                self.keep_unplaced(line, "text before the first section heading")
                continue
            blocks.append(Block(self.block_kind(lines, index), line.body, line.number))
        close()
        return tuple(sections)

    def is_unknown_heading(self, lines: list[_Line], index: int) -> bool:
        """A short line alone between blank lines, where a section heading would stand."""
        line = lines[index]
        before = lines[index - 1] if index else None
        after = lines[index + 1] if index + 1 < len(lines) else None
        return (
            not line.bullet
            and looks_like_heading(line.body, max_words=8)
            and (before is None or not before.text)
            and (after is None or not after.text)
        )

    def block_kind(self, lines: list[_Line], index: int) -> str:
        line = lines[index]
        if line.bullet:
            return line.bullet
        after = lines[index + 1] if index + 1 < len(lines) else None
        if after is not None and after.bullet and looks_like_heading(line.body):
            return "subheading"
        return "paragraph"

    # -- assembling the report ----------------------------------------------------------------

    def build(
        self, language: str, title: Text, logo_name: Text | None, fields: _Fields,
        sections: tuple[Section, ...],
    ) -> Report:
        values = fields.values

        def text(name: str) -> Text | None:
            if name not in values:
                return None
            value, number = values[name]
            return Text(value, number) if value else None

        def date(name: str):
            if name not in values:
                return None
            value, number = values[name]
            return parse_date(value, number, self.warn)

        report = {}
        for name, scheme in TAG_FIELDS.items():
            if name in values:
                value, number = values[name]
                report[name] = parse_tags(value, scheme, number, self.concepts, self.warn)
        if "budget" in values:
            report["budget"] = parse_budget(*values["budget"], self.warn)
        if "funding" in values:
            report["funding"] = parse_funding(*values["funding"], self.concepts)
        if "country" in values:
            value, number = values["country"]
            country, _, region = (part.strip() for part in value.partition(","))
            report["country"] = Text(country, number)
            report["region"] = Text(region, number) if region else None
        if "licence" in values:
            report["licence"] = self.parse_licence(*values["licence"])
        if "citation" in values:
            report["citation"] = parse_citation(*values["citation"], self.warn)
        return Report(
            language=language,
            title=title,
            organisation=self.organisation(logo_name, fields),
            summary=text("summary"),
            start_date=date("start_date"),
            implementation_site=text("implementation_site"),
            proofreading_date=date("proofreading_date"),
            committee_opinion=text("committee_opinion"),
            collection=values.get("collection"),
            sections=sections,
            unplaced=tuple(self.unplaced),
            title_line=title.line,
            **report,
        )

    def organisation(self, logo_name: Text | None, fields: _Fields) -> Organisation | None:
        org_lines = list(fields.org_lines)
        block_name = None
        if org_lines:
            first = org_lines.pop(0)
            block_name = Text(first.body, first.number)
        name = logo_name or block_name
        if name is None:
            if fields.values.keys() & COUNT_FIELDS.keys():
                self.warn(0, "no organisation name (no 'Logo' line, no organisation block)")
            return None
        if block_name is not None and fold(block_name.value) == fold(name.value):
            block_name = None
        address = self.address(org_lines)
        counts: dict[str, Count] = {}
        for name_, label in COUNT_FIELDS.items():
            if name_ in fields.values:
                value, number = fields.values[name_]
                counts[name_] = parse_count(value, f"the number of {label}", number, self.warn)
        return Organisation(name, block_name, address, **counts)

    def address(self, lines: list[_Line]) -> Address | None:
        if not lines:
            return None
        postal = None
        if match := _POSTCODE_LINE.match(lines[-1].body):
            last = lines.pop()
            postal = (Text(match["code"], last.number), Text(clean(match["town"]), last.number))
        if len(lines) > 1:
            for extra in lines[1:]:
                self.keep_unplaced(extra, "more address lines than street, postcode and town")
        street = Text(lines[0].body, lines[0].number) if lines else None
        return Address(street, *(postal or (None, None)))

    def parse_licence(self, value: str, number: int) -> Licence | None:
        licence = parse_licence(value, number, self.warn)
        if licence is None:
            self.unplaced.append(Text(value, number))
        return licence


def looks_like_heading(text: str, max_words: int = _MAX_HEADING_WORDS) -> bool:
    """A short line starting with a capital and not ending like a sentence."""
    words = text.split()
    return (
        0 < len(words) <= max_words
        and text[0].isupper()
        and not _SENTENCE_END.search(text[:-2].rstrip() if text.endswith(" :") else text)
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_report(
    data: bytes | str, source_name: str, concepts: ConceptIndex | None = None
) -> ParsedReport:
    """Parse one report; raises ``ParseError`` only when the text is not a report at all."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    text, encoding = decode_report(data, source_name)
    parser = _ReportParser(source_name, concepts or load_concepts())
    if encoding != "utf-8":
        parser.warn(1, f"read as {encoding}: save the file as UTF-8")
    report = parser.parse(_lines(text))
    source = Source(source_name, hashlib.sha256(data).hexdigest())
    warnings = tuple(sorted(parser.warnings, key=lambda w: w.line))
    return ParsedReport(replace(report, source=source), warnings, encoding)
