"""``resolis-ld build``: convert a directory, validate it, write the dumps and their description.

The dumps are streamed into their files (dump_writers), the rest is computed in memory; each file
is written atomically, and the function returns what it wrote, so that the CLI only prints.
Every file is byte-stable: the same reports give the same bytes, whatever their order and the
number of processes, and no date comes from the clock.
"""

from __future__ import annotations

import gc
import gzip
import json
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from .aliases import AliasTable
from .attribution import licence_text
from .batch import Collection, Progress, convert_collection, remap_file
from . import snapshot
from .catalog import Quality, catalog_facts, catalog_graph, shared_graph, void_counts, void_graph
from .closures import graph_names, owners, report_closures
from .dump_writers import write_jsonld, write_jsonld_from, write_statements, write_turtle
from .errors import InputError
from .fetch import Fetcher
from .files import gzip_bytes, write_atomic
from .child_process import in_child
from .jsonld import jsonld_chunks
from .mapping import Unreconciled
from .namespaces import DEFAULT_BASE
from .patch import Recording, patched_build, shared_subjects, take_snapshot, unowned_targets
from .snapshot import fingerprint
from .ntriples import Triple, nt_term, quad_lines, subject_lines
from .resources import resource
from .serialize import jsonld_context, serialize
from .stopwatch import Stopwatch
from .text import slugify
from .triple_index import TripleIndex
from .turtle import turtle_chunks, turtle_prefixes
from .validate import Validation, report_turtle, validate_graph
from .validation_formats import format_json

DEFAULT_PUBLIC_URL = "https://w3id.org/resolis/dist/"
# Below this, JSON-LD is written here: starting a child interpreter (about a second) would cost
# more than it saves.
CHILD_MIN_TRIPLES = 100_000

# The dumps, in the order the catalogue lists them: (file name, format, gzipped). The plain
# resolis.nt stays beside its gzipped copy: the README and existing scripts read it.
DUMPS: list[tuple[str, str, bool]] = [
    ("resolis.ttl", "turtle", False),
    ("resolis.jsonld", "json-ld", False),
    ("resolis.nt", "nt", False),
    ("resolis.nt.gz", "nt", True),
    ("resolis.nq.gz", "nquads", True),
]


