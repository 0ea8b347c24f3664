"""N-Triples strings -> our canonical JSON-LD bytes, without building an rdflib Graph.

``serialize(graph, "json-ld")`` runs rdflib's JSON-LD serializer with ``ontology/context.jsonld``
and ``auto_compact``, loads the result back and prints it in a canonical order. That costs 40 to
100 µs a triple. Our context holds only plain string definitions (prefixes and class names), and
with such a context rdflib's compaction comes down to a few table look-ups, which this module
does on the strings directly and then prints in the same canonical order:

- a subject or an object IRI becomes ``prefix:local`` when the IRI cut after its last ``#`` (or
  else ``/``, or else ``:``) is exactly a prefix's IRI, and stays a full IRI otherwise
  (``shrink_iri``; the context has no ``@base`` and our graphs none either);
- a property, an ``@type`` value and a datatype become the name of the term defined as that very
  IRI (the last one when several are), else ``prefix:local`` as above, else the full IRI
  (``to_symbol``); ``rdf:type`` without a term of its own becomes ``@type`` with the class as a
  symbol, any other IRI object ``{"@id": shrink_iri}`` (``rdf:nil``: ``{"@list": []}``);
- a literal is a plain JSON string when it is plain, a JSON number or boolean (or string) when
  typed ``xsd:integer``, ``xsd:double``, ``xsd:boolean`` or ``xsd:string`` (rdflib's Python value
  of it), ``{"@language", "@value"}`` when tagged, ``{"@type": symbol, "@value"}`` otherwise;
- one value stays single, several become an array; then nodes are sorted by ``@id``, arrays by
  the ``json.dumps`` text of their items, keys by name, and printed with ``indent=2``.

Anything else a context may say (``@vocab``, ``@base``, ``@language``, expanded term definitions
with ``@type``, ``@container`` ...) and blank nodes make ``compaction_rules`` or the conversion
raise ``Unsupported``, and ``jsonld_bytes`` then takes the rdflib path: a change to the context can
make it slower, never different.

One difference is deliberate: when a node has several values for one key and a value whose JSON
is falsy (``""``, ``0``, ``0.0``, ``false``) comes first in the store's order, rdflib overwrites
it with the next one (``if value:`` in its ``add_to_node``) and the value is lost. We keep every
value, so for such graphs the bytes differ (and ours parse back to the whole graph).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

from rdflib import Literal, URIRef
from rdflib.plugins.shared.jsonld.context import NODE_KEYS, UNDEF, Context

from .layout import Layout
from .ntriples import Triple, graph_of
from .subject_index import Census, Index, NTriplesBlocks, census

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_NIL = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"
XSD = "http://www.w3.org/2001/XMLSchema#"
# rdflib writes these as native JSON values (its PLAIN_LITERAL_TYPES, with use_native_types on).
NATIVE = frozenset(XSD + name for name in ("integer", "double", "boolean", "string"))


class Unsupported(ValueError):
    """The context or the triples use a JSON-LD feature this writer does not reproduce."""


@dataclass(frozen=True)
class Rules:
    """What rdflib's compaction looks up in a context made of plain string definitions."""

    prefixes: dict[str, str]  # namespace IRI -> prefix name (IRIs ending in : / ? # [ ] @)
    terms: dict[str, str]  # IRI -> term name, the last defined winning as in rdflib's lookup

    def shrink_iri(self, iri: str) -> str:
        """A node's ``@id``: ``prefix:local`` when the IRI up to its last ``#`` (else ``/``,
        else ``:``) is a prefix's IRI, else the IRI itself (rdflib's split_iri, inlined)."""
        at = iri.rfind("#")
        if at < 0:
            at = iri.rfind("/")
            if at < 0:
                at = iri.rfind(":")
        prefix = self.prefixes.get(iri[: at + 1]) if at >= 0 else None
        return f"{prefix}:{iri[at + 1 :]}" if prefix else iri

    def to_symbol(self, iri: str) -> str:
        """A key, an ``@type`` value or a datatype: a term, else like ``shrink_iri``."""
        return self.terms.get(iri) or self.shrink_iri(iri)


def compaction_rules(context: Any) -> Rules:
    """The rules for a context, read by rdflib's own context parser (so CURIEs in definitions
    expand as rdflib expands them); ``Unsupported`` for anything but plain string definitions."""
    if not isinstance(context, dict):
        raise Unsupported("the context is not a single JSON object")
    for name, definition in context.items():
        if name.startswith("@") or not isinstance(definition, str) or definition.startswith("@"):
            raise Unsupported(f"context entry {name!r}: only plain IRI or CURIE definitions are supported")
    parsed = Context(context)
    prefixes: dict[str, str] = {}
    terms: dict[str, str] = {}
    for term in parsed.terms.values():
        if term.id in NODE_KEYS or term.type is not UNDEF or term.container or term.reverse:
            raise Unsupported(f"term {term.name!r} is not a plain IRI definition")
        terms[term.id] = term.name
        if term.prefix:
            prefixes[term.id] = term.name
    if parsed.vocab or parsed.language or parsed.base:
        raise Unsupported("@vocab, @language and @base are not supported")
    return Rules(prefixes, terms)


