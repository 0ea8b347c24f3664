"""Triples as N-Triples strings: the light form the fast build path moves between its stages.

An rdflib ``Graph`` costs some 20 µs a triple to fill and its writers a hundred more; a tuple of
three strings costs next to nothing to make, to send from a worker process, to hash, to sort and
to write. Each string is the term exactly as rdflib's N-Triples serializer writes it
(``<iri>``, ``"text"@en``, ``"12"^^<http://www.w3.org/2001/XMLSchema#integer>``), so a line of
``resolis.nt`` is ``f"{s} {p} {o} ."`` and both paths give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Triple = tuple[str, str, str]


def quote(lexical: str) -> str:
    """A literal's lexical form between quotes, escaped as rdflib's N-Triples writer does."""
    if "\\" in lexical or "\n" in lexical or '"' in lexical or "\r" in lexical:
        lexical = lexical.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    return f'"{lexical}"'


def nt_term(node: Node) -> str:
    """The N-Triples form of an rdflib term."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return f"{quote(str(node))}@{node.language}"
        if node.datatype:
            return f"{quote(str(node))}^^<{node.datatype}>"
        return quote(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def _unquote(text: str) -> str:
    if "\\" not in text:
        return text
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            escaped = next(chars)
            out.append({"n": "\n", "r": "\r", '"': '"', "\\": "\\", "t": "\t"}.get(escaped, "\\" + escaped))
        else:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=65536)
def node_from_nt(term: str) -> Node:
    """The rdflib term of an N-Triples term written by ``nt_term``."""
    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == "_":
        return BNode(term[2:])
    end = term.rindex('"')
    lexical = _unquote(term[1:end])
    rest = term[end + 1 :]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if rest.startswith("^^"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    return Literal(lexical)


def triples_of(graph: Graph) -> list[Triple]:
    """A graph's triples as N-Triples strings."""
    return [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in graph]


def graph_of(triples: Iterable[Triple], graph: Graph | None = None) -> Graph:
    """An rdflib graph holding the triples (added to ``graph`` when one is given)."""
    graph = graph if graph is not None else Graph()
    graph.addN((node_from_nt(s), node_from_nt(p), node_from_nt(o), graph) for s, p, o in triples)
    return graph


def ntriples_bytes(triples: Iterable[Triple], distinct: bool = False) -> bytes:
    """``resolis.nt``: the distinct lines, sorted, UTF-8, ending with a newline (``distinct``:
    the triples are known to be, so no set of two million lines is made to check)."""
    lines = [f"{s} {p} {o} ." for s, p, o in triples] if distinct else list({f"{s} {p} {o} ." for s, p, o in triples})
    lines.sort()
    return _encoded(lines) if lines else b"\n"


def _encoded(lines: list[str]) -> bytes:
    """The lines, each ended by a newline, as UTF-8; encoded a slice at a time, so that the whole
    text never stands in memory twice (as a str, then as bytes)."""
    step = 65536
    return b"".join(("\n".join(lines[i : i + step]) + "\n").encode("utf-8") for i in range(0, len(lines), step))


def subject_lines(subject: str, by_predicate: Mapping[str, list[str]]) -> str:
    """A subject's N-Triples lines (distinct triples), sorted as ``ntriples_bytes`` sorts them.

    Sorting by subject, then predicate, then object orders the lines as sorting the lines does:
    two terms differ before one of them ends, except a literal and the same literal tagged or
    typed (``"a"`` and ``"a"@en``), and there the shorter goes first either way, because the
    space after a term sorts before ``@`` and ``^``.
    """
    parts = []
    for p in sorted(by_predicate):
        objects = by_predicate[p]
        head = f"{subject} {p} "
        if len(objects) == 1:
            parts.append(f"{head}{objects[0]} .\n")
        else:
            parts.extend([f"{head}{o} .\n" for o in sorted(objects)])
    return "".join(parts)


def quad_lines(lines: str, graph: str) -> str:
    """``subject_lines`` as N-Quads in ``graph``. The lines of one subject sort alike with or
    without a graph name that is the same on all of them, and a line can end with " ." only at
    its end (a newline inside a literal is written ``\\n``)."""
    return lines.replace(" .\n", f" {graph} .\n")
