"""Triples by subject, in memory or read back from a sorted N-Triples file, and their census.

The Turtle and JSON-LD writers walk a graph subject by subject (``Index``: subject -> predicate
-> objects). Before their first byte they need a few facts about the whole graph: the predicates
in the order met, how often each IRI is an object, the datatypes of the literals (``Census``).

A build has just written ``resolis.nt``, sorted by subject; ``NTriplesBlocks`` reads that file
back, one subject's lines at a time (out of a window of the file read at once, as the writers
mostly ask in the file's order), so that the process writing Turtle and JSON-LD needs no copy
of the triples in memory (a forked child that walked the parent's index would touch, and so
copy, every page of it).
"""

from __future__ import annotations

import os
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zlib import crc32

Index = Mapping[str, Mapping[str, list[str]]]  # subject -> predicate -> objects, all distinct


@dataclass
class Census:
    """What a writer must know of the whole graph before it writes: the predicates in the order
    first met, how many triples have each IRI (or blank node) as object, the literals' datatypes."""

    predicates: dict[str, None] = field(default_factory=dict)
    references: Counter[str] = field(default_factory=Counter)
    datatypes: set[str] = field(default_factory=set)
    blank: str | None = None  # a blank node among the objects, if any (the writers refuse them)


def census(spo: Index) -> Census:
    """The census of an index in memory."""
    found = Census()
    predicates, references, datatypes = found.predicates, found.references, found.datatypes
    for by_p in spo.values():
        for p, objects in by_p.items():
            if p not in predicates:
                predicates[p] = None
            for o in objects:
                if o[0] != '"':
                    references[o] += 1
                    if o[0] == "_":
                        found.blank = o
                elif o[-1] == ">":  # "lexical"^^<datatype>
                    datatypes.add(o[o.rindex("^^") + 2 :])
    return found


def _scan(path: Path, count_references: bool, object_keys: array | None = None) -> tuple[dict[str, tuple[int, int]], Census]:
    """Each subject's block, and the census (without ``references`` unless asked: JSON-LD
    does without them, and they are a counter of every IRI). The lines stay bytes: only a
    new subject or predicate, and what the census keeps, is decoded. ``object_keys``, when
    given, receives the CRC-32 of each line's object and end (see snapshot.object_key)."""
    predicates: dict[bytes, None] = {}
    references: Counter[bytes] = Counter()
    datatypes: set[bytes] = set()
    blocks: dict[bytes, tuple[int, int]] = {}
    subject, start, offset, blank = b"", 0, 0, b""
    with open(path, "rb") as stream:
        for raw in stream:
            if raw == b"\n":  # the one line of an empty graph's dump
                offset += 1
                continue
            s, p, o = raw.split(b" ", 2)  # "s p o .\n": s and p hold no space
            if object_keys is not None:
                object_keys.append(crc32(o))
            if s != subject:
                if subject:
                    blocks[subject] = (start, offset - start)
                subject, start = s, offset
            offset += len(raw)
            if p not in predicates:
                predicates[p] = None
            if o[0] != 34:  # not '"': an IRI or a blank node
                if count_references:
                    references[o[:-3]] += 1
                if o[0] == 95:  # "_"
                    blank = o[:-3]
            elif o[-4] == 62:  # '"lexical"^^<datatype> .\n'
                datatypes.add(o[o.rindex(b"^^") + 2 : -3])
    if subject:
        blocks[subject] = (start, offset - start)
    return {s.decode("utf-8"): block for s, block in blocks.items()}, _decoded(predicates, references, datatypes, blank)


def _decoded(predicates: dict[bytes, None], references: Counter[bytes], datatypes: set[bytes], blank: bytes) -> Census:
    """The census of terms kept as bytes while scanning."""
    return Census(
        dict.fromkeys(p.decode("utf-8") for p in predicates),
        Counter({o.decode("utf-8"): n for o, n in references.items()}),
        {d.decode("utf-8") for d in datatypes},
        blank.decode("utf-8") or None,
    )


WINDOW = 1 << 20  # bytes read at once: the writers ask for the subjects mostly in the file's order


class NTriplesBlocks(Mapping[str, dict[str, list[str]]]):
    """A sorted N-Triples file (as ``dump_writers.write_statements`` writes it: each subject's
    lines together, no blank line, no comment) as an ``Index``: each subject's lines are read
    again when asked for. Its census is taken as the file is first read through."""

    def __init__(self, path: Path, count_references: bool = True, object_keys: array | None = None) -> None:
        self.blocks: dict[str, tuple[int, int]]  # subject -> (offset, length) in bytes
        self.blocks, self.census = _scan(path, count_references, object_keys)
        self._fd = os.open(path, os.O_RDONLY)
        self._window, self._window_offset = b"", 0

    def predicate_objects(self, subject: str) -> list[str]:
        """The subject's lines without the subject and the final " .": ``"p o"`` strings, which
        a writer may look up whole. They come from the window of the file last read when they
        lie in it: the writers ask mostly in the file's order, and a read is a system call."""
        offset, length = self.blocks[subject]
        start = offset - self._window_offset
        if start < 0 or start + length > len(self._window):
            self._window, self._window_offset, start = os.pread(self._fd, max(length, WINDOW), offset), offset, 0
        text = self._window[start : start + length].decode("utf-8")
        return text[len(subject) + 1 : -3].split(f" .\n{subject} ")  # a literal holds no newline

    def __getitem__(self, subject: str) -> dict[str, list[str]]:
        by_p: dict[str, list[str]] = {}
        for line in self.predicate_objects(subject):
            p, o = line.split(" ", 1)
            objects = by_p.get(p)
            if objects is None:
                by_p[p] = [o]
            else:
                objects.append(o)
        return by_p

    def __iter__(self) -> Iterator[str]:
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def close(self) -> None:
        os.close(self._fd)
