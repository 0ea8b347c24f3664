"""Inputs -> one indexed pyoxigraph Store, the engine `query` and `serve` answer SPARQL with.

rdflib's SPARQL engine evaluates queries in Python, orders of magnitude slower than Oxigraph's
indexed store on a whole collection, so RDF files are loaded straight into the store (never
through rdflib) and only report files go through the converter.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .aliases import AliasTable
from .errors import InputError
from .pipeline import Conversion, convert, is_rdf_file
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


def load_graph(store: ox.Store, graph) -> None:
    """Add an rdflib graph (the converter's output) to the store, through N-Triples."""
    if len(graph):
        store.bulk_load(input=graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)


def load_store(
    names: list[str],
    base: str = DEFAULT_BASE,
    aliases: AliasTable | None = None,
    path: Path | None = None,
) -> tuple[ox.Store, Conversion]:
    """One store (in memory, or on disk at ``path``) with every RDF file and converted report
    among ``names``; input errors are collected in the conversion, and the other inputs loaded."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    rdf_names = [name for name in names if is_rdf_file(name)]
    report_names = [name for name in names if not is_rdf_file(name)]
    result = Conversion()
    if report_names:
        result = convert(report_names, base, aliases)
        load_graph(store, result.graph)
    for name in rdf_names:
        try:
            load_rdf_file(store, Path(name))
        except InputError as error:
            result.errors.append(error)
    if path is not None:
        store.flush()
    return store, result
