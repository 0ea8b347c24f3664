"""A whole collection -> N-Triples strings, fast: worker processes and a per-report cache.

This is the build's conversion. Each report file is read, parsed and mapped on its own, in a
pool of worker processes, and what comes back is small and cheap to send (strings); a report
whose bytes, file name and conversion settings were seen before is taken from the cache instead.
The outcome does not depend on the number of workers nor on the cache: each report is mapped
alone, then the few steps that need the whole collection run here, in input order (programme
slugs that collide, the dataset node, the concept schemes).
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .aliases import AliasTable
from .concepts import ConceptIndex, load_concepts
from .errors import InputError
from .fetch import Fetcher
from .files import write_atomic
from .mapping import MappedReport, Unreconciled, collection_triples, renamed, triples_from_report
from .model import ParseWarning, Report
from .namespaces import DEFAULT_BASE
from .ntriples import Triple
from .parse import parse_report
from .pipeline import STDIN, Input, expand_inputs
from .remote import read_url
from .resources import resource
from .text import slugify

CHUNK = 25  # reports per task sent to a worker: enough to make the sending cheap
Progress = Callable[[int, int], None]  # (reports done, reports in all)


@dataclass
class Outcome:
    """What became of one input: its report's triples, or its error."""

    name: str
    mapped: MappedReport | None = None
    title: str = ""
    language: str = ""
    sha256: str = ""
    warnings: list[ParseWarning] = field(default_factory=list)
    error: InputError | None = None
    report: Report | None = None  # kept for URLs only, which cannot be read again cheaply
    key: str = ""  # the cache key of its bytes and settings (see cache_key)


@dataclass
class Collection:
    """A converted collection: the triples of every report that could be read, and the rest."""

    outcomes: list[Outcome]
    triples: list[Triple]
    unreconciled: list[Unreconciled]

    @property
    def reports(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.mapped is not None]

    @property
    def warnings(self) -> list[ParseWarning]:
        return [w for o in self.outcomes for w in o.warnings]

    @property
    def errors(self) -> list[InputError]:
        return [o.error for o in self.outcomes if o.error is not None]

    def release_triples(self) -> None:
        """Let go of the triples once an index holds them: the tuples of 10,000 reports alone
        take some 150 MB."""
        self.triples = []
        for outcome in self.reports:
            outcome.mapped.triples = []  # type: ignore[union-attr]


@dataclass(frozen=True)
class Settings:
    """What, beside a report's bytes and name, decides its triples: the cache key's other half."""

    base: str
    aliases: AliasTable
    cache_dir: Path | None

    def key(self) -> bytes:
        digest = hashlib.sha256()
        digest.update(f"{__version__}\0{self.base}\0".encode())
        for name in ("resolis.ttl", "concepts.ttl"):
            digest.update(resource("ontology", name).read_bytes())
        digest.update(self.aliases.fingerprint().encode())
        for module in ("parse", "values", "labels", "mapping", "sourcemap", "text", "decode", "concepts", "ntriples"):
            digest.update((Path(__file__).parent / f"{module}.py").read_bytes())
        return digest.digest()


# -- one report (in a worker) -------------------------------------------------------------------


_WORKER: tuple[Settings, bytes, ConceptIndex] | None = None  # set once per process


def _setup(settings: Settings) -> None:
    global _WORKER
    _WORKER = (settings, settings.key(), load_concepts())


def _cache_path(settings: Settings, key: str) -> Path | None:
    return settings.cache_dir / key[:2] / f"{key}.pickle" if settings.cache_dir else None


def cache_key(context: bytes, name: str, data: bytes) -> str:
    return hashlib.sha256(context + name.encode() + b"\0" + data).hexdigest()


def cached(settings: Settings, key: str) -> Outcome | None:
    """The outcome kept under ``key``, or None (none kept, or a damaged entry)."""
    path = _cache_path(settings, key)
    if path is None or not path.is_file():
        return None
    try:
        outcome = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - a damaged entry is converted again and replaced
        return None
    outcome.key = key
    return outcome


