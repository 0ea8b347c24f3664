"""The dumps of a build, each streamed into its file: no dump stands whole in memory.

The N-Triples, their gzipped copy and the N-Quads come out of one pass over the sorted subjects
(the N-Quads lines are the N-Triples lines with their graph added, in the same order); threads
hash, gzip and write the pieces (files.BackgroundWriter) while the next ones are made. Turtle and
JSON-LD are written a few thousand subjects at a time; JSON-LD may be written by another process,
from the N-Triples file read back subject by subject, which needs no copy of the triples. Each
writer measures what it writes (size, SHA-256) for the catalogue, and, given a ``Layout``,
records where each subject's block lies (what a later build patches: patch.py). The gzipped
dumps are cut into members at subjects chosen by their IRI (``starts_member``).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path

from .catalog import Dump
from .files import BackgroundWriter, GzipWriter, MeasuredWriter, atomic_stream, in_background
from .jsonld import jsonld_chunks
from .layout import Layout
from .ntriples import quad_lines, subject_lines
from .serialize import jsonld_context
from .subject_index import Census, NTriplesBlocks
from .stopwatch import Stopwatch
from .triple_index import TripleIndex
from .turtle import turtle_chunks, turtle_prefixes

STEP = 4096  # subjects per piece written: some 20,000 lines


# A gzip member of the N-Triples and N-Quads dumps begins at each subject whose CRC-32 is a
# multiple of this (some 500 subjects, 700 kB of N-Triples a member): cut by content, a member
# holds the same subjects whatever changed elsewhere, so a patched build gzips only the members
# that changed again (patch.py).
MEMBER_EVERY = 512


def starts_member(subject: str) -> bool:
    return zlib.crc32(subject.encode("utf-8")) % MEMBER_EVERY == 0


def write_statements(data: TripleIndex, graphs: Mapping[str, str], out_dir: Path, watch: Stopwatch,
                     layouts: tuple[Layout, Layout] | None = None) -> list[Dump]:
    """resolis.nt, resolis.nt.gz and resolis.nq.gz (each subject in the graph ``graphs`` names);
    ``layouts``, when given, record each subject's lines in the N-Triples and the N-Quads, and
    where the gzip members begin."""
    spo = data.spo
    subjects = sorted(spo)
    with (
        atomic_stream(out_dir / "resolis.nt") as nt_file,
        atomic_stream(out_dir / "resolis.nt.gz") as nt_gz_file,
        atomic_stream(out_dir / "resolis.nq.gz") as nq_gz_file,
    ):
        nt, nt_gz, nq_gz = MeasuredWriter(nt_file), MeasuredWriter(nt_gz_file), MeasuredWriter(nq_gz_file)
        nt_zip, nq_zip = GzipWriter(nt_gz), GzipWriter(nq_gz)
        starts = [0]  # the position of each member's first subject
        with in_background(nt) as nt_out, in_background(nt_zip) as nt_zipper, in_background(nq_zip) as nq_zipper:
            for start in range(0, len(subjects), STEP):
                chunk = subjects[start : start + STEP]
                cuts = [i for i, s in enumerate(chunk) if starts_member(s) and start + i > 0]
                starts += [start + i for i in cuts]
                lines = [subject_lines(s, spo[s]) for s in chunk]
                plain = _write_members(lines, cuts, nt_zipper, nt_zip, layouts[0] if layouts else None, chunk)
                nt_out.write(plain)
                watch.lap("nt")
                quads = [quad_lines(text, graphs[s]) for s, text in zip(chunk, lines)]
                _write_members(quads, cuts, nq_zipper, nq_zip, layouts[1] if layouts else None, chunk)
                watch.lap("nq")
            if not subjects:  # an empty N-Triples dump is one empty line, as rdflib writes it
                nt_out.write(b"\n")
                nt_zipper.write(b"\n")
        watch.lap("gzip")  # what is left of the writing threads' work once the lines are made
    if layouts:
        for layout, zipper in zip(layouts, (nt_zip, nq_zip)):
            ends = [*zipper.members[1:], zipper.size]
            layout.members = [end - begin for begin, end in zip(zipper.members, ends)]
            layout.member_firsts = [subjects[position] for position in starts] if subjects else []
    return [
        Dump("resolis.nt", "nt", nt.size, nt.sha256),
        Dump("resolis.nt.gz", "nt", nt_gz.size, nt_gz.sha256, compressed=True),
        Dump("resolis.nq.gz", "nquads", nq_gz.size, nq_gz.sha256, compressed=True),
    ]


def _write_members(texts: list[str], cuts: list[int], zipper: BackgroundWriter, gzip: GzipWriter,
                   layout: Layout | None, subjects: list[str]) -> bytes:
    """The texts, encoded, into the gzip writer, a member ending before each cut; the bytes."""
    encoded = [text.encode("utf-8") for text in texts]
    if layout is not None:
        layout.record(subjects, encoded)
    pieces = []
    for a, b in zip([0, *cuts], [*cuts, len(encoded)]):
        if a in cuts:
            zipper.write(gzip.end_member)
        piece = b"".join(encoded[a:b])
        zipper.write(piece)
        pieces.append(piece)
    return b"".join(pieces)


def write_turtle(data: TripleIndex, counts: Census, out_dir: Path, base: str, layout: Layout | None = None) -> Dump:
    """resolis.ttl, from the index in memory (``counts``: its census)."""
    chunks = turtle_chunks(data.spo, turtle_prefixes(base), STEP, counts, layout=layout)
    return _write_chunks(out_dir / "resolis.ttl", "turtle", chunks)


def write_jsonld(data: TripleIndex, counts: Census, out_dir: Path, layout: Layout | None = None) -> Dump:
    """resolis.jsonld, from the index in memory (``counts``: its census)."""
    chunks = jsonld_chunks(data.spo, jsonld_context(), STEP, counts, layout)
    return _write_chunks(out_dir / "resolis.jsonld", "json-ld", chunks)


def write_jsonld_from(nt_path: Path, out_dir: Path, with_layout: bool = False) -> tuple[Dump, Stopwatch, Layout | None]:
    """resolis.jsonld from the sorted N-Triples just written, its stopwatch, and (when asked) its
    layout, with the keys of the triples' objects: what a child process does
    while the build validates. It reads the triples back from the file, as it has no share of
    the parent's index. The nodes are fully sorted, so the bytes are the same as from the index,
    whatever the order each reads the triples in."""
    watch = Stopwatch()
    keys = array("I") if with_layout else None
    triples = NTriplesBlocks(nt_path, count_references=False, object_keys=keys)
    try:
        watch.lap("read_nt")
        layout = Layout() if with_layout else None
        chunks = jsonld_chunks(triples, jsonld_context(), STEP, triples.census, layout)
        dump = _write_chunks(out_dir / "resolis.jsonld", "json-ld", chunks)
        watch.lap("json-ld")
    finally:
        triples.close()
    if layout is not None:
        layout.object_keys = keys
    return dump, watch, layout


def _write_chunks(path: Path, format_: str, chunks: Iterator[bytes]) -> Dump:
    with atomic_stream(path) as stream:
        measured = MeasuredWriter(stream)
        with in_background(measured) as writer:
            for chunk in chunks:
                writer.write(chunk)
    return Dump(path.name, format_, measured.size, measured.sha256)