# What JSON escapes and N-Triples (as nt_term writes it) leaves raw, or escapes otherwise.
_CONTROL = re.compile(r"[\x00-\x1f]")
_ODD_ESCAPE = re.compile(r'\\(?:[^\\n"r]|\Z)')
_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPED = {"n": "\n", "r": "\r", '"': '"', "\\": "\\", "t": "\t"}


def _verbatim(body: str) -> bool:
    """Whether a literal's N-Triples body, between quotes, is its JSON text. (A printable text
    holds no control character: ``isprintable`` is a C loop, twice as fast as the search.)"""
    if not body.isprintable() and _CONTROL.search(body) is not None:
        return False
    return "\\" not in body or _ODD_ESCAPE.search(body) is None


def _unescape(body: str) -> str:
    """A literal's lexical form from its N-Triples body, as ntriples.node_from_nt reads it."""
    if "\\" not in body:
        return body
    return _ESCAPE.sub(lambda match: _ESCAPED.get(match[1], match[0]), body)


@lru_cache(maxsize=4096)
def _native(lexical: str, datatype: str) -> str:
    """The JSON text of rdflib's Python value for a literal of a NATIVE type: its own parsing
    (``"1"^^xsd:boolean`` is true, an ill-typed literal stays a string) and json's printing."""
    return json.dumps(Literal(lexical, datatype=URIRef(datatype)).toPython(), ensure_ascii=False)


class _Compactor:
    r"""Compacts and prints terms for one run, each predicate, subject and object once.

    A value is kept as the JSON text it has as a key's single value, an object indented for its
    place in a node (``'{\n        "@id": "data:x"\n      }'``); in an array each of its lines
    moves two spaces right. These texts sort as the ``json.dumps`` texts _sorted_values sorts by,
    without printing anything twice: they differ from those only in the white space after ``{``
    and ``,`` and before ``}``, and no object's keys begin another's (``@id``; ``@list``;
    ``@language``, ``@value``; ``@type``, ``@value``), so the first difference is at the same
    place in both.
    """

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.shrink_iri = rules.shrink_iri
        self.ids: dict[str, str] = {}  # <iri> -> compacted @id

    def key(self, predicate: str) -> str:
        """``"key": ``, which sorts as the key as long as no key holds a character that sorts
        below the closing quote or needs escaping (an IRI may hold "!")."""
        iri = predicate[1:-1]
        name = self.rules.terms.get(iri) or ("@type" if iri == RDF_TYPE else self.rules.to_symbol(iri))
        if not name or min(name) <= '"' or "\\" in name or (name[0] == "@" and name != "@type"):
            raise Unsupported(f"key {name!r} would not sort as its JSON text, or is a keyword")
        return f'"{name}": '

    def node_id(self, iri: str) -> str:
        node_id = self.ids.get(iri)
        if node_id is None:
            if iri[0] != "<":
                raise Unsupported(f"blank node {iri}")
            node_id = self.ids[iri] = self.shrink_iri(iri[1:-1])
        return node_id

    def type_value(self, obj: str) -> str:
        if obj[0] != "<":
            return self.value(obj)
        return encode_basestring(self.rules.to_symbol(obj[1:-1]))

    def value(self, obj: str) -> str:
        if obj[0] == "<":
            if obj == RDF_NIL:
                return '{\n        "@list": []\n      }'
            node_id = self.ids.get(obj) or self.shrink_iri(obj[1:-1])  # most objects are subjects too
            return f'{{\n        "@id": {encode_basestring(node_id)}\n      }}'
        if obj[0] != '"':
            raise Unsupported(f"blank node {obj}")
        end = obj.rindex('"')
        body = obj[1:end]
        # N-Triples and JSON escape \\ \n \" \r alike: most bodies are their own JSON text.
        text = f'"{body}"' if _verbatim(body) else encode_basestring(_unescape(body))
        if end == len(obj) - 1:
            return text
        if obj[end + 1] == "@":
            tag = encode_basestring(obj[end + 2 :])
            return f'{{\n        "@language": {tag},\n        "@value": {text}\n      }}'
        datatype = obj[end + 4 : -1]
        if datatype in NATIVE:
            return _native(_unescape(body), datatype)
        symbol = encode_basestring(self.rules.to_symbol(datatype))
        return f'{{\n        "@type": {symbol},\n        "@value": {text}\n      }}'