def keep(settings: Settings, outcome: Outcome, packed: bytes | None = None) -> None:
    """Keep a converted report (not an error) in the cache under its key (``packed``: the
    outcome already pickled)."""
    path = _cache_path(settings, outcome.key)
    if path is not None and outcome.error is None:
        try:
            write_atomic(path, packed or _pack(outcome))
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            pass


def _pack(outcome: Outcome) -> bytes:
    return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)


def convert_file(name: str) -> Outcome:
    """Read, parse and map one report file as if its programme slug were its title's, and keep
    the outcome in the cache."""
    assert _WORKER is not None
    settings, context, _ = _WORKER
    try:
        data = Input(name).read()
    except InputError as error:
        return Outcome(name, error=error)
    key = cache_key(context, name, data)
    outcome = cached(settings, key)
    if outcome is not None:
        return outcome
    return _fresh(name, data, key, pack=False)[0]


def _packed_file(name: str) -> bytes:
    """A file the parent found no cache entry for (see ``_run``), converted and pickled once: a
    worker sends its parent the very bytes the cache keeps."""
    assert _WORKER is not None
    _, context, _ = _WORKER
    try:
        data = Input(name).read()
    except InputError as error:
        return _pack(Outcome(name, error=error))
    return _fresh(name, data, cache_key(context, name, data), pack=True)[1]


def _fresh(name: str, data: bytes, key: str, pack: bool) -> tuple[Outcome, bytes]:
    """A report converted and kept in the cache; pickled (once) when ``pack`` or the cache asks."""
    assert _WORKER is not None
    settings, _, concepts = _WORKER
    outcome = convert_bytes(name, data, settings, concepts)
    outcome.key = key
    packed = _pack(outcome) if pack or settings.cache_dir is not None else b""
    keep(settings, outcome, packed)
    return outcome, packed


def _from_cache(name: str) -> Outcome | None:
    """The cached outcome of a file, read here: a worker would load it only to pickle it again
    for this process (three times the work of one ``pickle.loads``)."""
    assert _WORKER is not None
    settings, context, _ = _WORKER
    if settings.cache_dir is None:
        return None
    try:
        data = Input(name).read()
    except InputError:
        return None  # the worker reports it
    return cached(settings, cache_key(context, name, data))


def convert_bytes(name: str, data: bytes, settings: Settings, concepts: ConceptIndex) -> Outcome:
    try:
        parsed = parse_report(data, name, concepts)
    except InputError as error:
        return Outcome(name, error=error)
    return _outcome(name, parsed.report, list(parsed.warnings), settings, concepts)


def _outcome(name: str, report: Report, warnings: list[ParseWarning], settings: Settings,
             concepts: ConceptIndex, slug: str | None = None) -> Outcome:
    mapped = triples_from_report(report, slug or slugify(report.title.value), concepts, settings.aliases, settings.base)
    sha256 = report.source.sha256 if report.source else ""
    return Outcome(name, mapped, report.title.value, report.language, sha256, warnings)


def remap_file(name: str, slug: str, base: str, aliases: AliasTable) -> Outcome:
    """Convert one report file again with the programme slug given (for merge, where a title
    turns out to be shared with a report of another shard)."""
    concepts = load_concepts()
    parsed = parse_report(Input(name).read(), name, concepts)
    return _outcome(name, parsed.report, list(parsed.warnings), Settings(base, aliases, None), concepts, slug)


def _convert_chunk(names: list[str]) -> list[Outcome]:
    return [convert_file(name) for name in names]


def _convert_packed_chunk(names: list[str]) -> list[bytes]:
    return [_packed_file(name) for name in names]


# -- the collection ---------------------------------------------------------------------------