@dataclass
class Build:
    """What a build read, found and wrote (file paths and sizes, in the order written), and how
    long each stage took (wall and CPU seconds, for ``--timings`` and the benchmarks)."""

    conversion: Collection
    validation: Validation
    written: list[tuple[Path, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    triple_count: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # the CPU seconds of each stage (see Stopwatch)
    how: str = ""  # with a cache: that the last build's outputs were patched, or why they were not
    # The triples written, for a caller that goes on with them. Freeing them takes a second or
    # two on 10,000 reports, so the command line keeps them to its immediate end (cli.leave).
    index: TripleIndex | None = None


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """A build makes millions of tuples and strings, none in a cycle; Python's cyclic collector
    would walk them all again and again (a third of the time on 10,000 reports) for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def dump_bytes(data: Graph | TripleIndex, format_: str, base: str = DEFAULT_BASE) -> bytes:
    """The triples in one dump format, as a build writes them (N-Quads put each report in a named
    graph of its own): for tests and small graphs, a build streams them into their files."""
    data = TripleIndex.of(data)
    if format_ in ("nt", "nquads"):
        graphs = graph_names(data, nt_term(shared_graph(base)))
        lines = [subject_lines(s, data.spo[s]) for s in sorted(data.spo)]
        if format_ == "nt":
            return "".join(lines).encode("utf-8") or b"\n"
        return "".join(quad_lines(text, graphs[s]) for s, text in zip(sorted(data.spo), lines)).encode("utf-8")
    if format_ == "turtle":
        return b"".join(turtle_chunks(data.spo, turtle_prefixes(base)))
    if format_ == "json-ld":
        return b"".join(jsonld_chunks(data.spo, jsonld_context()))
    raise ValueError(f"unknown dump format {format_!r}")


def quality(validation: Validation) -> Quality | None:
    """The validation figures the catalogue publishes; none without a report to measure."""
    reports = validation.reports
    if not reports:
        return None
    return Quality(
        publishable_share=sum(r.publishable for r in reports) / len(reports),
        mean_completeness=sum(r.completeness for r in reports) / len(reports),
    )


def build(
    inputs: list[str],
    out_dir: Path,
    base: str = DEFAULT_BASE,
    aliases: AliasTable | None = None,
    public_url: str = DEFAULT_PUBLIC_URL,
    modified: date | None = None,
    fetcher: Fetcher | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    shard: tuple[int, int] | None = None,
) -> Build:
    """Convert and validate ``inputs``, then write the dumps, their catalogue and VoID
    description, the validation report and LICENSE.txt into ``out_dir``. With ``shard`` (K, N),
    only the K-th of N slices of the inputs, and only the N-Quads, the validation report of the
    slice and a manifest: ``merge`` makes the dumps of all the slices together."""
    watch = Stopwatch()
    started = time.time_ns()
    aliases = aliases or AliasTable()
    key = fingerprint(out_dir, base, aliases.fingerprint(), public_url, modified)
    snapshots = cache_dir if shard is None else None  # where the snapshot of this build is kept
    with _without_cyclic_gc():
        why_in_full = ""
        if snapshots is not None:
            patched = patched_build(inputs, out_dir, base, aliases, public_url, modified, snapshots, key)
            if not isinstance(patched, str):
                return patched
            why_in_full = f"built everything: {patched}"
            snapshot.discard(snapshots, out_dir)  # it will not describe the outputs written now
        collection = convert_collection(inputs, base, aliases, fetcher, jobs, cache_dir, shard, progress)
        watch.lap("parse_map")
        recording = Recording() if snapshots is not None else None
        shared = shared_subjects(collection) if recording else set()
        data = TripleIndex(collection.triples, base)
        collection.release_triples()
        watch.lap("index")
        if shard is not None:
            return _write_shard(collection, data, out_dir, base, aliases, shard, watch)
        result = write_outputs(collection, data, out_dir, base, public_url, modified, watch, jobs, recording)
        result.how = why_in_full
        if recording is not None and snapshots is not None:
            taken = take_snapshot(key, started, collection, shared, data, recording, result.validation, result.written, base)
            if taken is not None:
                taken.sort_keys()
                snapshot.save(taken, snapshots, out_dir)
            watch.lap("snapshot")
        return result


def write_outputs(
    collection: Collection, data: TripleIndex, out_dir: Path, base: str, public_url: str,
    modified: date | None, watch: Stopwatch, jobs: int = 1, recording: Recording | None = None,
) -> Build:
    """Validate the triples and write every file of a build (``build`` and ``merge``). With
    ``jobs`` > 1, JSON-LD is written by a child process meanwhile. ``recording`` receives what
    the build's snapshot keeps (see patch.py)."""
    closures = report_closures(data)  # the graph cut by report: for the N-Quads and the validation
    owned = owners(closures)
    graphs = graph_names(data, nt_term(shared_graph(base)), owned)
    watch.lap("nq")
    layouts = recording.layouts if recording else {}
    statement_layouts = (layouts["resolis.nt"], layouts["resolis.nq"]) if recording else None
    statement_dumps = write_statements(data, graphs, out_dir, watch, statement_layouts)
    if recording:
        recording.keep_graphs(graphs, sorted(closures))
    del graphs
    separate = jobs > 1 and len(data) >= CHILD_MIN_TRIPLES
    with in_child(write_jsonld_from, out_dir / "resolis.nt", out_dir, bool(recording), separate=separate) as jsonld:
        validation = validate_graph(data, closures, owned)
        if recording:
            recording.unowned_targets = unowned_targets(data, owned)
        del closures, owned
        watch.lap("validate")
        reports = {  # what needs no dump's size or hash is written while the child works
            "validation.ttl": report_turtle(validation, base),
            "validation.json": format_json(validation).encode("utf-8"),
            "LICENSE.txt": licence_text(data, [name for name, _, _ in DUMPS]).encode("utf-8"),
        }
        watch.lap("describe")
        counts = data.census  # what the writers must know before their first byte
        if recording:
            recording.references = counts.references
        turtle_dump = write_turtle(data, counts, out_dir, base, layouts.get("resolis.ttl"))
        watch.lap("turtle")
        # The catalogue's facts and VoID's counts need no dump: drawn while the child still writes.
        facts, counted = catalog_facts(data), void_counts(data, base)
        if recording:
            recording.catalog_facts, recording.void_counts = facts, counted
        watch.lap("describe")
        if separate:
            jsonld_dump, child_watch, jsonld_layout = jsonld.result()
            if recording and jsonld_layout is not None:
                recording.layouts["resolis.jsonld"] = jsonld_layout
            watch.lap("wait")
            watch.add(child_watch)
        else:
            jsonld_dump = write_jsonld(data, counts, out_dir, layouts.get("resolis.jsonld"))
            watch.lap("json-ld")
    document_dumps = [turtle_dump, jsonld_dump]
    dumps = document_dumps + statement_dumps  # the order of DUMPS, which the catalogue lists
    result = Build(collection, validation, timings=watch.timings, triple_count=len(data), cpu=watch.cpu, index=data)
    result.written = [(out_dir / dump.name, dump.size) for dump in dumps]
    catalog, result.warnings = catalog_graph(facts, dumps, quality(validation), base, public_url, modified)
    outputs = {
        "context.jsonld": resource("ontology", "context.jsonld").read_bytes(),
        "catalog.ttl": serialize(catalog, "turtle"),
        "void.ttl": serialize(void_graph(counted, dumps, base, public_url), "turtle"),
        **reports,
    }
    watch.lap("describe")
    return _write(result, out_dir, outputs, watch)


def _write(result: Build, out_dir: Path, outputs: dict[str, bytes], watch: Stopwatch) -> Build:
    for name, data in outputs.items():
        write_atomic(out_dir / name, data)
        result.written.append((out_dir / name, len(data)))
    watch.lap("write")
    return result


# -- shards -------------------------------------------------------------------------------------

SHARD_MANIFEST = "shard.json"


def _write_shard(collection: Collection, data: TripleIndex, out_dir: Path, base: str, aliases: AliasTable,
                 shard: tuple[int, int], watch: Stopwatch) -> Build:
    validation = validate_graph(data)
    watch.lap("validate")
    manifest = {
        "shard": list(shard), "base": base, "aliases": aliases.rows(),
        "reports": [
            {"name": o.name, "document": o.mapped.document[1:-1], "slug": slugify(o.title), "sha256": o.sha256}
            for o in collection.reports if o.mapped is not None
        ],
        "warnings": [str(w) for w in collection.warnings], "errors": [str(e) for e in collection.errors],
        "unreconciled": [vars(u) for u in collection.unreconciled],
    }
    outputs = {
        "resolis.nq.gz": gzip_bytes(dump_bytes(data, "nquads", base)),
        "validation.json": format_json(validation).encode("utf-8"),
        SHARD_MANIFEST: (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    }
    watch.lap("nq")
    result = Build(collection, validation, timings=watch.timings, triple_count=len(data), cpu=watch.cpu, index=data)
    return _write(result, out_dir, outputs, watch)


@dataclass
class ShardSummary:
    """What the shards of a merge say of their inputs (for the summary line)."""

    reports: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unreconciled: list[Unreconciled] = field(default_factory=list)


def merge(shard_dirs: list[Path], out_dir: Path, public_url: str = DEFAULT_PUBLIC_URL,
          modified: date | None = None, jobs: int = 1) -> tuple[Build, ShardSummary]:
    """The dumps of one build of all the inputs, from the outputs of ``build --shard K/N``."""
    with _without_cyclic_gc():
        return _merge(shard_dirs, out_dir, public_url, modified, jobs)


def _merge(shard_dirs: list[Path], out_dir: Path, public_url: str, modified: date | None,
           jobs: int) -> tuple[Build, ShardSummary]:
    watch = Stopwatch()
    summary = ShardSummary()
    manifests = [_read_manifest(directory) for directory in shard_dirs]
    _check_shards(manifests, shard_dirs)
    base = manifests[0]["base"] if manifests else DEFAULT_BASE
    aliases = AliasTable.from_rows(manifests[0]["aliases"]) if manifests else AliasTable()
    redo = _split_titles(manifests)
    triples: list[Triple] = []
    for directory, manifest in zip(shard_dirs, manifests):
        summary.reports += len(manifest["reports"])
        summary.warnings += manifest["warnings"]
        summary.errors += manifest["errors"]
        summary.unreconciled += [Unreconciled(**u) for u in manifest["unreconciled"]]
        stale = {f"<{report['document']}>" for report in manifest["reports"] if report["name"] in redo}
        triples += (
            triple for triple, graph in _read_quads(directory / "resolis.nq.gz")
            if graph not in stale and triple[2] not in stale
        )
    for name, slug in redo.items():  # a title another shard has too: the suffix one build gives
        outcome = remap_file(name, slug, base, aliases)
        assert outcome.mapped is not None
        triples += outcome.mapped.triples
        triples.append((nt_term(URIRef(f"{base}dataset")), nt_term(DCTERMS.hasPart), outcome.mapped.document))
    watch.lap("read")
    unreconciled = sorted(set(summary.unreconciled), key=lambda u: (u.programme, u.role, u.name, u.line))
    collection = Collection([], [], unreconciled)
    data = TripleIndex(triples, base)
    return write_outputs(collection, data, out_dir, base, public_url, modified, watch, jobs), summary


def _check_shards(manifests: list[dict], shard_dirs: list[Path]) -> None:
    where = " ".join(map(str, shard_dirs))
    if len({(m["base"], repr(m["aliases"])) for m in manifests}) > 1:
        raise InputError("the shards were built with different --base-iri or --organisations: build them alike", where)
    counts = {m["shard"][1] for m in manifests}
    if len(counts) > 1:
        raise InputError(f"the shards were cut in different numbers: {', '.join(sorted(map(str, counts)))}", where)
    count = counts.pop() if counts else 0
    missing = sorted(set(range(1, count + 1)) - {m["shard"][0] for m in manifests})
    if missing:
        raise InputError(f"shard(s) {', '.join(f'{k}/{count}' for k in missing)} missing: merge every shard of the build", where)
    if len(manifests) > count:
        raise InputError("a shard is given twice: merge each shard once", where)


def _split_titles(manifests: list[dict]) -> dict[str, str]:
    """Reports whose title another report shares, but in another shard, so their shard gave them
    the bare slug: file name -> the slug with the hash that one build gives (mapping's rule)."""
    reports = [report for manifest in manifests for report in manifest["reports"]]
    taken = Counter(report["slug"] for report in reports)
    return {
        report["name"]: f"{report['slug']}-{report['sha256'][:8]}"
        for report in reports
        if taken[report["slug"]] > 1 and not report["document"].endswith(f"-{report['sha256'][:8]}")
    }


def _read_manifest(directory: Path) -> dict:
    path = directory / SHARD_MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no shard.json: not the output of resolis-ld build --shard K/N", str(directory)) from None
    except (OSError, ValueError) as error:
        raise InputError(f"unreadable shard manifest: {error}", str(path)) from None


def _read_quads(path: Path) -> list[tuple[Triple, str]]:
    """The triples of our own N-Quads dump, with their graph: ``s p o g .`` lines whose IRIs
    hold no space."""
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError(f"unreadable N-Quads dump: {error}", str(path)) from None
    triples = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            s_end = line.index(" ")
            p_end = line.index(" ", s_end + 1)
            g_start = line.rindex(" <", 0, len(line) - 2)
        except ValueError:
            raise InputError("not an N-Quads line of resolis-ld", str(path), number) from None
        triples.append(((line[:s_end], line[s_end + 1 : p_end], line[p_end + 1 : g_start]), line[g_start + 1 : -2]))
    return triples