Pair = tuple[str, str]  # ("key": , value text); one sort of a node's pairs orders its keys and values
Node = list[Pair]  # ("@id": , id text) among them


def _index_of(triples: Iterable[Triple]) -> dict[str, dict[str, list[str]]]:
    spo: dict[str, dict[str, list[str]]] = {}
    for s, p, o in dict.fromkeys(triples):  # a graph is a set: the same triple twice is one value
        spo.setdefault(s, {}).setdefault(p, []).append(o)
    return spo


TEXTS_KEPT = 200_000
# Longer objects are texts, which seldom recur: kept, they took a fifth of the JSON-LD process's
# memory on 10,000 reports (130 MB) and made it no faster.
CACHED_LENGTH = 256
ID_KEY = '"@id": '


class _Nodes:
    """The graph's nodes in ``@id`` order, each printed when its turn comes: only the ``@id`` of
    every subject is worked out beforehand (and every key, and whether any object is a blank
    node), so that whatever the fast path cannot write is known before the first byte."""

    def __init__(self, spo: Index, rules: Rules, counts: Census) -> None:
        self.spo = spo
        self.compactor = _Compactor(rules)
        self.keys = {p: self.compactor.key(p) for p in counts.predicates}
        if counts.blank is not None:
            raise Unsupported(f"blank node {counts.blank}")
        ids = list(map(self.compactor.node_id, spo))
        self.groups = sorted(zip(ids, spo))  # (@id, subject) pairs
        self.merged: dict[str, list[str]] = {}  # @id -> its subjects, when it has several
        if len(set(ids)) < len(ids):  # two IRIs, one compact form ("data:x" and data:x): one node
            self.groups, self.merged = _merged(self.groups)
        # Objects recur (classes, concepts, the nodes a report links to): each pair is made once.
        self.by_object: dict[str, dict[str, Pair]] = {p: {} for p in self.keys}  # from an index
        self.by_line: dict[str, Pair] = {}  # from a file: "predicate object" -> pair
        self.kept = 0
        value, type_value = self.compactor.value, self.compactor.type_value
        self.converters = {p: (key, type_value if key == '"@type": ' else value) for p, key in self.keys.items()}
        self.subject_pairs = self._line_pairs if isinstance(spo, NTriplesBlocks) else self._index_pairs

    def __len__(self) -> int:
        return len(self.groups)

    def printed(self, start: int, stop: int) -> list[str]:
        pairs_of, merged = self.subject_pairs, self.merged
        return [
            _entries(pairs_of(subject) if node_id not in merged else self._merged_pairs(node_id), node_id)
            for node_id, subject in self.groups[start:stop]
        ]

    def _merged_pairs(self, node_id: str) -> Node:
        pairs: Node = []
        for subject in self.merged[node_id]:
            pairs += self.subject_pairs(subject)
        return pairs

    def _index_pairs(self, subject: str) -> Node:
        """A subject's pairs from an index in memory, looked up a predicate's objects at once."""
        pairs: Node = []
        for predicate, objects in self.spo[subject].items():
            known = self.by_object[predicate]
            found = list(map(known.get, objects))
            if None in found:
                found = [known.get(obj) or self._object_pair(predicate, obj) for obj in objects]
            pairs += found
        return pairs

    def _line_pairs(self, subject: str) -> Node:
        """A subject's pairs from the file, each line's ``predicate object`` looked up whole
        (no split but for a line not met before)."""
        lines = self.spo.predicate_objects(subject)  # type: ignore[attr-defined]
        known = self.by_line
        pairs = list(map(known.get, lines))
        if None in pairs:
            line_pair = self._line_pair
            pairs = [pair or line_pair(line) for pair, line in zip(pairs, lines)]
        return pairs

    def _object_pair(self, predicate: str, obj: str) -> Pair:
        if len(obj) > CACHED_LENGTH:
            return self._pair(predicate, obj)
        self.kept += 1
        if self.kept > TEXTS_KEPT:  # most long literals occur once: the memory stays bounded
            for known in self.by_object.values():
                known.clear()
            self.kept = 1
        pair = self.by_object[predicate][obj] = self._pair(predicate, obj)
        return pair

    def _line_pair(self, line: str) -> Pair:
        predicate, obj = line.split(" ", 1)
        if len(line) > CACHED_LENGTH:  # as in _object_pair
            return self._pair(predicate, obj)
        if len(self.by_line) >= TEXTS_KEPT:
            self.by_line.clear()
        pair = self.by_line[line] = self._pair(predicate, obj)
        return pair

    def _pair(self, predicate: str, obj: str) -> Pair:
        key, convert = self.converters[predicate]
        return key, convert(obj)


