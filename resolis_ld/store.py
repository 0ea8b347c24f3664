"""Inputs -> one indexed pyoxigraph Store, the engine `query` and `serve` answer SPARQL with.

rdflib's SPARQL engine evaluates queries in Python, orders of magnitude slower than Oxigraph's
indexed store on a whole collection, so RDF files are loaded straight into the store (never
through rdflib) and report files go through the build's converter, whose N-Triples strings
the store bulk-loads.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .aliases import AliasTable
from .errors import InputError
from .batch import Collection, Outcome, convert_collection
from .ntriples import Triple
from .pipeline import is_rdf_file
from .namespaces import DEFAULT_BASE
from .serialize import EXTENSIONS

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}


def load_rdf_file(store: ox.Store, path: Path) -> None:
    """Bulk-load one Turtle, JSON-LD or N-Triples file; a bad file is an input error."""
    format_ = EXTENSIONS.get(path.suffix.lower())
    if format_ is None:
        raise InputError(f"unknown RDF file type (use {', '.join(sorted(EXTENSIONS))})", str(path))
    try:
        store.bulk_load(path=str(path), format=RDF_FORMATS[format_])
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not an RDF file", str(path)) from None
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error).split(" (")[0]
        raise InputError(f"not valid {format_}: {message}", str(path), getattr(error, "lineno", None)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", str(path)) from None


def load_triples(store: ox.Store, triples: list[Triple], step: int = 100_000) -> None:
    """Add N-Triples strings (the converter's output) to the store, ``step`` at a time: the text
    of a whole collection would take as much memory again as its triples."""
    for start in range(0, len(triples), step):
        lines = "".join([f"{s} {p} {o} .\n" for s, p, o in triples[start : start + step]])
        store.bulk_load(input=lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)


def load_store(
    names: list[str],
    base: str = DEFAULT_BASE,
    aliases: AliasTable | None = None,
    path: Path | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> tuple[ox.Store, Collection]:
    """One store (in memory, or on disk at ``path``) with every RDF file and converted report
    among ``names``; input errors are collected in the conversion, and the other inputs loaded.
    Reports are converted as ``build`` converts them (``jobs`` processes, ``cache_dir``)."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    rdf_names = [name for name in names if is_rdf_file(name)]
    report_names = [name for name in names if not is_rdf_file(name)]
    result = Collection([], [], [])
    if report_names:
        result = convert_collection(report_names, base, aliases, jobs=jobs, cache_dir=cache_dir)
        load_triples(store, result.triples)
    for name in rdf_names:
        try:
            load_rdf_file(store, Path(name))
        except InputError as error:
            result.outcomes.append(Outcome(name, error=error))
    if path is not None:
        store.flush()
    return store, result
