"""Graph -> Turtle / JSON-LD / N-Triples / N-Quads bytes, the same bytes for the same graph.

rdflib's writers are deterministic only up to the order in which they meet triples, so each
format is put in a canonical order here: Turtle by rdflib's sorted subjects, N-Triples as sorted
lines, JSON-LD with its nodes sorted by ``@id`` and its keys and values sorted. The graphs we
write have no blank nodes, which is what makes a canonical order possible at all. N-Quads are
sorted lines too, and gzip is written without a time stamp or file name, so that compressed dumps
are as byte-stable as the rest.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Graph

from .jsonld import jsonld_bytes
from .ntriples import triples_of
from .resources import resource
from .turtle import turtle_bytes

FORMATS = {"turtle": ".ttl", "json-ld": ".jsonld", "nt": ".nt"}
EXTENSIONS = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt"}


@cache
def jsonld_context() -> dict[str, Any]:
    """The context shipped as ``ontology/context.jsonld``, embedded so the output works offline."""
    return json.loads(resource("ontology", "context.jsonld").read_text(encoding="utf-8"))["@context"]


def serialize(graph: Graph, format: str) -> bytes:
    """The graph in one of FORMATS, UTF-8, ending with a newline."""
    if format == "turtle":
        return _turtle(graph)
    if format == "nt":
        return _ntriples(graph)
    if format == "json-ld":
        return _jsonld(graph)
    raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")


def _turtle(graph: Graph) -> bytes:
    """rdflib's Turtle, written by resolis_ld.turtle from the graph's triples and prefixes."""
    return turtle_bytes(triples_of(graph), {prefix: str(namespace) for prefix, namespace in graph.namespaces()})


def rdflib_turtle(graph: Graph) -> bytes:
    """rdflib's own Turtle writer, some 30 times slower: the reference the fast one must equal."""
    text = graph.serialize(format="turtle", encoding="utf-8")
    return text.rstrip(b"\n") + b"\n"


def _ntriples(graph: Graph) -> bytes:
    text = graph.serialize(format="nt", encoding="utf-8")
    lines = sorted(set(line for line in text.split(b"\n") if line.strip()))
    return b"\n".join(lines) + b"\n"


def _jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with our context embedded, by resolis_ld.jsonld: nodes sorted by @id,
    their keys and values sorted, so equal graphs print alike."""
    return jsonld_bytes(triples_of(graph), jsonld_context())
