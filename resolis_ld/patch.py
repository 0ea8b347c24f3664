"""A rebuild that patches the previous build's outputs when a few reports changed only literals.

Most edits of a collection fix a text, a figure or a date in a report or two: the statements of
a few subjects change, and nothing else in the graph moves. The previous build left a snapshot
(``snapshot``); from it this module finds where those subjects' statements lie in each dump,
writes them again with the build's own writers, and copies the rest of each file around them.
The validation runs again on the changed reports' part of the graph only, the catalogue and VoID
description are made again from counts kept up to date, and the result is the same bytes a full
build would write (the tests compare both).

It applies only where that is certain, and otherwise returns None (the caller then builds from
scratch): the same input files, each changed report read without error before and after, with
the same title (IRIs derive from it), and changes only to statements of subjects that belong to
that report alone, which neither the catalogue nor LICENSE.txt reads: literals, and subjects of
its own replaced by new ones (its source file's node is named by the file's hash), so that no
other node is linked to more or less often and every report reaches what it reached.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import time
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TypeVar

from isal import igzip
from rdflib import URIRef

from .aliases import AliasTable
from .attribution import LICENCE_PREDICATES
from .batch import Collection, Outcome, Settings, cache_key, cached, convert_bytes, keep
from .catalog import EXAMPLE_CLASSES, CatalogFacts, Dump, VoidCounts, catalog_graph, catalog_warnings, touches_catalog, void_graph
from .concepts import load_concepts
from .dump_writers import starts_member
from .errors import InputError
from .files import MeasuredWriter, atomic_stream, copy_range, gzip_bytes, write_atomic
from .jsonld import BETWEEN, compaction_rules, jsonld_chunks
from .layout import Layout
from .ntriples import Triple, nt_term, quad_lines, subject_lines
from .pipeline import STDIN, Input, expand_inputs
from .serialize import jsonld_context, serialize
from .snapshot import Packed, Snapshot, Spans, Unusable, load, object_key, save
from .stopwatch import Stopwatch
from .text import slugify
from .triple_index import TripleIndex
from .turtle import turtle_chunks, turtle_prefixes
from .validate import Locator, Validation, compiled_shapes, counted, raw_results, report_turtle, result_order, summary
from .validation_formats import format_json

if TYPE_CHECKING:
    from .build import Build

T = TypeVar("T")
MAX_CHANGED = 50  # beyond this many changed reports, a full build is about as fast
_LICENCE = frozenset(nt_term(p) for p in LICENCE_PREDICATES)
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_CLASS = "<http://www.w3.org/2000/01/rdf-schema#Class>"


# -- the snapshot of a full build -----------------------------------------------------------------


@dataclass
class Recording:
    """What a full build's writers and validation hand over for its snapshot."""

    layouts: dict[str, Layout] = field(default_factory=lambda: {name: Layout() for name in LAYOUTS})
    graphs: array = field(default_factory=lambda: array("i"))  # see keep_graphs
    documents: list[str] = field(default_factory=list)  # the reports (N-Triples IRIs), sorted
    unowned_targets: bool = True
    void_counts: VoidCounts | None = None
    catalog_facts: CatalogFacts | None = None
    references: Counter[str] = field(default_factory=Counter)  # how often each IRI is an object


    def keep_graphs(self, graphs: dict[str, str], documents: list[str]) -> None:
        """Each subject's N-Quads graph (the N-Triples written, so in their order) as the number
        of its report, -1 for the shared graph: an array, rather than a dict held to the end."""
        number = {document: index for index, document in enumerate(documents)}
        self.documents = documents
        self.graphs = array("i", (number.get(graphs[s], -1) for s in self.layouts["resolis.nt"].subjects))


LAYOUTS = ("resolis.ttl", "resolis.jsonld", "resolis.nt", "resolis.nq")
# What a build writes, in the order it lists them.
OUTPUTS = ("resolis.ttl", "resolis.jsonld", "resolis.nt", "resolis.nt.gz", "resolis.nq.gz", "context.jsonld",
           "catalog.ttl", "void.ttl", "validation.ttl", "validation.json", "LICENSE.txt")


def unowned_targets(data: TripleIndex, owned: dict[str, list[str]]) -> bool:
    """Whether a shape could target a node no report reaches (the dataset, a concept scheme): a
    patch validates only the changed reports' part of the graph, which would leave such a node
    out. Checked on the whole graph once, by the full build."""
    shapes = compiled_shapes()
    if shapes is None:
        return True
    for _, kind, target in shapes.targets:
        if kind == "class":
            nodes: Iterable[str] = data.pos(_TYPE).get(target, ())
        else:
            nodes = (s for s, _ in data.by_predicate.get(target, ()))
        if any(node not in owned for node in nodes):
            return True
    return False


def shared_subjects(collection: Collection) -> set[str]:
    """Subjects that more than one report (or the collection's own statements) gives triples."""
    first: dict[str, int] = {}
    shared: set[str] = set()
    counted_triples = 0
    for number, outcome in enumerate(collection.reports):
        triples = outcome.mapped.triples  # type: ignore[union-attr]
        counted_triples += len(triples)
        for subject in {t[0] for t in triples}:
            if first.setdefault(subject, number) != number:
                shared.add(subject)
    for subject in {t[0] for t in collection.triples[counted_triples:]}:  # the collection's own
        if subject in first:
            shared.add(subject)
    return shared