def _merged(groups: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The sorted (@id, subject) pairs with one pair an @id, and the subjects of each @id that
    has several."""
    merged: dict[str, list[str]] = {}
    for node_id, subject in groups:
        merged.setdefault(node_id, []).append(subject)
    return [(node_id, subjects[0]) for node_id, subjects in merged.items()], {
        node_id: subjects for node_id, subjects in merged.items() if len(subjects) > 1
    }


_first = itemgetter(0)


def _entries(pairs: Node, node_id: str) -> str:
    pairs.append((ID_KEY, encode_basestring(node_id)))
    pairs.sort()
    if len(set(map(_first, pairs))) == len(pairs):  # one value a key, as in most nodes
        return ",\n      ".join(map("".join, pairs))
    return ",\n      ".join(
        [
            key + texts[0] if len(texts) == 1 else _array(key, texts)
            for key, texts in ((key, [text for _, text in group]) for key, group in groupby(pairs, _first))
        ]
    )


def _array(key: str, texts: list[str]) -> str:
    items = ",\n        ".join(text.replace("\n", "\n  ") if text[0] == "{" else text for text in texts)
    return f"{key}[\n        {items}\n      ]"


BETWEEN = "\n    },\n    {\n      "  # between two nodes of the graph


def _printed(nodes: _Nodes, context: dict[str, Any], step: int, layout: Layout | None = None) -> Iterator[bytes]:
    """The text ``json.dumps(..., ensure_ascii=False, indent=2, sort_keys=True)`` gives for
    ``{"@context": context, "@graph": nodes}``, written directly (json's indenting encoder is
    pure Python and would cost more than everything else here), ``step`` nodes at a time;
    ``layout``, when given, records where each node's entries lie."""
    head = json.dumps(context, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")
    if not len(nodes):
        yield f'{{\n  "@context": {head},\n  "@graph": []\n}}\n'.encode("utf-8")
        return
    opening = f'{{\n  "@context": {head},\n  "@graph": [\n    {{\n      '
    if layout is not None:
        layout.head, layout.separator = len(opening.encode("utf-8")), BETWEEN.encode("utf-8")
    for start in range(0, len(nodes), step):
        entries = nodes.printed(start, start + step)
        if layout is not None:
            subjects = [subject for _, subject in nodes.groups[start : start + step]]
            yield (opening if start == 0 else BETWEEN).encode("utf-8") + layout.add(subjects, entries)
            continue
        yield ((opening if start == 0 else BETWEEN) + BETWEEN.join(entries)).encode("utf-8")
    yield "\n    }\n  ]\n}\n".encode("utf-8")


def rdflib_jsonld_bytes(triples: Iterable[Triple], context: dict[str, Any]) -> bytes:
    """The reference, rdflib's writer then a canonical order: what resolis-ld wrote before this
    module, and what it falls back to; some ten times slower."""
    graph = graph_of(triples)
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [] if "@id" not in document else [dict(document)])
    # By @id, then by the whole node: with @id aliased in the context (or absent) the ids tie,
    # and rdflib's order, which follows how the graph was filled, must not show through.
    nodes = sorted((_sorted_values(node) for node in nodes),
                   key=lambda node: (node.get("@id", ""), json.dumps(node, ensure_ascii=False, sort_keys=True)))
    for node in nodes:
        node.pop("@context", None)
    canonical = {"@context": context, "@graph": nodes}
    return (json.dumps(canonical, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def jsonld_bytes(triples: Iterable[Triple], context: dict[str, Any]) -> bytes:
    """The triples as ``serialize(graph, "json-ld")`` writes their graph, 8 to 20 times faster;
    through rdflib when the context or the triples need what the fast path does not do."""
    return b"".join(jsonld_chunks(_index_of(triples), context))


def jsonld_chunks(spo: Index, context: dict[str, Any], step: int = 4096, counts: Census | None = None,
                  layout: Layout | None = None) -> Iterator[bytes]:
    """``jsonld_bytes`` of the triples of ``spo`` (whose census is ``counts`` when known), a
    piece at a time: a dump of hundreds of megabytes never stands whole in memory. ``layout``,
    when given, records each node's place (none when rdflib writes the graph, or ids merge)."""
    try:
        nodes = _Nodes(spo, compaction_rules(context), counts if counts is not None else census(spo))
    except Unsupported:
        triples = ((s, p, o) for s, by_p in spo.items() for p, objects in by_p.items() for o in objects)
        yield rdflib_jsonld_bytes(triples, context)
        return
    yield from _printed(nodes, context, step, None if nodes.merged else layout)


def _sorted_values(value: Any) -> Any:
    """Sort keys' value arrays (JSON-LD sets are unordered) so equal graphs print alike."""
    if isinstance(value, dict):
        return {key: _sorted_values(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value
