"""A RESOLIS report as typed, immutable values.

Every value remembers the line it came from (``line``, left out of equality so that a report
parsed from a rendering equals the original). Standard library only: the model is what the
parser produces, what the mapping turns into RDF, and what ``render`` rebuilds from a graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

BlockKind = Literal["paragraph", "item", "numbered", "subheading"]


@dataclass(frozen=True)
class Text:
    """A piece of text as written."""

    value: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text: ISO lexical forms, or the raw text when unparseable."""

    start: str | None  # "2007", "2012-06" or "2011-09-01"
    end: str | None = None  # only for a year range such as "2009-2012"
    text: str | None = None  # set only when the value could not be parsed
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Count:
    """A head count; ``text`` holds what was written when it is not a whole number."""

    value: int | None
    text: str | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Budget:
    """A budget line: an amount (or none, e.g. "Not communicated") and the text around it."""

    amount: Decimal | None
    currency: str | None
    comment: str | None
    written: str  # the value as written, kept as the amount's label
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Tag:
    """A label from a controlled list, or a new label kept as a new concept."""

    scheme: str  # "solution", "domain", "beneficiary", "participant-type", "stature", "funding-type"
    key: str  # the concept's slug within its scheme
    known: bool  # False when the label is not in the controlled list
    label: str = field(default="", compare=False)  # as written
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Funding:
    """The funding line: a funding type, named funders, or both."""

    funding_type: Tag | None
    funders: tuple[Text, ...]
    written: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Address:
    street: Text | None = None
    postal_code: Text | None = None
    locality: Text | None = None


@dataclass(frozen=True)
class Organisation:
    """The lead organisation: the logo line's name and the organisation block."""

    name: Text
    block_name: Text | None = None  # the block's name when it differs from the logo line
    address: Address | None = None
    employees: Count | None = None
    volunteers: Count | None = None
    members: Count | None = None


@dataclass(frozen=True)
class Collection:
    """The RESOLIS collection the report belongs to, e.g. « Poverty France » (Reso77 (2014))."""

    name: str
    edition: str | None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Licence:
    iri: str
    label: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Citation:
    """The "To reference…" line, with the author split as the journal writes it (surname first)."""

    text: str
    family_name: str | None
    given_name: str | None
    title: str | None
    year: str | None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Block:
    """A paragraph, a list item or a sub-heading inside a section."""

    kind: BlockKind
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Section:
    """A narrative section; ``key`` is None for a heading the template does not know."""

    key: str | None
    heading: str
    blocks: tuple[Block, ...]
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Source:
    """Where a report's bytes came from: a file name as given, or a URL with its retrieval."""

    name: str
    sha256: str
    url: str | None = None  # the web page, as requested (percent-encoded)
    retrieved: str | None = None  # when its bytes were downloaded: xsd:dateTime, UTC


@dataclass(frozen=True)
class Report:
    """Everything a RESOLIS report says, in template order."""

    language: str  # "en" or "fr"
    title: Text
    organisation: Organisation | None
    summary: Text | None = None
    start_date: DateValue | None = None
    implementation_site: Text | None = None
    budget: Budget | None = None
    funding: Funding | None = None
    proofreading_date: DateValue | None = None
    committee_opinion: Text | None = None
    solutions: tuple[Tag, ...] = ()
    country: Text | None = None
    region: Text | None = None
    stature: tuple[Tag, ...] = ()
    participant_types: tuple[Tag, ...] = ()
    beneficiaries: tuple[Tag, ...] = ()
    domains: tuple[Tag, ...] = ()
    collection: Collection | None = None
    licence: Licence | None = None
    citation: Citation | None = None
    sections: tuple[Section, ...] = ()
    unplaced: tuple[Text, ...] = ()
    source: Source | None = field(default=None, compare=False)
    title_line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ParseWarning:
    """A problem the parser worked around; printed as ``FILE:LINE: warning: message``."""

    path: str
    line: int | None  # None for a warning about the whole input (how a page was read)
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"