def take_snapshot(
    key: str, started: int, collection: Collection, shared: set[str], data: TripleIndex, recording: Recording,
    validation: Validation, written: list[tuple[Path, int]], base: str,
) -> Snapshot | None:
    """The snapshot of a full build just written; None when its dumps have no layout to patch
    (JSON-LD written by rdflib, merged node ids, an empty graph)."""
    layouts = recording.layouts
    if not data.spo or any(not layout.subjects for layout in layouts.values()):
        return None
    subjects = layouts["resolis.nt"].subjects
    numbers = {subject: number for number, subject in enumerate(subjects)}
    spans = {}
    for name, layout in layouts.items():
        if name == "resolis.nt":
            order: array | None = array("i", range(len(subjects)))
        elif name == "resolis.nq":
            order = None  # the N-Triples order
        else:
            order = array("i", (numbers[subject] for subject in layout.subjects))
        members = array("q", layout.members) if name in ("resolis.nt", "resolis.nq") else None
        spans[name] = Spans(layout.sizes, order, layout.head, len(layout.separator), members)
    object_keys = layouts["resolis.jsonld"].object_keys  # taken by the process that wrote JSON-LD
    if object_keys is None:
        object_keys = array("I", (object_key(f"{o} .\n".encode()) for _, o in data.pairs()))
    references = recording.references
    refs = array("i", (references[s] for s in subjects))
    outputs = {path.name: _stamp(path) for path, _ in written}
    with open(written[0][0], "rb") as turtle:
        header = turtle.read(layouts["resolis.ttl"].head).decode("utf-8")
    return Snapshot(
        key=key,
        inputs={o.name: o.key for o in collection.outcomes},
        input_stats={o.name: _stat(o.name) for o in collection.outcomes},
        started=started,
        outcomes=Packed(collection.outcomes),
        slugs=Counter(slugify(o.title) for o in collection.outcomes if o.mapped is not None),
        outputs=outputs,
        subjects=subjects,
        graphs=recording.graphs,
        refs=refs,
        turtle_classes=len(data.pos(_TYPE).get(_CLASS, ())),
        documents=recording.documents,
        shared_subjects=shared,
        spans=spans,
        member_firsts=layouts["resolis.nt"].member_firsts,
        turtle_prefixes=frozenset(_declared(header)),
        object_keys=object_keys,
        predicates=Counter({p: len(pairs) for p, pairs in data.by_predicate.items()}),
        void_counts=recording.void_counts,
        catalog_facts=recording.catalog_facts,
        validation=Packed(validation),
        unowned_targets=recording.unowned_targets,
    )


def _stat(name: str) -> tuple[int, int] | None:
    """An input file's size and modification time (ns), or None when it cannot be read."""
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _declared(header: str) -> Iterator[str]:
    """The prefixes of Turtle ``@prefix`` lines."""
    for line in header.splitlines():
        if line.startswith("@prefix "):
            yield line[len("@prefix ") : line.index(":")]


# -- the patch ------------------------------------------------------------------------------------


class Edit(NamedTuple):
    """A range of an old dump and what replaces it; the position in the dump's order of the block
    it concerns (before which a new block goes), and that block's subject."""

    start: int
    end: int
    order: object  # where new blocks at one place go: their key in the dump's order
    data: bytes
    position: int
    subject: str


class _NotPatchable(Exception):
    """The change is not one this module can patch: the caller builds from scratch. Its message
    says why, for ``build -v``."""


@dataclass
class _Change:
    """One changed report: its outcomes before and after, and its number in the snapshot."""

    name: str
    key: str
    old: Outcome
    new: Outcome
    number: int


def patched_build(
    inputs: list[str], out_dir: Path, base: str, aliases: AliasTable, public_url: str, modified: date | None,
    cache_dir: Path, key: str,
) -> Build | str:
    """The build of ``inputs`` made by patching the previous one's outputs, or why not, when
    that is not certain to give the bytes of a full build (then nothing was written)."""
    try:
        snapshot = load(cache_dir, out_dir, key)
    except Unusable as why:
        return str(why)
    patch = _Patch(snapshot, out_dir, base, aliases, public_url, modified, cache_dir)
    try:
        return patch.run(inputs)
    except _NotPatchable as why:
        return str(why)
    finally:
        patch.background.shutdown()
        patch.closer.shutdown()


