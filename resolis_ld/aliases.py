"""The curated organisation table: name variants -> one organisation (``data/organisations.csv``).

Columns: ``name`` (a variant as reports write it), ``organisation`` (the slug of the one
organisation it denotes), ``same_as`` (optional IRI in another dataset, e.g. Wikidata). Several
rows may share an organisation; matching ignores case, accents and spacing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .text import fold, slugify

COLUMNS = ("name", "organisation", "same_as")


@dataclass(frozen=True)
class Alias:
    organisation: str
    same_as: str | None


class AliasTable:
    def __init__(self, aliases: dict[str, Alias] | None = None):
        self._aliases = aliases or {}

    def find(self, name: str) -> Alias | None:
        return self._aliases.get(fold(name))

    def __len__(self) -> int:
        return len(self._aliases)

    def rows(self) -> list[tuple[str, str, str]]:
        """(folded name, organisation, same_as or ""), sorted: the table as plain data."""
        return sorted((name, alias.organisation, alias.same_as or "") for name, alias in self._aliases.items())

    @classmethod
    def from_rows(cls, rows: list[list[str]]) -> AliasTable:
        return cls({name: Alias(organisation, same_as or None) for name, organisation, same_as in rows})

    def fingerprint(self) -> str:
        """The table's content, in a stable order: it decides IRIs, so build caches key on it."""
        return repr(self.rows())


def read_alias_table(path: Path) -> AliasTable:
    """Read the table; a malformed row is an input error naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the organisation table: {error}", str(path)) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS[:2] if column not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            f"the organisation table needs the columns {', '.join(COLUMNS)} (missing: {', '.join(missing)})",
            str(path),
            1,
        )
    aliases: dict[str, Alias] = {}
    for row in reader:
        name, organisation = (row.get("name") or "").strip(), (row.get("organisation") or "").strip()
        if not name or not organisation:
            raise InputError("a row needs both a name and an organisation", str(path), reader.line_num)
        if slugify(organisation) != organisation:
            raise InputError(
                f'organisation "{organisation}" is not a slug (write e.g. "{slugify(organisation)}")',
                str(path),
                reader.line_num,
            )
        same_as = (row.get("same_as") or "").strip() or None
        if same_as and not same_as.startswith(("http://", "https://")):
            raise InputError(f'same_as "{same_as}" is not an http(s) IRI', str(path), reader.line_num)
        aliases[fold(name)] = Alias(organisation, same_as)
    return AliasTable(aliases)
