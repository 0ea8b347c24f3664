"""Turtle from N-Triples strings, byte for byte what rdflib's Turtle serializer writes.

rdflib's ``TurtleSerializer`` writes about 10,000 triples/s: it asks the store for each subject's
triples, computes every prefixed name through its namespace manager and sorts rdflib terms with
their SPARQL-ordering comparisons. Our graphs have no blank nodes, so its output reduces to a few
rules that plain dicts, sorted lists and string joins can follow, once per distinct term:

- ``@prefix`` lines for the namespaces used by subjects, predicates, objects and literal
  datatypes (even when the literal is then written bare), sorted by prefix.
- Subjects typed ``rdfs:Class`` first, sorted by IRI; then the others by how many triples have
  them as object, then by IRI.
- Predicates: ``rdf:type`` (written ``a``), ``rdfs:label``, then by IRI. Objects in rdflib's term
  order; several objects go on their own lines, joined by ``,``.
- An IRI becomes ``prefix:local`` the way rdflib's ``compute_qname`` splits it (after the last
  character that cannot be in an XML name), extended to the longest bound namespace; it stays
  ``<iri>`` when that namespace is not bound (``data:programme/x`` is written in full), or when the
  local name ends with ``.``. ``(``, ``)`` and a ``%`` not followed by two hex digits are escaped.
- Strings with a newline go between triple quotes; numbers and booleans are written bare.

Where rdflib's rules hinge on a literal's value (which lexical forms of xsd:integer, decimal,
double, float and boolean are well typed, INF/NaN, comparing values of mixed types), we hand that
literal to rdflib's own ``Literal`` once, rather than copy rules that change between its versions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, lru_cache
from itertools import chain
from operator import itemgetter, methodcaller
from unicodedata import category

from rdflib import Graph, Literal

from .namespaces import DEFAULT_BASE, bind_prefixes
from .layout import Layout
from .ntriples import Triple, node_from_nt
from .subject_index import Census, Index, census

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = f"<{RDF}type>"
RDF_NIL = f"<{RDF}nil>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RDFS_CLASS = "<http://www.w3.org/2000/01/rdf-schema#Class>"
XSD = "http://www.w3.org/2001/XMLSchema#"
XMLNS = "http://www.w3.org/XML/1998/namespace"
# Datatypes whose writing depends on the value (bare numbers, INF/NaN): rdflib writes those.
VALUE_TYPES = frozenset(f"<{XSD}{name}>" for name in ("integer", "boolean", "double", "decimal", "float")) | {
    "<http://www.w3.org/2002/07/owl#rational>"
}

# rdflib.namespace: the Unicode categories of XML name characters, and where a local name may start
NAME_CATEGORIES = frozenset({"Ll", "Lu", "Lo", "Lt", "Nl", "Mc", "Me", "Mn", "Lm", "Nd"})
SPLIT_START_CATEGORIES = frozenset({"Ll", "Lu", "Lo", "Lt", "Nl", "Nd"})
NAME_EXTRA = frozenset("\u00b7\u0387-._%()")
ASCII_NAME = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.%()-"
ASCII_START = re.compile(r"[A-Za-z0-9_]")
WORD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
ESCAPED = re.compile(r"[%()]")  # what ``qname`` escapes in a local name
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
INVALID_IRI = re.compile(r'[<>" {}|\\^`]')
IRI_TEXT = methodcaller("strip", "<>")  # an IRI without its brackets: it holds no "<" or ">"


@cache
def _default_prefixes(base: str) -> tuple[tuple[str, str], ...]:
    return tuple((prefix, str(namespace)) for prefix, namespace in bind_prefixes(Graph(), base).namespaces())


def turtle_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes (prefix -> namespace IRI) of a graph made by ``bind_prefixes(Graph(), base)``.

    That is ours and ``data:`` over rdflib's own defaults (``sh:``, ``void:``, ``dc:``...): an
    IRI in one of those is prefixed by rdflib too, so the writer needs them all.
    """
    return dict(_default_prefixes(base))


def split_iri(iri: str) -> tuple[str, str] | None:
    """Namespace and local name as ``rdflib.namespace.split_uri`` cuts them, or None where it fails.

    It cuts after the last character outside XML names, at the first character that may start
    a local name; failing that its search wraps round to the start of the IRI.
    """
    if iri.startswith(XMLNS):
        return XMLNS, iri.split(XMLNS)[1]
    if iri.isascii():
        tail = len(iri.rstrip(ASCII_NAME))
        start = ASCII_START.search(iri, tail) if tail > 0 else None
        if start:
            return iri[: start.start()], iri[start.start() :]
    size = len(iri)
    for last in range(size - 1, -1, -1):
        char = iri[last]
        if char in NAME_EXTRA or category(char) in NAME_CATEGORIES:
            continue
        for cut in range(last - size, size):
            if iri[cut] == "_" or category(iri[cut]) in SPLIT_START_CATEGORIES:
                return (iri[:cut], iri[cut:]) if iri[:cut] else None
        return None
    return None