class _Patch:
    def __init__(self, snapshot: Snapshot, out_dir: Path, base: str, aliases: AliasTable, public_url: str,
                 modified: date | None, cache_dir: Path) -> None:
        self.snapshot, self.out_dir, self.base = snapshot, out_dir, base
        self.public_url, self.modified, self.cache_dir = public_url, modified, cache_dir
        self.settings = Settings(base, aliases, cache_dir)
        self.watch = Stopwatch()
        self.started = time.time_ns()
        self.background = ThreadPoolExecutor(max_workers=1)
        # Letting an old dump go frees its blocks, which takes the kernel a while (a second for
        # 1.2 GB where the disk is trimmed online): a thread does it while the rest is written.
        self.closer = ThreadPoolExecutor(max_workers=1)
        self.old_stacks: dict[str, ExitStack] = {}
        self.old: dict[str, bytes | mmap.mmap] = {}
        self.old_files: dict[str, BinaryIO] = {}  # the files mapped in ``old``
        self.separators = {"resolis.jsonld": BETWEEN.encode()}
        self.new_members: dict[str, list[tuple[int, int, list[tuple[str, bytes]]]]] = {}
        self.used: set[str] = set()  # the Turtle prefixes of the changed subjects, after and before
        self.used_before: set[str] = set()
        self._keys = {name: self._key(name) for name in LAYOUTS}
        self._starts: dict[str, list[int]] = {}

    # -- what changed ---------------------------------------------------------------------------

    def run(self, inputs: list[str]) -> Build:
        from .build import Build, quality  # noqa: F811 - build imports this module

        snapshot = self.snapshot
        # Unpickled by a thread while the inputs are read; the outcomes, needed only at the end,
        # while the dumps are written (see _patch).
        self.background.submit(snapshot.validation.get)
        changes = self._changes(inputs)
        self.watch.lap("parse_map")
        if changes:
            validation, counts, dumps = self._patch(changes)
            catalog, warnings = catalog_graph(snapshot.catalog_facts, dumps, quality(validation), self.base,
                                              self.public_url, self.modified)
            outputs = {
                "catalog.ttl": serialize(catalog, "turtle"),
                "void.ttl": serialize(void_graph(counts, dumps, self.base, self.public_url), "turtle"),
            }
            if validation.results != snapshot.validation.get().results:
                outputs["validation.ttl"] = report_turtle(validation, self.base)
            if validation != snapshot.validation.get():
                outputs["validation.json"] = format_json(validation).encode("utf-8")
            for name, data in outputs.items():
                write_atomic(self.out_dir / name, data)
            self.watch.lap("describe")
        else:  # nothing to write: the outputs are those of these reports already
            self.outcomes = self.background.submit(self._outcomes, changes)
            validation, counts, warnings = snapshot.validation.get(), snapshot.void_counts, catalog_warnings(snapshot.catalog_facts)
        outcomes = self.outcomes.result()
        unreconciled = sorted({u for o in outcomes if o.mapped for u in o.mapped.unreconciled},
                              key=lambda u: (u.programme, u.role, u.name, u.line))
        written = [(self.out_dir / name, snapshot.outputs[name][0]) for name in OUTPUTS]
        if changes:
            written = [(path, path.stat().st_size) for path, _ in written]
            self._save(changes, validation, counts, outcomes, written)
            self.watch.lap("snapshot")
        self.closer.shutdown()
        collection = Collection(outcomes, [], unreconciled)
        how = f"patched the last build's outputs: {len(changes)} report(s) changed" if changes else "nothing changed"
        return Build(collection, validation, written, warnings, self.watch.timings, counts.triples, self.watch.cpu, how)

    def _patch(self, changes: list[_Change]) -> tuple[Validation, VoidCounts, list[Dump]]:
        """Validate and write the dumps again, from the old dumps, read mapped."""
        with ExitStack() as files:
            for name in ("resolis.ttl", "resolis.jsonld", "resolis.nt"):
                self.old[name] = self._mapped(self.out_dir / name, files)
            self.blocks = blocks = self._blocks(changes)
            validation = self._validation(changes, blocks)
            self.packed_validation = Packed(validation)
            self.watch.lap("validate")
            dumps, counts = self._write_dumps(blocks, lambda: self._meanwhile(changes, blocks))
            self._let_go("resolis.nt")
            files.pop_all()  # the closer has each of them
            self.old.clear()
            self.old_files.clear()
        self.watch.lap("write")
        return validation, counts, dumps

    def _meanwhile(self, changes: list[_Change], blocks: dict[str, dict[str, list[str]]]) -> VoidCounts:
        """What holds Python's lock while the dumps are copied and hashed, which mostly does not:
        the outcomes and validation packed for the next snapshot, VoID's counts."""
        self.outcomes = self.background.submit(self._outcomes, changes)
        self.background.submit(self.packed_validation.pack)
        return self._void_counts(blocks)

    def _changes(self, inputs: list[str]) -> list[_Change]:
        snapshot = self.snapshot
        self.items = items = expand_inputs(inputs)
        names = []
        for item in items:
            if isinstance(item, InputError) or item.is_url or item.name == STDIN:
                raise _NotPatchable("an input is a URL, standard input or missing")
            names.append(item.name)
        if len(set(names)) != len(names) or set(names) != set(snapshot.inputs):
            raise _NotPatchable("the input files are not those of the last build (one added, removed or given twice)")
        context = self.settings.key()
        changed = []
        self.stats = {}
        for name in names:
            stat = _stat(name)
            if stat is not None and stat == snapshot.input_stats.get(name) and stat[1] < snapshot.started:
                self.stats[name] = stat  # as when it was read (git's rule: not touched since the build began)
                continue
            try:
                data = Input(name).read()
            except InputError:
                raise _NotPatchable(f"{name} cannot be read") from None
            self.stats[name] = stat  # type: ignore[assignment]
            key = cache_key(context, name, data)
            if key != snapshot.inputs[name]:
                changed.append((name, key, data))
        if len(changed) > MAX_CHANGED:
            raise _NotPatchable(f"{len(changed)} reports changed, more than {MAX_CHANGED}")
        taken = snapshot.slugs
        documents = {document: number for number, document in enumerate(snapshot.documents)}
        concepts = load_concepts() if changed else None
        changes = []
        for name, key, data in changed:
            old = cached(self.settings, snapshot.inputs[name])
            new = convert_bytes(name, data, self.settings, concepts)  # type: ignore[arg-type]
            if old is None or old.mapped is None or new.mapped is None:
                raise _NotPatchable(f"{name} converts no longer, or its last conversion left the cache")
            slug = slugify(old.title)
            if slugify(new.title) != slug:
                raise _NotPatchable(f"{name}: its title changed, and its IRIs with it")
            if taken[slug] > 1:
                raise _NotPatchable(f"{name}: another report has its title, so its IRIs carry its hash")
            if new.mapped.schemes != old.mapped.schemes or new.mapped.document != old.mapped.document \
                    or old.mapped.document not in documents:
                raise _NotPatchable(f"{name}: its themes' concept schemes or its programme's IRI changed")
            new.key = key
            keep(self.settings, new)
            changes.append(_Change(name, key, old, new, documents[old.mapped.document]))
        return changes

    def _outcomes(self, changes: list[_Change]) -> list[Outcome]:
        """Every input's outcome, in this run's order, their triples let go (packed for the
        next snapshot)."""
        by_name = {o.name: o for o in self.snapshot.outcomes.get()}
        for change in changes:
            mapped = replace(change.new.mapped, triples=[])  # type: ignore[type-var]
            by_name[change.name] = replace(change.new, mapped=mapped)
        outcomes = [by_name[item.name] for item in self.items if isinstance(item, Input)]
        if changes:
            self.packed_outcomes = Packed(outcomes)
            self.packed_outcomes.pack()
        return outcomes

    # -- the changed subjects' statements -------------------------------------------------------

    def _number(self, subject: str) -> int:
        """The subject's number in the snapshot (its place in ``subjects``, kept for good)."""
        order = self.snapshot.spans["resolis.nt"].order
        position = self._position("resolis.nt", subject, subject)
        if position == len(order) or self.snapshot.subjects[order[position]] != subject:  # type: ignore[arg-type]
            raise _NotPatchable(f"{subject} is not in the last build's dumps")
        return order[position]  # type: ignore[index]

    def _blocks(self, changes: list[_Change]) -> dict[str, dict[str, list[str]]]:
        """Each changed subject's statements after the change (subject -> predicate -> objects;
        empty for a subject that is gone). A changed report may change literals of its own
        subjects, and replace some of its own subjects by new ones (its source file's node is
        named by the file's hash); anything else is left to a full build."""
        snapshot = self.snapshot
        targets = {target for _, kind, target in compiled_shapes().targets if kind == "objects"} \
            if compiled_shapes() is not None else None
        if targets is None or snapshot.unowned_targets or _SUBCLASS in snapshot.predicates:
            raise _NotPatchable("the shapes or the graph need validating whole (pySHACL, shared targets, subclasses)")
        blocks: dict[str, dict[str, list[str]]] = {}
        self.old_blocks: dict[str, dict[str, list[str]]] = {}
        self.owner: dict[str, int] = {}  # changed subject -> its report's number
        self.removed: list[tuple[str, str, str]] = []
        self.added: list[tuple[str, str, str]] = []
        for change in changes:
            before, after = set(change.old.mapped.triples), set(change.new.mapped.triples)  # type: ignore[union-attr]
            for triples, sign in ((before - after, -1), (after - before, 1)):
                for triple in sorted(triples):
                    s, p, o = triple
                    if p in _LICENCE or p in targets or s in snapshot.shared_subjects or o[0] == "_":
                        raise _NotPatchable(f"{change.name}: a change to licence facts, a node other reports share, "
                                            "a validation target or a blank node")
                    if touches_catalog(triple, snapshot.catalog_facts) or self.owner.setdefault(s, change.number) != change.number:
                        raise _NotPatchable(f"{change.name}: a change to the catalogue's facts or another report's node")
                    block = blocks.get(s)
                    if block is None:
                        old = self._old_block(s) if self._known(s) else {}
                        if old and snapshot.graphs[self._number(s)] != change.number:
                            raise _NotPatchable(f"{change.name}: a change to a node of another report's graph")
                        self.old_blocks[s] = old
                        block = blocks[s] = {p: list(objects) for p, objects in old.items()}
                    objects = block.setdefault(p, [])
                    if sign < 0:
                        if o not in objects:
                            raise _NotPatchable(f"{change.name}: the dumps do not hold what its last conversion gave")
                        objects.remove(o)
                        self.removed.append(triple)
                    else:
                        objects.append(o)
                        self.added.append(triple)
        for block in blocks.values():
            for p in [p for p, objects in block.items() if not objects]:
                del block[p]
        self.gone = {s for s, block in blocks.items() if not block}
        self.new = {s for s, old in self.old_blocks.items() if not old}
        self._check_counts()
        return blocks

    def _check_counts(self) -> None:
        """The graph keeps its predicates and classes, and each node that stays is as often an
        object as before (the Turtle order and the reports' reach depend on it)."""
        snapshot = self.snapshot
        predicates = Counter(p for _, p, _ in self.added)
        predicates.subtract(p for _, p, _ in self.removed)
        for p, change in predicates.items():
            if p not in snapshot.predicates or snapshot.predicates[p] + change <= 0:
                raise _NotPatchable(f"the graph gains or loses its last statement with {p}")
        references = Counter(o for _, _, o in self.added if o[0] == "<")
        references.subtract(o for _, _, o in self.removed if o[0] == "<")
        for node, change in references.items():
            if change and node not in self.new and node not in self.gone:
                raise _NotPatchable(f"a link to {node} is added or removed (what reports reach, Turtle's order)")
        for node in self.new:
            if self._occurrences(node) and self._found_outside(node):
                raise _NotPatchable(f"the new node {node} is named by another statement already")
        classes = self.snapshot.void_counts.classes
        types = Counter(URIRef(o[1:-1]) for _, p, o in self.added if p == _TYPE)
        types.subtract(URIRef(o[1:-1]) for _, p, o in self.removed if p == _TYPE)
        for cls, change in types.items():
            if change and (cls not in classes or classes[cls] + change <= 0):
                raise _NotPatchable(f"the graph gains or loses its last node of class {cls}")
        examples = {nt_term(cls) for cls in EXAMPLE_CLASSES} | {_CLASS}
        for node in self.gone | self.new:
            if self._types(node) & examples:
                raise _NotPatchable(f"{node} comes or goes: a class, or one of VoID's example resources")

    def _types(self, node: str) -> set[str]:
        return {o for s, p, o in self.added + self.removed if s == node and p == _TYPE}

    def _known(self, subject: str) -> bool:
        order = self.snapshot.spans["resolis.nt"].order
        position = self._position("resolis.nt", subject, subject)
        return position < len(order) and self.snapshot.subjects[order[position]] == subject  # type: ignore[arg-type]

    def _key(self, name: str):
        """The order of a dump's blocks, as a key of a subject number (Turtle: classes first,
        then by how often each is an object, then by IRI; JSON-LD: by @id; the statements: by
        IRI)."""
        subjects, spans = self.snapshot.subjects, self.snapshot.spans[name]
        if name == "resolis.ttl":
            refs, classes = self.snapshot.refs, set(spans.order[: self.snapshot.turtle_classes])
            return lambda n: (0, 0, subjects[n][1:-1]) if n in classes else (1, refs[n], subjects[n][1:-1])
        if name == "resolis.jsonld":
            shrink = compaction_rules(jsonld_context()).shrink_iri
            return lambda n: (shrink(subjects[n][1:-1]), subjects[n])
        return lambda n: subjects[n]

    def _order(self, name: str) -> array:
        """The subjects' numbers in the dump's order (the N-Quads follow the N-Triples)."""
        spans = self.snapshot.spans
        return spans[name].order if spans[name].order is not None else spans["resolis.nt"].order  # type: ignore[return-value]

    def _position(self, name: str, subject: str, key) -> int:
        """Where the subject's block is, or would go, in the dump's order (``key``: its key)."""
        order, key_of = self._order(name), self._keys[name]
        return bisect_left(range(len(order)), key, key=lambda position: key_of(order[position]))

    def _span(self, name: str, position: int) -> tuple[int, int]:
        """The start and size of the block at this position of the old dump."""
        spans = self.snapshot.spans[name]
        starts = self._starts.get(name)
        if starts is None:
            starts = self._starts[name] = list(accumulate(spans.sizes, initial=0))
        return spans.head + starts[position] + position * spans.gap, spans.sizes[position]

    def _old_block(self, subject: str) -> dict[str, list[str]]:
        start, size = self._span("resolis.nt", self._position("resolis.nt", subject, subject))
        text = self.old["resolis.nt"][start : start + size].decode("utf-8")
        block: dict[str, list[str]] = {}
        for line in text.splitlines():
            s, p, o = line[:-2].split(" ", 2)
            block.setdefault(p, []).append(o)
        return block

    def _mapped(self, path: Path, files: ExitStack) -> mmap.mmap:
        """The file's bytes, mapped: they stay readable after the new file replaces it."""
        stack = self.old_stacks[path.name] = files.enter_context(ExitStack())
        stream = self.old_files[path.name] = stack.enter_context(open(path, "rb"))
        return stack.enter_context(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))

    def _let_go(self, name: str) -> None:
        """Close an old dump, in the closer's thread, once nothing reads it any more."""
        self.closer.submit(self.old_stacks[name].close)

    # -- validation -------------------------------------------------------------------------------

    def _validation(self, changes: list[_Change], blocks: dict[str, dict[str, list[str]]]) -> Validation:
        """The previous validation, with the results on the changed reports' own nodes found again
        on their part of the graph (the nodes they reach): no other node reaches what changed."""
        snapshot = self.snapshot
        results = list(snapshot.validation.get().results)
        summaries = list(snapshot.validation.get().reports)
        for change in changes:
            document = change.new.mapped.document  # type: ignore[union-attr]
            closure, triples = self._reach(document, blocks)
            part = TripleIndex(triples, self.base)
            own = {node for node in closure if node in part.spo and self._owned_by(node, change.number)}
            own_new = {s for s in self.new if self.owner[s] == change.number}
            if not own_new <= closure or closure - self.new != self._reach(document, self.old_blocks)[0] - self.gone:
                raise _NotPatchable(f"{change.name}: what the report reaches changed (its N-Quads graph)")
            locator = Locator(part, {document: closure}, {node: [document] for node in own})
            found = [r for raw in raw_results(part) if f"<{raw[2]}>" in own for r in locator.locate(raw)]
            results = [r for r in results if f"<{r.focus}>" not in own] + found
            iri = document[1:-1]
            summaries = [summary(part, URIRef(iri), locator) if s.report == iri else s for s in summaries]
        return counted(sorted(results, key=result_order), summaries)

    def _owned_by(self, node: str, report: int) -> bool:
        if node in self.new:
            return self.owner[node] == report
        return self.snapshot.graphs[self._number(node)] == report

    def _reach(self, document: str, changed: dict[str, dict[str, list[str]]]) -> tuple[set[str], list[Triple]]:
        """What a report reaches (as closures.report_closures walks it) and their statements:
        those of the changed subjects from ``changed`` (after the change, or before), the others
        from the old N-Triples."""
        documents = set(self.snapshot.documents)
        closure, triples, todo = {document}, [], [document]
        while todo:
            node = todo.pop()
            block = changed.get(node)
            if block is None:  # unchanged; {} for an IRI nothing describes
                block = self._old_block(node) if self._known(node) else {}
            for p, objects in block.items():
                for o in objects:
                    triples.append((node, p, o))
                    if o[0] == "<" and o not in closure and o not in documents:
                        closure.add(o)
                        todo.append(o)
        return closure, triples

    # -- VoID ---------------------------------------------------------------------------------------

    def _void_counts(self, blocks: dict[str, dict[str, list[str]]]) -> VoidCounts:
        """VoID's counts after the change. An object the change touches is in the graph before
        (after) when the changed subjects hold it before (after), or when another statement
        does: the snapshot's keys say when none can, the N-Triples file answers otherwise."""
        counts = replace(self.snapshot.void_counts)
        counts.triples += len(self.added) - len(self.removed)
        counts.subjects += len(self.new) - len(self.gone)
        in_space = f"<{self.base}"
        counts.entities += sum(s.startswith(in_space) for s in self.new) - sum(s.startswith(in_space) for s in self.gone)
        counts.classes = dict(counts.classes)
        for sign, triples in ((1, self.added), (-1, self.removed)):
            for _, p, o in triples:
                if p == _TYPE:
                    counts.classes[URIRef(o[1:-1])] += sign
        for o in {o for _, _, o in self.removed} | {o for _, _, o in self.added}:
            before = sum(objects.count(o) for block in self.old_blocks.values() for objects in block.values())
            after = any(o in objects for block in blocks.values() for objects in block.values())
            outside = self._occurrences(o) > before and self._found_outside(o)
            counts.objects += (outside or after) - (outside or before > 0)
        return counts

    def _occurrences(self, obj: str) -> int:
        """How many statements' objects have the object's key: at least how many have it."""
        keys, key = self.snapshot.object_keys, object_key(f"{obj} .\n".encode())
        start = end = bisect_left(keys, key)
        while end < len(keys) and keys[end] == key:
            end += 1
        return end - start

    def _found_outside(self, obj: str) -> bool:
        """Whether a line of the old N-Triples outside the changed subjects ends with the object
        (a line's object is all that follows a space and ends it: a literal holds no newline and
        escapes its quotes)."""
        needle = f" {obj} .\n".encode()
        data = self.old["resolis.nt"]
        changed = [self._span("resolis.nt", self._position("resolis.nt", s, s)) for s, old in self.old_blocks.items() if old]
        at = data.find(needle)
        while at >= 0:
            if not any(start <= at < start + size for start, size in changed):
                return True
            at = data.find(needle, at + 1)
        return False

    # -- writing --------------------------------------------------------------------------------

    def _write_dumps(self, blocks: dict[str, dict[str, list[str]]], meanwhile: Callable[[], T]) -> tuple[list[Dump], T]:
        """Every dump written again, and what ``meanwhile`` gives, called while they are."""
        snapshot = self.snapshot
        prefixes, context = turtle_prefixes(self.base), jsonld_context()
        live = {s: block for s, block in blocks.items() if block}
        graph_of = {s: snapshot.documents[self.owner[s]] for s in live}
        nt = {s: subject_lines(s, block) for s, block in live.items()}
        texts = {
            "resolis.nt": {s: lines.encode("utf-8") for s, lines in nt.items()},
            "resolis.nq": {s: quad_lines(lines, graph_of[s]).encode("utf-8") for s, lines in nt.items()},
            "resolis.ttl": self._rendered(live, lambda spo, layout: turtle_chunks(spo, prefixes, layout=layout), True),
            "resolis.jsonld": self._rendered(live, lambda spo, layout: jsonld_chunks(spo, context, layout=layout)),
        }
        self.edits = {name: self._edits(name, texts[name]) for name in texts}
        self._texts = texts
        # Copying, hashing, gzipping and writing release Python's lock: the dumps are written and
        # hashed side by side, each dump's hash apart from its writing (the largest, the
        # N-Triples, would otherwise take the two in turn while the other CPU waits).
        with ThreadPoolExecutor(max_workers=4) as pool:
            formats = {"resolis.nt": "nt", "resolis.jsonld": "json-ld", "resolis.ttl": "turtle"}
            hashes, sizes = {}, {}
            for name in formats:  # the largest first; each dump's two tasks together, so that it is let go early
                hashes[name], sizes[name] = pool.submit(self._hash, name), pool.submit(self._splice, name)
            gzipped = [pool.submit(self._members, name, format_) for name, format_ in (("resolis.nt", "nt"), ("resolis.nq", "nquads"))]
            done_meanwhile = meanwhile()
            plain = {}
            for name in ("resolis.jsonld", "resolis.ttl", "resolis.nt"):
                plain[name] = Dump(name, formats[name], sizes[name].result(), hashes[name].result())
                if name != "resolis.nt":  # read by those two tasks only (the N-Triples: see _patch)
                    self._let_go(name)
            dumps = [plain["resolis.ttl"], plain["resolis.jsonld"], plain["resolis.nt"], *(f.result() for f in gzipped)]
            return dumps, done_meanwhile

    def _members(self, name: str, format_: str) -> Dump:
        """The gzipped dump again: its members that hold no change copied, the others (the runs
        of them, cut again by subject, see dump_writers.starts_member) gzipped anew."""
        spans, snapshot = self.snapshot.spans[name], self.snapshot
        path = self.out_dir / f"{name}.gz" if name == "resolis.nt" else self.out_dir / "resolis.nq.gz"
        firsts = [self._position("resolis.nt", first, first) for first in snapshot.member_firsts]
        offsets = list(accumulate(spans.members, initial=0))
        old = path.read_bytes()
        count = len(spans.sizes)
        touched = set()
        for edit in self.edits[name]:
            member = bisect_right(firsts, min(edit.position, count - 1)) - 1
            touched.add(member)
            if member and edit.position == firsts[member]:  # a new or gone first block: the member before too
                touched.add(member - 1)
        with atomic_stream(path) as stream:
            writer = MeasuredWriter(stream)
            at = 0
            replaced = []
            for first, last in _runs(sorted(touched)):
                writer.write(old[offsets[at] : offsets[first]])
                members = self._members_again(name, old[offsets[first] : offsets[last + 1]], firsts, first, last)
                for _, data in members:
                    writer.write(data)
                replaced.append((first, last, members))
                at = last + 1
            writer.write(old[offsets[at] :])
        self.new_members[name] = replaced
        return Dump(path.name, format_, writer.size, writer.sha256, compressed=True)

    def _members_again(self, name: str, zipped: bytes, firsts: list[int], first: int, last: int) -> list[tuple[str, bytes]]:
        """Members ``first`` to ``last`` of the dump's gzip with the changes, cut again by subject
        and gzipped: (the subject each begins with, its bytes)."""
        sizes, subjects, order = self.snapshot.spans[name].sizes, self.snapshot.subjects, self._order(name)
        count = len(sizes)
        begin, end = firsts[first], firsts[last + 1] if last + 1 < len(firsts) else count
        raw_start = self._span(name, begin)[0]
        if name == "resolis.nt":  # its plain copy is there to read
            raw_end = self._span(name, end)[0] if end < count else len(self.old[name])
            raw: bytes | memoryview = memoryview(self.old[name])[raw_start:raw_end]
        else:
            raw = igzip.decompress(zipped)
        texts = self._texts[name]
        edits = [edit for edit in self.edits[name] if begin <= min(edit.position, count - 1) < end]
        pieces, at = [], 0
        for edit in edits:
            pieces += [raw[at : edit.start - raw_start], edit.data]
            at = edit.end - raw_start
        pieces.append(raw[at:])
        data = b"".join(pieces)
        blocks = [(s, len(texts[s]) if s in texts else sizes[p]) for p in range(begin, end)
                  if (s := subjects[order[p]]) not in self.gone]
        blocks += [(edit.subject, len(edit.data)) for edit in edits if edit.subject in self.new]
        blocks.sort()
        if sum(size for _, size in blocks) != len(data):
            raise _NotPatchable(f"the gzip members of {name} do not add up (cannot happen; a full build is always right)")
        members, cut, offset, head = [], 0, 0, blocks[0][0] if blocks else ""
        for subject, size in blocks:
            if offset and starts_member(subject):
                members.append((head, gzip_bytes(data[cut:offset])))
                cut, head = offset, subject
            offset += size
        members.append((head, gzip_bytes(data[cut:offset])))
        return members

    def _edits(self, name: str, texts: dict[str, bytes]) -> list[Edit]:
        """Each range of the old file and what replaces it, sorted.
        A new block goes before the block it precedes, with a separator after it (at the end,
        before it); a block that is gone takes the separator after it (the last, the one before)."""
        spans = self.snapshot.spans[name]
        count = len(spans.sizes)
        sep = b"" if not spans.gap else self.separators[name]

        def end(position: int) -> int:
            start, size = self._span(name, position)
            return start + size

        edits = []
        for s in self.old_blocks:
            data = texts.get(s)
            if s in self.new:
                key = self._new_key(name, s)
                position = self._position(name, s, key)
                if position < count:
                    at = self._span(name, position)[0]
                    edits.append(Edit(at, at, key, data + sep, position, s))
                else:
                    edits.append(Edit(end(count - 1), end(count - 1), key, sep + data, position, s))
                continue
            position = self._position(name, s, self._keys[name](self._number(s)))
            start, size = self._span(name, position)
            if data is not None:
                edits.append(Edit(start, start + size, 0, data, position, s))
            elif position + 1 < count:
                edits.append(Edit(start, self._span(name, position + 1)[0], 0, b"", position, s))
            else:
                edits.append(Edit(end(position - 1), start + size, 0, b"", position, s))
        edits.sort(key=lambda edit: edit[:3])  # new blocks at one place: in the dump's order
        return edits

    def _new_key(self, name: str, subject: str):
        if name == "resolis.ttl":
            return (1, sum(o == subject for _, _, o in self.added), subject[1:-1])
        if name == "resolis.jsonld":
            return (compaction_rules(jsonld_context()).shrink_iri(subject[1:-1]), subject)
        return subject

    def _rendered(self, blocks: dict[str, dict[str, list[str]]], chunks, turtle: bool = False) -> dict[str, bytes]:
        """Each changed subject's block as the writer writes it in the whole graph."""
        found = {}
        for s, block in blocks.items():
            layout = Layout()
            data = b"".join(chunks({s: block}, layout))
            if layout.subjects != [s]:
                raise _NotPatchable(f"{s} would not be one block of its own (JSON-LD node ids that merge)")
            if turtle:
                self.used |= set(_declared(data[: layout.head].decode()))
            found[s] = data[layout.head : layout.head + layout.sizes[0]]
        if turtle:
            for s, old in self.old_blocks.items():
                if old:
                    layout = Layout()
                    self.used_before |= set(_declared(b"".join(chunks({s: old}, layout))[: layout.head].decode()))
            if not self.used_before <= self.used <= self.snapshot.turtle_prefixes:
                raise _NotPatchable("the Turtle dump's @prefix lines would change")
        return found

    def _pieces(self, name: str) -> Iterator[bytes | memoryview]:
        """The new dump, a piece at a time: the old bytes, the changed blocks in their place."""
        with memoryview(self.old[name]) as view:
            at = 0
            for edit in self.edits[name]:
                yield view[at : edit.start]
                yield edit.data
                at = edit.end
            yield view[at:]

    def _splice(self, name: str) -> int:
        """Write the dump again, the old bytes copied file to file; its size."""
        old, at = self.old_files[name], 0
        with atomic_stream(self.out_dir / name) as stream:
            for edit in self.edits[name]:
                copy_range(old, at, edit.start, stream)
                stream.write(edit.data)
                at = edit.end
            copy_range(old, at, len(self.old[name]), stream)
            return stream.tell()

    def _hash(self, name: str) -> str:
        """The new dump's SHA-256."""
        digest = hashlib.sha256()
        for piece in self._pieces(name):
            digest.update(piece)
        return digest.hexdigest()

    # -- the next snapshot ----------------------------------------------------------------------

    def _save(self, changes: list[_Change], validation: Validation, counts: VoidCounts, outcomes: list[Outcome],
              written: list[tuple[Path, int]]) -> None:
        """The snapshot of the outputs just written: the blocks' sizes and places, the subjects,
        the counts, the validation. A new subject takes the next number; a gone one leaves its
        number unused: no other changes."""
        snapshot, blocks, texts = self.snapshot, self.blocks, self._texts
        stay = [s for s in self.old_blocks if s not in self.new]
        gone_numbers = {s: self._number(s) for s in self.gone}
        positions = {name: {s: self._position(name, s, self._keys[name](self._number(s))) for s in stay}
                     for name in LAYOUTS}
        for name in LAYOUTS:  # before any order changes: the N-Quads follow the N-Triples' order
            spans, at = snapshot.spans[name], positions[name]
            for s in stay:
                if blocks[s]:
                    spans.sizes[at[s]] = len(texts[name][s])
            for s in sorted(self.gone, key=at.__getitem__, reverse=True):
                del spans.sizes[at[s]]
        for name in LAYOUTS:
            if snapshot.spans[name].order is not None:
                for s in sorted(self.gone, key=positions[name].__getitem__, reverse=True):
                    del snapshot.spans[name].order[positions[name][s]]  # type: ignore[union-attr]
        for s in self.gone:
            snapshot.subjects[gone_numbers[s]] = ""  # its number stays unused
        for s in sorted(self.new):
            snapshot.subjects.append(s)
            snapshot.graphs.append(self.owner[s])
            snapshot.refs.append(sum(o == s for _, _, o in self.added))
            number = len(snapshot.subjects) - 1
            for name in ("resolis.ttl", "resolis.jsonld", "resolis.nt"):
                spans = snapshot.spans[name]
                position = self._position(name, s, self._keys[name](number))
                if name == "resolis.nt":
                    snapshot.spans["resolis.nq"].sizes.insert(position, len(texts["resolis.nq"][s]))
                spans.order.insert(position, number)  # type: ignore[union-attr]
                spans.sizes.insert(position, len(texts[name][s]))
        for name, replaced in self.new_members.items():  # the members gzipped again
            spans, firsts = snapshot.spans[name], list(snapshot.member_firsts)
            sizes = list(spans.members)  # type: ignore[arg-type]
            for first, last, members in reversed(replaced):
                firsts[first : last + 1] = [head for head, _ in members]
                sizes[first : last + 1] = [len(data) for _, data in members]
            spans.members = array("q", sizes)
        snapshot.member_firsts = firsts
        keys = snapshot.object_keys
        for _, _, o in self.removed:
            del keys[bisect_left(keys, object_key(f"{o} .\n".encode()))]
        for _, _, o in self.added:
            insort(keys, object_key(f"{o} .\n".encode()))
        snapshot.predicates.update(p for _, p, _ in self.added)
        snapshot.predicates.subtract(p for _, p, _ in self.removed)
        for change in changes:
            snapshot.inputs[change.name] = change.key
        snapshot.input_stats, snapshot.started = self.stats, self.started
        snapshot.outcomes = self.packed_outcomes
        snapshot.validation = self.packed_validation
        snapshot.void_counts = counts
        snapshot.outputs = {path.name: _stamp(path) for path, _ in written}
        save(snapshot, self.cache_dir, self.out_dir)


def _runs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each run of consecutive numbers in a sorted list."""
    start = None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            yield start, number
            start = None
