"""RDF files (our dumps, or anyone's) read into N-Triples strings, by pyoxigraph's native parsers.

``validate dist/resolis.nt`` once went through rdflib's parser and graph: 13 s for the 235,000
triples of 1,000 reports, minutes for a full build. pyoxigraph parses the same file in about a
second, and ``str`` of its terms is their N-Triples form, the very strings the build's
``TripleIndex`` holds (for our dumps, the lines of resolis.nt exactly). Gzipped files are read
too, and N-Quads and TriG as the union of their graphs.

A JSON-LD document whose context is remote (pyoxigraph loads none) is read by rdflib, which can.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .ntriples import Triple, triples_of
from .pipeline import read_graph

FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
}
REMOTE_CONTEXT = "LoadDocumentCallback"  # in pyoxigraph's error for a context it would have to download


def rdf_format(name: str) -> ox.RdfFormat | None:
    """The syntax of a file, by its extension (``.gz`` after it for a gzipped one)."""
    path = Path(name)
    suffix = Path(path.stem).suffix if path.suffix.lower() == ".gz" else path.suffix
    return FORMATS.get(suffix.lower())


def is_rdf_name(name: str) -> bool:
    return "://" not in name and rdf_format(name) is not None


def read_triples(path: Path) -> list[Triple]:
    """The triples of an RDF file as N-Triples strings (those of every graph, for quads); an
    unreadable or invalid file is an ``InputError`` naming its line."""
    format_ = rdf_format(str(path))
    if format_ is None:
        raise InputError(f"unknown RDF file type (use {', '.join(sorted(FORMATS))}, or one of them .gz)", str(path))
    data = _read(path)
    try:
        return [(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(data, format=format_)]
    except SyntaxError as error:
        if REMOTE_CONTEXT in str(error) and format_ == ox.RdfFormat.JSON_LD:
            return triples_of(read_graph(path))
        line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else None
        reason = str(error.msg).split(": ", 1)[-1] if line else str(error.msg)
        raise InputError(f"not valid {format_.name}: {reason}", str(path), line) from None


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix.lower() == ".gz" else data
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not an RDF file", str(path)) from None
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(f"cannot read: {getattr(error, 'strerror', None) or error}", str(path)) from None
