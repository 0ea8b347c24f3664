"""Where each subject's statements lie in a dump file, as its writer wrote them.

A later build in which only a few subjects' statements changed rewrites only their bytes
(``patch``): it needs the byte span of each subject's block in every dump. A writer given a
``Layout`` fills it as it writes: the blocks follow each other in the file's order, the first
``head`` bytes after the file's start, each ``separator`` after the one before (JSON-LD's
``},{`` between two nodes; Turtle and N-Triples blocks touch).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Layout:
    """The blocks of one dump, in the file's order: each one's subject and size in bytes."""

    head: int = 0
    separator: bytes = b""
    subjects: list[str] = field(default_factory=list)
    sizes: array = field(default_factory=lambda: array("q"))
    members: list[int] = field(default_factory=list)  # the sizes of the gzipped copy's members
    member_firsts: list[str] = field(default_factory=list)  # and the subject each begins with
    object_keys: array | None = None  # JSON-LD's writer, which reads the triples back, keys their objects

    def record(self, subjects: Sequence[str], encoded: Sequence[bytes]) -> None:
        """Record these subjects' blocks, encoded, in order."""
        self.subjects += subjects
        self.sizes.extend(map(len, encoded))

    def add(self, subjects: Sequence[str], texts: Sequence[str]) -> bytes:
        """Record these subjects' blocks (their texts, in order) and return them encoded, with
        ``separator`` between them."""
        separator = self.separator.decode("ascii")
        whole = separator.join(texts)
        data = whole.encode("utf-8", "replace")
        self.subjects += subjects
        if len(data) == len(whole):  # all ASCII: a character is a byte
            self.sizes.extend(map(len, texts))
        else:  # str.isascii() is a flag look-up; only the others are encoded to be measured
            self.sizes.extend([len(t) if t.isascii() else len(t.encode("utf-8", "replace")) for t in texts])
        return data
