"""Parsers for the values of a report's labelled lines: dates, budgets, counts, funding, tags.

Each takes the value as written (already cleaned of odd spaces) and its line, and reports
what it could not read through ``warn`` instead of failing: the text is then kept as written.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Callable

from .concepts import ConceptIndex
from .labels import MONTHS, NOT_COMMUNICATED_INDEX
from .model import Budget, Citation, Count, DateValue, Funding, Licence, Tag, Text
from .text import fold, slugify

Warn = Callable[[int, str], None]

_YEAR = re.compile(r"^(\d{4})$")
_MONTH_YEAR = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")


def parse_date(text: str, line: int, warn: Warn) -> DateValue:
    """``2007``, ``June 2012`` / ``juin 2012``, ``01/09/2011 [00:00]`` or ``2009-2012``."""
    if match := _YEAR.match(text):
        return DateValue(match[1], line=line)
    if match := _YEAR_RANGE.match(text):
        start, end = match[1], match[2]
        if end < start:
            warn(line, f'date range "{text}" ends before it starts; kept as written')
        return DateValue(start, end, line=line)
    if (match := _MONTH_YEAR.match(text)) and fold(match[1]) in MONTHS:
        return DateValue(f"{match[2]}-{MONTHS[fold(match[1])]:02d}", line=line)
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            pass
        else:
            if match[4] and (int(match[4]), int(match[5])) != (0, 0):
                warn(line, f'the time in "{text}" is dropped: only the day is kept')
            return DateValue(date.isoformat(), line=line)
    warn(
        line,
        f'date "{text}" is not a year, a month ("June 2012"), a day ("01/09/2011") '
        'or a range ("2009-2012"); kept as text',
    )
    return DateValue(None, text=text, line=line)


_COUNT = re.compile(r"^\d{1,3}(?:[ .,]\d{3})+$|^\d+$")


def parse_count(text: str, what: str, line: int, warn: Warn) -> Count:
    """A whole number such as ``6`` or ``1 200``; anything else is kept as text."""
    if _COUNT.match(text):
        return Count(int(re.sub(r"[ .,]", "", text)), line=line)
    warn(line, f'{what} "{text}" is not a whole number (write e.g. "12"); kept as text')
    return Count(None, text=text, line=line)


# Currency markers, folded, longest first; "k€" multiplies by a thousand.
_CURRENCIES = [
    ("keuros", "EUR", 1000), ("k euros", "EUR", 1000), ("keur", "EUR", 1000),
    ("k eur", "EUR", 1000), ("k€", "EUR", 1000), ("k €", "EUR", 1000),
    ("m€", "EUR", 1_000_000), ("euros", "EUR", 1), ("euro", "EUR", 1), ("eur", "EUR", 1),
    ("€", "EUR", 1), ("usd", "USD", 1), ("us$", "USD", 1), ("$", "USD", 1), ("gbp", "GBP", 1),
    ("£", "GBP", 1), ("chf", "CHF", 1), ("fcfa", "XOF", 1), ("xof", "XOF", 1),
]
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?")


def _decimal(number: str) -> Decimal:
    """``15 000`` / ``40,000`` / ``1.200.000`` / ``12,5``: guess separators from the groups."""
    number = re.sub(r"[ \u00a0\u202f]", "", number)
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        number = number.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in number:
        grouped = re.fullmatch(r"\d{1,3}(,\d{3})+", number)
        number = number.replace(",", "" if grouped else ".")
    elif "." in number and re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", number):
        number = number.replace(".", "")
    return Decimal(number)


def is_not_communicated(text: str) -> bool:
    """"Not communicated" / "Non communiqué": the report says it gives no amount."""
    return fold(text).rstrip(".") in NOT_COMMUNICATED_INDEX


def parse_budget(text: str, line: int, warn: Warn) -> Budget:
    """An amount in euros unless another currency is written; words around it become a comment."""
    if is_not_communicated(text):
        return Budget(None, None, None, text, line)
    numbers = list(_NUMBER.finditer(text))
    if len(numbers) != 1:
        warn(line, f'budget "{text}" is not one amount (write e.g. "12 000 €"); kept as text')
        return Budget(None, None, None, text, line)
    found = numbers[0]
    try:
        amount = _decimal(found[0])
    except InvalidOperation:
        warn(line, f'budget "{text}" is not an amount (write e.g. "12 000 €"); kept as text')
        return Budget(None, None, None, text, line)
    rest = (text[: found.start()] + " \0 " + text[found.end():]).strip()
    currency, multiplier = "EUR", 1
    folded_rest = rest.casefold()
    for marker, code, factor in _CURRENCIES:
        position = _find_marker(folded_rest, marker)
        if position >= 0:
            currency, multiplier = code, factor
            rest = rest[:position] + rest[position + len(marker):]
            break
    comment = re.sub(r"\s+", " ", rest.replace("\0", " ")).strip(" ,;:-()")
    return Budget(amount * multiplier, currency, comment or None, text, line)


def _find_marker(text: str, marker: str) -> int:
    """Where a currency marker stands as a word of its own (so "eur" is not found in "neuro")."""
    for match in re.finditer(re.escape(marker), text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if not (marker[0].isalpha() and before.isalpha()) and not (marker[-1].isalpha() and after.isalpha()):
            return match.start()
    return -1


def split_outside_parentheses(text: str, separators: re.Pattern[str]) -> list[str]:
    """Split on a pattern, except inside parentheses: "CUCS (Urban, Social) of X" stays whole."""
    parts, depth, start, position = [], 0, 0, 0
    while position < len(text):
        char = text[position]
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif depth == 0 and (match := separators.match(text, position)):
            parts.append(text[start:position])
            start = position = match.end()
            continue
        position += 1
    parts.append(text[start:])
    return [part.strip(" .;") for part in parts if part.strip(" .;")]


_FUNDER_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+(?:and|et|&)\s+", re.IGNORECASE)
_TYPE_THEN_FUNDERS = re.compile(r"^(.+?)\s*(?::|\s[-–—]\s)\s*(.+)$")


def parse_funding(text: str, line: int, concepts: ConceptIndex) -> Funding:
    """A funding type, a list of funders, or ``Type: funder, funder and funder``."""
    value = text.rstrip(" .")
    if concept := concepts.find("funding-type", value):
        return Funding(_tag(concept.scheme, concept.key, value, line), (), text, line)
    funding_type = None
    if (match := _TYPE_THEN_FUNDERS.match(value)) and (concept := concepts.find("funding-type", match[1])):
        funding_type = _tag(concept.scheme, concept.key, match[1], line)
        value = match[2]
    funders = tuple(Text(name, line) for name in split_outside_parentheses(value, _FUNDER_SEPARATORS))
    return Funding(funding_type, funders, text, line)


def _tag(scheme: str, key: str, label: str, line: int) -> Tag:
    return Tag(scheme, key, True, label, line)


def parse_tags(text: str, scheme: str, line: int, concepts: ConceptIndex, warn: Warn) -> tuple[Tag, ...]:
    """Split a tag line by the known labels, longest first; commas alone cannot be trusted.

    "Education Social exclusion and isolation" is two labels; "Pupil, students" is one. Text that
    matches no label, up to the next comma or known label, becomes a new concept (with a warning).
    """
    folded = fold(text)
    # fold() may change lengths (œ -> oe), so work on the folded text and map labels back by position
    # only for unknown labels, which are rare; known labels are written in the concept's own label.
    tags: list[Tag] = []
    position = 0
    unknown_start: int | None = None

    def flush_unknown(end: int) -> None:
        nonlocal unknown_start
        if unknown_start is None:
            return
        label = folded[unknown_start:end].strip(" ,;")
        original = _original_span(text, label)
        if label:
            warn(line, f'"{original}" is not in the {scheme} list; kept as a new concept')
            tags.append(Tag(scheme, slugify(label), False, original, line))
        unknown_start = None

    while position < len(folded):
        if folded[position] in " ,;":
            if folded[position] in ",;":
                flush_unknown(position)
            position += 1
            continue
        at_word_start = position == 0 or not folded[position - 1].isalnum()
        match = None
        if at_word_start:
            for label, concept in concepts.labels_starting_with(scheme, folded[position]):
                end = position + len(label)
                if folded.startswith(label, position) and (end == len(folded) or not folded[end].isalnum()):
                    match = (label, concept, end)
                    break
        if match:
            flush_unknown(position)
            label, concept, end = match
            tags.append(Tag(scheme, concept.key, True, _original_span(text, label), line))
            position = end
            continue
        if unknown_start is None:
            unknown_start = position
        position += 1
    flush_unknown(len(folded))
    return _unique(tags)


def _original_span(text: str, folded_label: str) -> str:
    """The words of ``text`` that fold to ``folded_label`` (for messages and labels as written)."""
    words = text.split()
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            candidate = " ".join(words[start:end])
            if fold(candidate).strip(" ,;") == folded_label:
                return candidate.strip(" ,;")
    return folded_label


def _unique(tags: list[Tag]) -> tuple[Tag, ...]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for tag in tags:
        if (tag.scheme, tag.key) not in seen:
            seen.add((tag.scheme, tag.key))
            unique.append(tag)
    return tuple(unique)


_LICENCE_IRI = re.compile(r"\(\s*(?P<iri>https?://[^\s)]+)\s*\)")
_LICENCE_WORDS = ("licence ", "license ")


def parse_licence(text: str, line: int, warn: Warn) -> Licence | None:
    """``Licence Creative Commons Attribution 3.0 ( http://… )`` -> the IRI and the licence's name."""
    if not (match := _LICENCE_IRI.search(text)):
        warn(line, f'licence "{text}" has no "( http://… )" IRI; kept as unplaced text')
        return None
    name = text[: match.start()].strip()
    for word in _LICENCE_WORDS:
        if name.casefold().startswith(word):
            name = name[len(word):].strip()
    return Licence(match["iri"], name, line)


_CITATION = re.compile(
    r"^(?P<author>.*?)\s*,\s*[«\"“]\s*(?P<title>.+?)\s*[»\"”]\s*,\s*(?:\*\*)?(?P<journal>[^*(]+?)(?:\*\*)?"
    r"\s*\((?P<year>\d{4})\)\s*\.?$"
)


def parse_citation(text: str, line: int, warn: Warn) -> Citation:
    """``Lebreton Christine , « title », **Journal RESOLIS** (2015)``: the journal writes the
    surname first, so the last word of the author is taken as the given name."""
    match = _CITATION.match(text)
    if not match:
        warn(line, "the citation is not 'Surname Given , « title », Journal (year)'; kept as text")
        return Citation(text, None, None, None, None, line)
    words = match["author"].split()
    family = " ".join(words[:-1]) if len(words) > 1 else (words[0] if words else None)
    given = words[-1] if len(words) > 1 else None
    return Citation(text, family, given, match["title"].strip(), match["year"], line)
