"""Triples by subject, in memory or read back from a sorted N-Triples file, and their census.

The Turtle and JSON-LD writers walk a graph subject by subject (``Index``: subject -> predicate
-> objects). Before their first byte they need a few facts about the whole graph: the predicates
in the order met, how often each IRI is an object, the datatypes of the literals (``Census``).

A build has just written ``resolis.nt``, sorted by subject; ``NTriplesBlocks`` reads that file
back, one subject's lines at a time, so that the process writing Turtle and JSON-LD needs no copy
of the triples in memory (a forked child that walked the parent's index would touch, and so
copy, every page of it).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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


class NTriplesBlocks(Mapping[str, dict[str, list[str]]]):
    """A sorted N-Triples file (as ``dump_writers.write_statements`` writes it: each subject's
    lines together, no blank line, no comment) as an ``Index``: each subject's lines are read
    again when asked for. Its census is taken as the file is first read through."""

    def __init__(self, path: Path, count_references: bool = True) -> None:
        self.blocks: dict[str, tuple[int, int]] = {}  # subject -> (offset, length) in bytes
        self.census = Census()
        self._scan(path, count_references)
        self._fd = os.open(path, os.O_RDONLY)

    def _scan(self, path: Path, count_references: bool) -> None:
        """Each subject's block, and the census (without ``references`` unless asked: JSON-LD
        does without them, and they are a counter of every IRI)."""
        predicates, references, datatypes = self.census.predicates, self.census.references, self.census.datatypes
        blocks = self.blocks
        subject, start, offset = "", 0, 0
        with open(path, "rb") as stream:
            for raw in stream:
                if raw == b"\n":  # the one line of an empty graph's dump
                    offset += 1
                    continue
                s, p, o = raw.decode("utf-8").split(" ", 2)  # "s p o .\n": s and p hold no space
                if s != subject:
                    if subject:
                        blocks[subject] = (start, offset - start)
                    subject, start = s, offset
                offset += len(raw)
                if p not in predicates:
                    predicates[p] = None
                if o[0] != '"':
                    if count_references:
                        references[o[:-3]] += 1
                    if o[0] == "_":
                        self.census.blank = o[:-3]
                elif o[-4] == ">":  # "lexical"^^<datatype> .\n
                    datatypes.add(o[o.rindex("^^") + 2 : -3])
        if subject:
            blocks[subject] = (start, offset - start)

    def __getitem__(self, subject: str) -> dict[str, list[str]]:
        offset, length = self.blocks[subject]
        by_p: dict[str, list[str]] = {}
        for line in os.pread(self._fd, length, offset).decode("utf-8").split(" .\n")[:-1]:
            _, p, o = line.split(" ", 2)
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
