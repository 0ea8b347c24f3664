"""The dumps of a build, each streamed into its file: no dump stands whole in memory.

The N-Triples, their gzipped copy and the N-Quads come out of one pass over the sorted subjects
(the N-Quads lines are the N-Triples lines with their graph added, in the same order); threads
hash, gzip and write the pieces (files.BackgroundWriter) while the next ones are made. Turtle and
JSON-LD are written a few thousand subjects at a time; JSON-LD may be written by another process,
from the N-Triples file read back subject by subject, which needs no copy of the triples. Each
writer measures what it writes (size, SHA-256) for the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from .catalog import Dump
from .files import GzipWriter, MeasuredWriter, atomic_stream, in_background
from .jsonld import jsonld_chunks
from .layout import Layout
from .ntriples import quad_lines, subject_lines
from .serialize import jsonld_context
from .subject_index import Census, NTriplesBlocks
from .stopwatch import Stopwatch
from .triple_index import TripleIndex
from .turtle import turtle_chunks, turtle_prefixes

STEP = 4096  # subjects per piece written: some 20,000 lines


def write_statements(data: TripleIndex, graphs: Mapping[str, str], out_dir: Path, watch: Stopwatch,
                     layouts: tuple[Layout, Layout] | None = None) -> list[Dump]:
    """resolis.nt, resolis.nt.gz and resolis.nq.gz (each subject in the graph ``graphs`` names);
    ``layouts``, when given, record each subject's lines in the N-Triples and the N-Quads."""
    spo = data.spo
    subjects = sorted(spo)
    with (
        atomic_stream(out_dir / "resolis.nt") as nt_file,
        atomic_stream(out_dir / "resolis.nt.gz") as nt_gz_file,
        atomic_stream(out_dir / "resolis.nq.gz") as nq_gz_file,
    ):
        nt, nt_gz, nq_gz = MeasuredWriter(nt_file), MeasuredWriter(nt_gz_file), MeasuredWriter(nq_gz_file)
        with (
            in_background(nt) as nt_out,
            in_background(GzipWriter(nt_gz)) as nt_zipper,
            in_background(GzipWriter(nq_gz)) as nq_zipper,
        ):
            for start in range(0, len(subjects), STEP):
                chunk = subjects[start : start + STEP]
                lines = [subject_lines(s, spo[s]) for s in chunk]
                plain = layouts[0].add(chunk, lines) if layouts else "".join(lines).encode("utf-8")
                nt_out.write(plain)
                nt_zipper.write(plain)
                watch.lap("nt")
                quads = [quad_lines(text, graphs[s]) for s, text in zip(chunk, lines)]
                quads = layouts[1].add(chunk, quads) if layouts else "".join(quads).encode("utf-8")
                nq_zipper.write(quads)
                watch.lap("nq")
            if not subjects:  # an empty N-Triples dump is one empty line, as rdflib writes it
                nt_out.write(b"\n")
                nt_zipper.write(b"\n")
        watch.lap("gzip")  # what is left of the writing threads' work once the lines are made
    return [
        Dump("resolis.nt", "nt", nt.size, nt.sha256),
        Dump("resolis.nt.gz", "nt", nt_gz.size, nt_gz.sha256, compressed=True),
        Dump("resolis.nq.gz", "nquads", nq_gz.size, nq_gz.sha256, compressed=True),
    ]


def write_turtle(data: TripleIndex, counts: Census, out_dir: Path, base: str, layout: Layout | None = None) -> Dump:
    """resolis.ttl, from the index in memory (``counts``: its census)."""
    chunks = turtle_chunks(data.spo, turtle_prefixes(base), STEP, counts, layout=layout)
    return _write_chunks(out_dir / "resolis.ttl", "turtle", chunks)


def write_jsonld(data: TripleIndex, counts: Census, out_dir: Path, layout: Layout | None = None) -> Dump:
    """resolis.jsonld, from the index in memory (``counts``: its census)."""
    chunks = jsonld_chunks(data.spo, jsonld_context(), STEP, counts, layout)
    return _write_chunks(out_dir / "resolis.jsonld", "json-ld", chunks)


def write_jsonld_from(nt_path: Path, out_dir: Path, with_layout: bool = False) -> tuple[Dump, dict[str, float], Layout | None]:
    """resolis.jsonld from the sorted N-Triples just written, the seconds it took, and (when
    asked) its layout: what a child process does while the build validates. It reads the triples
    back from the file, as it has no share of the parent's index. The nodes are fully sorted, so
    the bytes are the same as from the index, whatever the order each reads the triples in."""
    watch = Stopwatch()
    triples = NTriplesBlocks(nt_path, count_references=False)
    try:
        watch.lap("read_nt")
        layout = Layout() if with_layout else None
        chunks = jsonld_chunks(triples, jsonld_context(), STEP, triples.census, layout)
        dump = _write_chunks(out_dir / "resolis.jsonld", "json-ld", chunks)
        watch.lap("json-ld")
    finally:
        triples.close()
    return dump, watch.timings, layout


def _write_chunks(path: Path, format_: str, chunks: Iterator[bytes]) -> Dump:
    with atomic_stream(path) as stream:
        measured = MeasuredWriter(stream)
        with in_background(measured) as writer:
            for chunk in chunks:
                writer.write(chunk)
    return Dump(path.name, format_, measured.size, measured.sha256)
