"""Small text helpers shared by the parser, the mapping and the renderer."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def clean(text: str) -> str:
    """Fold non-breaking spaces and runs of blanks into one space, and strip."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """A matching key: no accents, no case, one kind of apostrophe, single spaces."""
    if text.isascii():  # nothing to decompose: the common case, made cheap
        return clean(text).casefold()
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return clean(text).casefold()


def slugify(text: str, max_length: int = 80) -> str:
    """A readable IRI segment: ascii, lower case, words joined by '-', cut at a word boundary."""
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "unnamed"
