"""A read-only, indexed set of N-Triples strings that answers like an rdflib ``Graph``.

The build's fast path never fills an rdflib graph (20 µs a triple); validation, the catalogue,
VoID and LICENSE.txt still ask a graph questions (``value``, ``objects``, ``subjects``, ``in``).
This class answers them from two dictionaries over the strings and makes rdflib terms only for
what is asked, so the code that asks works on either. Stages that need raw speed (closures, the
dumps) read the strings directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from rdflib import Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from .namespaces import DEFAULT_BASE, bind_prefixes
from .ntriples import Triple, node_from_nt, nt_term, triples_of
from .subject_index import Census

# What ``ntriples.quote`` escapes, and what each escape stands for ("\\t" too, as node_from_nt reads it).
_ESCAPES = (('\\"', '"'), ("\\n", "\n"), ("\\r", "\r"), ("\\t", "\t"))


def unescape(body: str) -> str:
    """A literal's text from its quoted N-Triples body, as ``node_from_nt`` reads it, with C-level
    string methods rather than its loop over each character (seconds on long escaped texts).

    Splitting on the escaped backslashes first leaves in each part only backslashes that start
    one of the other escapes, so the replacements cannot meet each other's output."""
    if "\\" not in body:
        return body
    parts = body.split("\\\\")
    for escaped, char in _ESCAPES:
        parts = [part.replace(escaped, char) for part in parts]
    return "\\".join(parts)


class TripleIndex:
    """Distinct triples, indexed by subject and by predicate."""

    def __init__(self, triples: Iterable[Triple], base: str = DEFAULT_BASE):
        self.spo: dict[str, dict[str, list[str]]] = {}
        self.by_predicate: dict[str, list[tuple[str, str]]] = {}
        self.base = base
        seen: set[Triple] = set()
        # The writers' census is counted here, while each object is in the CPU's cache: a walk
        # of the index afterwards would fetch two million strings from memory again (2 s).
        references: Counter[str] = Counter()
        count = references.get  # dict.get: Counter's own lookups run Python code
        typed: set[str] = set()
        blank = None
        for triple in triples:
            if triple in seen:
                continue
            seen.add(triple)
            s, p, o = triple
            self.spo.setdefault(s, {}).setdefault(p, []).append(o)
            self.by_predicate.setdefault(p, []).append((s, o))
            if o[0] != '"':
                references[o] = count(o, 0) + 1
                if o[0] == "_":
                    blank = o
            elif o[-1] == ">":
                typed.add(o[o.rindex("^^") + 2 :])
        self.count = len(seen)
        self._census = Census(references=references, datatypes=typed, blank=blank)
        self._pos: dict[str, dict[str, list[str]]] = {}
        self._namespace_manager: NamespaceManager | None = None

    @property
    def census(self) -> Census:
        """What the Turtle and JSON-LD writers must know of the whole graph (subject_index.census)."""
        if not self._census.predicates:  # in the order an index walk meets them, as census gives them
            self._census.predicates = dict.fromkeys(chain.from_iterable(self.spo.values()))
        return self._census

    @classmethod
    def of(cls, data: Graph | TripleIndex) -> TripleIndex:
        """``data`` itself, or an index of an rdflib graph's triples."""
        return data if isinstance(data, TripleIndex) else cls(triples_of(data))

    def triples_nt(self) -> Iterator[Triple]:
        for s, by_p in self.spo.items():
            for p, objects in by_p.items():
                for o in objects:
                    yield s, p, o

    def pos(self, p: str) -> dict[str, list[str]]:
        """Object -> subjects, for one predicate (built on first use)."""
        if p not in self._pos:
            index: dict[str, list[str]] = {}
            for s, o in self.by_predicate.get(p, ()):
                index.setdefault(o, []).append(s)
            self._pos[p] = index
        return self._pos[p]

    def has(self, s: str, p: str) -> bool:
        """Whether the subject has the predicate (strings): the cheapest question."""
        return p in self.spo.get(s, {})

    # -- the rdflib Graph questions ---------------------------------------------------------

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        for s, p, o in self.triples_nt():
            yield node_from_nt(s), node_from_nt(p), node_from_nt(o)

    def __contains__(self, triple: tuple[Node | None, Node | None, Node | None]) -> bool:
        return next(self.triples(triple), None) is not None

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[tuple[Node, Node, Node]]:
        s, p, o = (nt_term(term) if term is not None else None for term in pattern)
        if s is not None:
            candidates: Iterable[tuple[str, list[str]]] = self.spo.get(s, {}).items()
            rows = ((s, p_, objects) for p_, objects in candidates if p is None or p_ == p)
        elif p is not None:
            subjects = self.pos(p).get(o, []) if o is not None else None
            if subjects is not None:
                rows = ((s_, p, [o]) for s_ in subjects)
            else:
                rows = ((s_, p, [o_]) for s_, o_ in self.by_predicate.get(p, ()))
        else:
            rows = ((s_, p_, objects) for s_, by_p in self.spo.items() for p_, objects in by_p.items())
        for s_, p_, objects in rows:
            for o_ in objects:
                if o is None or o_ == o:
                    yield node_from_nt(s_), node_from_nt(p_), node_from_nt(o_)

    def value(self, subject: Node | None = None, predicate: Node | None = None, default: Node | None = None) -> Node | None:
        if subject is None or predicate is None:
            raise ValueError("TripleIndex.value needs a subject and a predicate")
        objects = self.spo.get(nt_term(subject), {}).get(nt_term(predicate))
        return node_from_nt(objects[0]) if objects else default

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is None and predicate is None:  # every distinct object, without walking triples
            return (node_from_nt(o) for o in {o for _, o in self.pairs()})
        if predicate is not None:  # the objects ``triples`` would give, in its order, with no term made for s or p
            p = nt_term(predicate)
            if subject is not None:
                return map(node_from_nt, self.spo.get(nt_term(subject), {}).get(p, ()))
            return (node_from_nt(o) for _, o in self.by_predicate.get(p, ()))
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def pairs(self) -> Iterator[tuple[str, str]]:
        for pairs in self.by_predicate.values():
            yield from pairs

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        if predicate is None and obj is None:
            return (node_from_nt(s) for s in self.spo)
        if predicate is not None and obj is not None:
            # The triples are distinct, so the subjects of one (predicate, object) are distinct
            # strings, hence distinct terms (IRIs and blank nodes are equal only when written alike).
            return map(node_from_nt, self.pos(nt_term(predicate)).get(nt_term(obj), ()))
        return self._subjects(predicate, obj)

    def _subjects(self, predicate: Node | None, obj: Node | None) -> Iterator[Node]:
        seen = set()
        for s, _, _ in self.triples((None, predicate, obj)):
            if s not in seen:
                seen.add(s)
                yield s

    def predicates(self, subject: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        if subject is None and obj is None:
            return (node_from_nt(p) for p in self.by_predicate)
        return (p for _, p, _ in self.triples((subject, None, obj)))

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        return ((node_from_nt(s), node_from_nt(o)) for s, o in self.by_predicate.get(nt_term(predicate), ()))

    @property
    def namespace_manager(self) -> NamespaceManager:
        if self._namespace_manager is None:
            self._namespace_manager = bind_prefixes(Graph(), self.base).namespace_manager
        return self._namespace_manager
