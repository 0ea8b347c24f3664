"""What a build leaves in its cache for the next one: enough to patch its outputs in place.

Rebuilding 10,000 reports because one changed would redo a minute of work for a few hundred
bytes of difference. A full build therefore records, beside its outputs, where each subject's
statements lie in every dump (``layout``), which report each subject belongs to, a few counts of
the whole graph, and its validation; ``patch`` uses them to rewrite only what an edit changed.
A snapshot is tied to one output directory and to everything else that decides the bytes (the
tool's code and data, the options): when any of them differs, or an output was touched since, it
is not used. It is one pickle, written atomically; one that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import threading
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from . import __version__
from .batch import Outcome
from .catalog import CatalogFacts, VoidCounts
from .errors import OutputError
from .files import write_atomic
from .resources import resource
from .validate import Validation

FORMAT = 1


T = TypeVar("T")


class Packed(Generic[T]):
    """A value of the snapshot kept pickled until asked for (``get``), and pickled ahead of the
    save (``pack``): both can then run in a thread while the dumps are written, rather than
    hold up the start or the end of a patched build."""

    def __init__(self, value: T) -> None:
        self._value: T | None = value
        self._blob: bytes | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = pickle.loads(self._blob)  # type: ignore[arg-type]
            return self._value

    def pack(self) -> None:
        with self._lock:
            if self._blob is None:
                self._blob = pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)

    def __getstate__(self) -> bytes:
        self.pack()
        return self._blob  # type: ignore[return-value]

    def __setstate__(self, blob: bytes) -> None:
        self._value, self._blob, self._lock = None, blob, threading.Lock()


@dataclass
class Spans:
    """The blocks of one dump: each one's size in the file's order, the number of the subject of
    each (None: the N-Triples order, for the N-Quads), the bytes before the first block and
    between two."""

    sizes: array
    order: array | None
    head: int
    gap: int
    members: array | None = None  # the sizes of the gzip members of its gzipped copy, if any


@dataclass
class Snapshot:
    key: str  # the fingerprint of what decides the bytes (see ``fingerprint``)
    inputs: dict[str, str]  # file name -> cache key of its content
    input_stats: dict[str, tuple[int, int] | None]  # file name -> (size, mtime_ns) when read
    started: int  # when the build began (ns since the epoch): a file changed since then is read again
    outcomes: Packed[list[Outcome]]  # in input order, their triples let go
    slugs: Counter[str]  # how many reports have each title's slug (twins get IRIs of their own)
    outputs: dict[str, tuple[int, int]]  # file name -> (size, mtime_ns) as written
    subjects: list[str]  # by number: sorted at first, then each new one at the end ("": gone)
    graphs: array  # subject number -> number of the report whose N-Quads graph holds it, -1: shared
    refs: array  # subject number -> how many triples have it as object (Turtle's order)
    turtle_classes: int  # how many subjects, typed rdfs:Class, come first in Turtle
    documents: list[str]  # report number -> its IRI (N-Triples)
    shared_subjects: set[str]  # subjects given triples by more than one report (or the collection)
    spans: dict[str, Spans]  # "resolis.ttl", "resolis.jsonld", "resolis.nt", "resolis.nq"
    member_firsts: list[str]  # the subject each member of resolis.nt.gz and resolis.nq.gz begins with
    turtle_prefixes: frozenset[str]  # the prefixes resolis.ttl declares
    object_keys: array  # ``object_key`` of each triple's object, sorted (see ``sort_keys``)
    predicates: Counter[str]  # triples per predicate
    void_counts: VoidCounts
    catalog_facts: CatalogFacts
    validation: Packed[Validation]
    unowned_targets: bool  # a shape targets a node no report reaches (patching could miss it)

    def sort_keys(self) -> None:
        """Sort the objects' keys, as a patch looks them up: done by the build once the JSON-LD
        child has ended, as it takes a list of millions of ints for a moment."""
        self.object_keys = array("I", sorted(self.object_keys))

    def __getstate__(self) -> dict:
        # Hundreds of thousands of subjects pickle and load faster as one string (an IRI holds
        # no newline).
        return {**vars(self), "subjects": "\n".join(self.subjects)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, subjects=state["subjects"].split("\n") if state["subjects"] else [])


def object_key(term: bytes) -> int:
    """A short key of an object's N-Triples form followed by " .\\n" (as it ends its line): the
    snapshot keeps one per triple, to tell cheaply whether an object still occurs elsewhere."""
    return zlib.crc32(term)


def fingerprint(out_dir: Path, base: str, aliases: str, public_url: str, modified: date | None) -> str:
    """Everything beside the reports that decides a build's bytes: the tool's code and data, the
    options, and the output directory the snapshot describes."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{__version__}\0{out_dir.resolve()}\0{base}\0{aliases}\0{public_url}\0{modified}\0".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for folder in ("ontology", "shapes"):
        for path in sorted(resource(folder, "").iterdir()):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def snapshot_path(cache_dir: Path, out_dir: Path) -> Path:
    name = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "snapshots" / f"{name}.snapshot"


def save(snapshot: Snapshot, cache_dir: Path, out_dir: Path) -> None:
    """Keep the snapshot; a cache that cannot be written only costs the next build time."""
    try:
        write_atomic(snapshot_path(cache_dir, out_dir), pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
    except OutputError:
        pass


class Unusable(Exception):
    """The snapshot does not describe the outputs; its message says why (for ``build -v``)."""


def load(cache_dir: Path, out_dir: Path, key: str) -> Snapshot:
    """The snapshot of ``out_dir``, when it was made with the same ``key`` and every output is as
    it wrote it (same size and modification time); else raises ``Unusable``."""
    path = snapshot_path(cache_dir, out_dir)
    try:
        snapshot = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        raise Unusable(f"no snapshot of {out_dir} in the cache yet") from None
    except Exception:  # noqa: BLE001 - damaged, or of another version
        raise Unusable(f"the snapshot {path} is damaged or of another version") from None
    if not isinstance(snapshot, Snapshot) or snapshot.key != key:
        raise Unusable("the last build into this directory had other options, data or resolis-ld")
    for name, (size, mtime) in snapshot.outputs.items():
        try:
            stat = (out_dir / name).stat()
        except OSError:
            raise Unusable(f"{out_dir / name} is gone since the last build wrote it") from None
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            raise Unusable(f"{out_dir / name} changed since the last build wrote it")
    return snapshot


def discard(cache_dir: Path, out_dir: Path) -> None:
    """Forget the snapshot (before outputs it describes are replaced)."""
    with contextlib.suppress(OSError):  # one left behind no longer matches the outputs anyway
        snapshot_path(cache_dir, out_dir).unlink(missing_ok=True)