class _Names:
    """Prefixed names as rdflib's namespace manager and ``TurtleSerializer.get_pname`` give them."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefix_of = {namespace: prefix for prefix, namespace in prefixes.items()}
        self.cache: dict[str, tuple[str, str] | None] = {}
        self.used: set[str] = set()  # the prefixes of the names written so far
        self.spans: dict[str, str | bool] = {}  # see ``labels``
        self._stems()

    def _stems(self) -> None:
        """Every proper beginning of a bound namespace: a split namespace that is not one of them
        cannot be extended to a longer bound namespace (the common case, checked in O(1))."""
        self.stems = {n[:i] for n in self.prefix_of for i in range(1, len(n))}

    def qname(self, iri: str, generate: bool = False) -> tuple[str, str] | None:
        """(prefix, escaped local name) for an IRI without its brackets, or None: write it in full.

        With ``generate`` (rdflib's choice for predicates), an unbound namespace gets ``nsN``.
        """
        cached = self.cache.get(iri, False)
        if cached is not False and (cached is not None or not generate):
            return cached
        if INVALID_IRI.search(iri):
            raise ValueError(f"{iri!r} is not a valid IRI: rdflib cannot write it in Turtle either")
        split = split_iri(iri)
        if split is None:
            namespace, local = iri, ""
            if iri not in self.prefix_of:
                return self._remember(iri, None)
        else:
            namespace, local = split
        if namespace in self.stems:  # rdflib takes the longest bound namespace the IRI starts with
            extensions = [n for n in self.prefix_of if len(n) > len(namespace) and iri.startswith(n)]
            if extensions:
                namespace = max(extensions, key=len)
                local = iri[len(namespace) :]
        prefix = self.prefix_of.get(namespace)
        if prefix is None and generate:
            number = 1
            while f"ns{number}" in self.prefix_of.values():
                number += 1
            prefix = self.prefix_of[namespace] = f"ns{number}"
            self._stems()
            self.cache.clear()  # a new namespace can only turn failures into names
        if prefix is None:
            return self._remember(iri, None)
        local = BAD_PERCENT.sub("\\%", local.replace("(", "\\(").replace(")", "\\)"))
        return self._remember(iri, None if local.endswith(".") else (prefix, local))

    def _remember(self, iri: str, result: tuple[str, str] | None) -> tuple[str, str] | None:
        self.cache[iri] = result
        return result

    def label(self, term: str) -> str:
        """A term as rdflib writes it in Turtle: ``prefix:local``, ``()`` for ``rdf:nil``, the
        IRI in full, or the literal (see ``_literal_label``)."""
        if term[0] == "<":
            qname = self.qname(term[1:-1])
            if qname is None:
                return term
            self.used.add(qname[0])
            return "()" if term == RDF_NIL else f"{qname[0]}:{qname[1]}"
        if term[0] == "_":
            raise ValueError(f"blank node {term}: turtle_bytes writes graphs without blank nodes")
        if "\\n" in term or '"^^' in term:
            return _literal_label(term, self.label)
        return term  # "text" or "text"@lang without a newline: its N-Triples form

    def labels(self, terms: Iterable[str]) -> dict[str, str]:
        """Each distinct term's ``label``, the IRIs most often without ``qname``.

        An ASCII IRI whose last character outside ``ASCII_NAME`` is followed by a letter, digit
        or ``_`` splits right there (``split_iri``). What its namespace gives is then decided once
        for all the IRIs that share it (``spans``: a prefix, False to write them in full, True
        to ask ``label``); a prefixed name still goes to ``label`` when its local name needs
        escaping or ends with ``.``, and so does ``rdf:nil``.
        """
        labels: dict[str, str] = {}
        spans, used, span = self.spans, self.used, self._span
        for term in terms:
            if term in labels:
                continue
            iri = term[1:-1]
            tail = len(iri.rstrip(ASCII_NAME))
            found: str | bool | None = True
            if term[0] == "<" and iri[tail : tail + 1] in WORD_START:
                found = spans.get(iri[:tail])
                if found is None:
                    found = span(iri[:tail])
            if found is False:
                labels[term] = term
                continue
            local = iri[tail:]
            if found is True or local[-1] == "." or ESCAPED.search(local) or term == RDF_NIL:
                labels[term] = self.label(term)
                continue
            used.add(found)
            labels[term] = f"{found}:{local}"
        return labels

    def _span(self, namespace: str) -> str | bool:
        """What a split namespace gives its IRIs (see ``labels``): True where ``qname`` must look
        at each (a longer bound namespace may start with it, the XML namespace, no valid IRI)."""
        slow = namespace in self.stems or namespace.startswith(XMLNS) or XMLNS.startswith(namespace) \
            or not namespace.isascii() or INVALID_IRI.search(namespace) is not None or not namespace
        found = self.spans[namespace] = True if slow else self.prefix_of.get(namespace, False)
        return found


def _unquote(body: str) -> str:
    return str(node_from_nt(f'"{body}"')) if "\\" in body else body


def _long_quote(text: str) -> str:
    """rdflib's triple-quoted form of a string holding a newline."""
    encoded = text.replace("\\", "\\\\")
    if '"""' in text:
        encoded = encoded.replace('"""', '\\"\\"\\"')
    if encoded[-1] == '"' and encoded[-2] != "\\":
        encoded = encoded[:-1] + '\\"'
    return '"""%s"""' % encoded.replace("\r", "\\r")


@lru_cache(maxsize=65536)
def _object_key(term: str) -> tuple[int, str, str] | None:
    """IRIs, then plain literals, then language-tagged ones by tag: rdflib's order for these terms;
    None for a typed literal, which rdflib orders by value."""
    if term[0] == "<":
        return 0, "", term[1:-1]
    end = term.rindex('"')
    if end == len(term) - 1 or term[end + 1] == "@":
        return 1, term[end + 2 :], _unquote(term[1:end])
    return None


def _sorted_objects(objects: list[str]) -> list[str]:
    """Objects in rdflib's term order: a plain key for IRIs and plain or language-tagged strings,
    rdflib's own ``Literal`` comparison (by value, stable) as soon as one is typed."""
    try:
        return sorted(objects, key=_object_key)
    except TypeError:  # a typed literal's key is None, which does not compare
        return sorted(objects, key=node_from_nt)


def _literal_label(term: str, label: Callable[[str], str]) -> str:
    """A literal as rdflib's ``Literal._literal_n3(use_plain=True)`` writes it in Turtle."""
    end = term.rindex('"')
    tail = term[end + 1 :]
    if tail.startswith("^^"):
        datatype = label(tail[2:])
        if tail[2:] in VALUE_TYPES:
            literal: Literal = node_from_nt(term)
            return literal._literal_n3(use_plain=True, qname_callback=lambda _: None if datatype[0] == "<" else datatype)
        tail = "^^" + datatype
    body = term[1:end]
    if "\\n" in body:
        text = _unquote(body)
        if "\n" in text:
            return _long_quote(text) + tail
    return f'"{body}"{tail}'


def turtle_bytes(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> bytes:
    """The Turtle that ``serialize(graph, "turtle")`` writes for the graph of these triples
    (no blank nodes), where ``prefixes`` are the graph's bindings (see ``turtle_prefixes``)."""
    distinct = dict.fromkeys(triples)
    spo: dict[str, dict[str, list[str]]] = {}
    for s, p, o in distinct:
        spo.setdefault(s, {}).setdefault(p, []).append(o)
    predicates = list(dict.fromkeys(map(itemgetter(1), distinct)))
    return b"".join(turtle_chunks(spo, prefixes, predicates=predicates))


def turtle_chunks(spo: Index, prefixes: Mapping[str, str], step: int = 4096, counts: Census | None = None,
                  predicates: Iterable[str] | None = None, layout: Layout | None = None) -> Iterator[bytes]:
    """``turtle_bytes`` of the triples of ``spo``, a piece at a time (the prefixes, then
    ``step`` subjects at a time): a dump of hundreds of megabytes never stands whole in memory.

    ``counts`` is the census of ``spo`` when it is known. ``predicates`` in the order rdflib
    meets them (it numbers the ``nsN`` prefixes it makes up for unbound predicate namespaces in
    that order); by default, the census's order. The work per triple is a dict look-up and a
    string join; IRIs are labelled once each, and most literals are written as they come (their
    N-Triples form is their Turtle form). ``layout``, when given, records each subject's block.
    """
    counts = counts if counts is not None else census(spo)
    predicates = list(counts.predicates if predicates is None else predicates)
    references = counts.references
    names = _Names(prefixes)
    # rdflib binds an nsN for each predicate namespace it has no prefix for, numbered in the order
    # it meets them; for subjects and objects it writes the full IRI instead.
    for p in predicates:
        if p != RDF_TYPE and p[0] == "<":
            names.qname(p[1:-1], generate=True)
    label = names.label

    # rdf:type is the keyword "a" as a predicate, and rdflib does not look its prefix up there.
    first = [p for p in (RDF_TYPE, RDFS_LABEL) if p in predicates]
    ordered = first + sorted((p for p in predicates if p not in first), key=lambda p: p[1:-1])
    verbs = {p: "a " if p == RDF_TYPE else label(p) + " " for p in ordered}
    rank = {p: index for index, p in enumerate(ordered)}.__getitem__
    labels = names.labels(chain(spo, references))  # before the first byte: @prefix lines come first
    for datatype in counts.datatypes:
        label(datatype)  # rdflib declares a datatype's prefix even where the literal is written bare

    statements = _Statements(labels, verbs, rank, label)

    classes: list[str] = []
    if RDFS_CLASS in references:
        classes = sorted((s for s, by_p in spo.items() if RDFS_CLASS in by_p.get(RDF_TYPE, ())), key=lambda s: s[1:-1])
    seen = set(classes)
    # by IRI (an IRI holds no "<" or ">"), then stably by how often each is an object
    others = sorted((s for s in spo if s not in seen) if seen else spo, key=IRI_TEXT)
    others.sort(key=references.__getitem__)
    namespace_of = {prefix: namespace for namespace, prefix in names.prefix_of.items()}
    header = b"".join(f"@prefix {prefix}: <{namespace_of[prefix]}> .\n".encode() for prefix in sorted(names.used))
    if layout is not None:
        layout.head = len(header)
    yield header
    subjects = classes + others
    if not subjects:
        yield b"\n"
    for start in range(0, len(subjects), step):
        yield statements.chunk(subjects[start : start + step], spo, layout)


class _Plan:
    """How to write the subjects that have one tuple of predicates (in their index's order): the
    predicates in rdflib's order, each with its verb and the separator before it."""

    def __init__(self, predicates: tuple[str, ...], verbs: Mapping[str, str], rank: Callable[[str], int]) -> None:
        ordered = sorted(predicates, key=rank)
        self.verbs = tuple((p, (" " if i == 0 else " ;\n    ") + verbs[p]) for i, p in enumerate(ordered))
        self.end = " .\n" if ordered else "  .\n"


class _Statements:
    """Subjects' statements, a chunk at a time, as pieces of one list joined and encoded once.

    Subjects of one kind have the same predicates in the same order, so each such tuple is put in
    rdflib's order once (``_Plan``). ``known`` has every IRI's label; a literal it lacks is
    written as it comes (its N-Triples form) unless it is typed or multi-line."""

    def __init__(self, labels: dict[str, str], verbs: Mapping[str, str], rank: Callable[[str], int],
                 label: Callable[[str], str], cache_size: int = 100_000) -> None:
        self.known = labels  # every IRI's label, and lately met typed or multi-line literals as written
        self.verbs, self.rank, self.label = verbs, rank, label
        self.plans: dict[tuple[str, ...], _Plan] = {}
        self.cached: list[str] = []  # the literals in ``known``: dropped when there are too many
        self.cache_size = cache_size

    def chunk(self, subjects: list[str], spo: Index, layout: Layout | None = None) -> bytes:
        """The statements of these subjects, in this order (each one's block in ``layout``)."""
        parts: list[str] = []
        append = parts.append
        known, plans, written = self.known, self.plans, self.written
        get = known.get
        starts = []
        for s in subjects:
            starts.append(len(parts))
            by_p = spo[s]
            key = tuple(by_p)
            plan = plans.get(key) or self._plan(key)
            append("\n")
            append(known[s])
            for p, verb in plan.verbs:
                objects = by_p[p]
                append(verb)
                if len(objects) == 1:
                    o = objects[0]
                    text = get(o)
                    if text is None:
                        text = written(o) if o[-1] == ">" or "\\n" in o else o
                    append(text)
                else:
                    append(self.objects(objects))
            append(plan.end)
        if layout is not None:
            starts.append(len(parts))
            return layout.add(subjects, ["".join(parts[a:b]) for a, b in zip(starts, starts[1:])])
        return "".join(parts).encode("utf-8", "replace")

    def _plan(self, key: tuple[str, ...]) -> _Plan:
        plan = self.plans[key] = _Plan(key, self.verbs, self.rank)
        return plan

    def objects(self, objects: list[str]) -> str:
        """A subject's objects of one predicate, several on their own lines in rdflib's term order."""
        if min(objects)[0] == "<":  # '"' sorts before '<': no literal among them
            return ",\n        ".join(map(self.known.__getitem__, sorted(objects, key=IRI_TEXT)))
        return ",\n        ".join(map(self.written, _sorted_objects(objects)))

    def written(self, term: str) -> str:
        """Any object as written: an IRI's label, a literal's N-Triples form, or for a typed or
        multi-line literal what ``_literal_label`` makes of it, kept a while in ``known``
        (orders, years and amounts recur; most texts occur once)."""
        found = self.known.get(term)
        if found is not None:
            return found
        if term[-1] != ">" and "\\n" not in term:
            return term
        if len(self.cached) >= self.cache_size:
            for cached in self.cached:
                del self.known[cached]
            self.cached.clear()
        found = self.known[term] = _literal_label(term, self.label)
        self.cached.append(term)
        return found