def in_shard(name: str, shard: tuple[int, int] | None) -> bool:
    """Whether an input belongs to shard K of N (K from 1): by a hash of its file name, so a
    file stays in its shard whatever the other files are."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(os.path.basename(name).encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def convert_collection(
    names: list[str],
    base: str = DEFAULT_BASE,
    aliases: AliasTable | None = None,
    fetcher: Fetcher | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    shard: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> Collection:
    """Convert every input (files and directories in ``jobs`` processes, URLs and stdin here)
    into one collection; ``cache_dir`` None converts everything again."""
    settings = Settings(base, aliases or AliasTable(), cache_dir)
    inputs = [item for item in expand_inputs(names) if isinstance(item, InputError) or in_shard(item.name, shard)]
    files = [item.name for item in inputs if isinstance(item, Input) and not item.is_url and item.name != STDIN]
    _setup(settings)
    assert _WORKER is not None
    concepts = _WORKER[2]
    done = {outcome.name: outcome for outcome in _run(files, settings, jobs, progress)}
    outcomes = []
    for item in inputs:
        if isinstance(item, InputError):
            outcomes.append(Outcome(item.path or "", error=item))
        elif item.name in done:
            outcomes.append(done[item.name])
        elif item.is_url:
            outcomes.append(_convert_url(item.name, fetcher or Fetcher(), settings, concepts))
        else:
            outcomes.append(convert_file(item.name))
    _separate_colliding_slugs(outcomes, settings.base)
    return _collect(outcomes, settings, concepts)


def _run(files: list[str], settings: Settings, jobs: int, progress: Progress | None) -> list[Outcome]:
    """The outcome of each file, in order: cached ones read here, the others converted by
    ``jobs`` worker processes (here when one is enough)."""
    found = [_from_cache(name) for name in files]
    todo = [name for name, outcome in zip(files, found) if outcome is None]
    converted = iter(_convert(todo, settings, jobs, progress, len(files) - len(todo), len(files)))
    return [outcome if outcome is not None else next(converted) for outcome in found]


def _convert(files: list[str], settings: Settings, jobs: int, progress: Progress | None, done: int,
             total: int) -> list[Outcome]:
    chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]
    if progress:
        progress(done, total)
    if jobs <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _gather(map(_convert_chunk, chunks), progress, done, total)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_setup, initargs=(settings,)) as pool:
        packed = pool.map(_convert_packed_chunk, chunks)
        return _gather((list(map(pickle.loads, chunk)) for chunk in packed), progress, done, total)


def _gather(results: Iterable[list[Outcome]], progress: Progress | None, done: int, total: int) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for result in results:
        outcomes += result
        if progress:
            progress(done + len(outcomes), total)
    return outcomes


def _convert_url(url: str, fetcher: Fetcher, settings: Settings, concepts: ConceptIndex) -> Outcome:
    try:
        parsed = read_url(url, fetcher, concepts)
    except InputError as error:
        return Outcome(url, error=error)
    outcome = _outcome(url, parsed.report, list(parsed.warnings), settings, concepts)
    outcome.report = parsed.report
    return outcome


def _separate_colliding_slugs(outcomes: list[Outcome], base: str) -> None:
    """Reports whose titles give the same slug get their hash appended to it (the rule of
    mapping.programme_slugs), here, where all the titles are known. Their triples are renamed,
    not mapped again: a tenth of the time, and a generated corpus has thousands of such twins."""
    taken = Counter(slugify(o.title) for o in outcomes if o.mapped is not None)
    for index, outcome in enumerate(outcomes):
        slug = slugify(outcome.title)
        if outcome.mapped is None or taken[slug] < 2:
            continue
        mapped = renamed(outcome.mapped, slug, f"{slug}-{outcome.sha256[:8]}", base)
        outcomes[index] = dataclasses.replace(outcome, mapped=mapped)


def _collect(outcomes: list[Outcome], settings: Settings, concepts: ConceptIndex) -> Collection:
    triples: list[Triple] = []
    unreconciled: list[Unreconciled] = []
    schemes: set[str] = set()
    documents = []
    for outcome in outcomes:
        if outcome.mapped is not None:
            triples += outcome.mapped.triples
            unreconciled += outcome.mapped.unreconciled
            schemes |= outcome.mapped.schemes
            documents.append(outcome.mapped.document)
    triples += collection_triples(settings.base, documents, concepts, schemes)
    unreconciled = sorted(set(unreconciled), key=lambda u: (u.programme, u.role, u.name, u.line))
    return Collection(outcomes, triples, unreconciled)
