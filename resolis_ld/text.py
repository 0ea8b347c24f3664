"""Small text helpers shared by the parser, the mapping and the renderer."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def clean(text: str) -> str:
    """Fold non-breaking spaces and runs of blanks into one space, and strip."""
    if _single_spaces_only(text):  # most lines: the substitution would change nothing
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def _single_spaces_only(text: str) -> bool:
    """No blank that ``_SPACES`` would replace by something else (a few substring tests cost
    less than a substitution that rebuilds the line)."""
    if "  " in text or "\t" in text:
        return False
    return text.isascii() or not ("\u00a0" in text or "\u202f" in text or "\u2007" in text)


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """A matching key: no accents, no case, one kind of apostrophe, single spaces.

    Cached: the parser folds the same few thousand strings (labels, headings, page chrome,
    tag labels) again and again, a dozen times a report and more.
    """
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
