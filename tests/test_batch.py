"""The build's conversion at scale: worker processes, the per-report cache and shards change no
byte of the output; colliding titles, damaged cache entries and shard mistakes are handled."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, REPORT_FILES

from resolis_ld.aliases import read_alias_table
from resolis_ld.batch import convert_collection, in_shard
from resolis_ld import batch as batch_module
from resolis_ld import build as build_module
from resolis_ld.build import build, merge
from resolis_ld.cli import cli
from resolis_ld.concepts import load_concepts
from resolis_ld.mapping import graph_from_reports, programme_slugs, renamed, triples_from_report
from resolis_ld.ntriples import triples_of
from resolis_ld.parse import parse_report
from resolis_ld.text import slugify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from make_corpus import write_corpus  # noqa: E402

ALIASES = read_alias_table(DATA / "organisations.csv")


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 generated reports (English and French, every value form, a few CRLF, BOM and
    Windows-1252 files) and the fixtures, one of them again with a byte more (same title)."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(60, folder, seed=7)
    for path in REPORT_FILES:
        shutil.copy(path, folder)
    (folder / "zz_same_title_again.txt").write_bytes(REPORT_FILES[0].read_bytes() + b"\n")  # same title, other bytes
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("reference")
    build([str(corpus)], out, aliases=ALIASES, jobs=1)
    return out


def test_the_fast_path_gives_the_graph_of_graph_from_reports(corpus: Path):
    """Reports mapped alone, in workers, then collected == the one-graph path, triple for triple."""
    paths = sorted(corpus.glob("*.txt"))
    reports = [parse_report(path.read_bytes(), str(path)).report for path in paths]
    graph, _ = graph_from_reports(reports, load_concepts(), ALIASES)
    collection = convert_collection([str(corpus)], aliases=ALIASES, jobs=2)
    assert set(collection.triples) == set(triples_of(graph))
    assert len(set(programme_slugs(reports).values())) == len(reports)  # the twin got its suffix


def test_renaming_a_report_gives_what_mapping_it_again_gives(corpus: Path):
    """Every report of the corpus (unreconciled partners, sections, scoped organisations...):
    its triples renamed to another slug == the report mapped with that slug, in the same order."""
    concepts = load_concepts()
    for path in sorted(corpus.glob("*.txt")):
        report = parse_report(path.read_bytes(), str(path)).report
        slug = slugify(report.title.value)
        first = triples_from_report(report, slug, concepts, ALIASES)
        again = triples_from_report(report, f"{slug}-0a1b2c3d", concepts, ALIASES)
        got = renamed(first, slug, f"{slug}-0a1b2c3d")
        assert (got.document, got.triples, got.unreconciled, got.schemes) == (
            again.document, again.triples, again.unreconciled, again.schemes), path.name
        assert got.triples != first.triples


def test_any_number_of_jobs_gives_the_same_bytes(tmp_path: Path, corpus: Path, reference: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(build_module, "CHILD_MIN_TRIPLES", 0)  # JSON-LD by the child process, too
    for jobs in (2, 3):
        result = build([str(corpus)], tmp_path / f"jobs-{jobs}", aliases=ALIASES, jobs=jobs)
        assert "read_nt" in result.timings  # the child's own stage: it did write the JSON-LD
        assert files(tmp_path / f"jobs-{jobs}") == files(reference), jobs


def test_workers_give_bad_inputs_the_errors_of_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A worker sends its outcomes pickled (the bytes the cache keeps): errors cross as well,
    are not cached, and come out in input order, as with one process."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in REPORT_FILES:
        shutil.copy(path, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)))

    def outcomes(jobs: int, cache: Path | None) -> list[tuple[str, str, int]]:
        collection = convert_collection([str(folder)], aliases=ALIASES, jobs=jobs, cache_dir=cache)
        return [(Path(o.name).name, str(o.error or ""), len(o.mapped.triples) if o.mapped else 0)
                for o in collection.outcomes]

    expected = outcomes(1, None)
    monkeypatch.setattr(batch_module, "CHUNK", 2)  # several tasks: the pool is used
    assert [error != "" for _, error, _ in expected].count(True) == 2
    assert outcomes(2, tmp_path / "cache") == expected
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == len(REPORT_FILES)  # no error is kept
    assert outcomes(2, tmp_path / "cache") == expected  # now from the cache


def test_a_cached_build_gives_the_same_bytes_as_a_clean_one(tmp_path: Path, corpus: Path, reference: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    build([str(corpus)], tmp_path / "first", aliases=ALIASES, jobs=2, cache_dir=cache)
    entries = sorted(cache.rglob("*.pickle"))
    assert len(entries) == len(list(corpus.glob("*.txt")))

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached report was parsed again")

    monkeypatch.setattr(batch_module, "parse_report", no_parsing)  # the twins are renamed, not parsed again
    build([str(corpus)], tmp_path / "second", aliases=ALIASES, jobs=2, cache_dir=cache)
    assert files(tmp_path / "first") == files(reference)
    assert files(tmp_path / "second") == files(reference)
    assert sorted(cache.rglob("*.pickle")) == entries  # nothing converted again


def test_a_changed_report_is_converted_again_and_a_damaged_entry_is_ignored(tmp_path: Path, corpus: Path):
    folder = tmp_path / "reports"
    shutil.copytree(corpus, folder)
    cache = tmp_path / "cache"
    build([str(folder)], tmp_path / "first", aliases=ALIASES, cache_dir=cache)
    entries = sorted(cache.rglob("*.pickle"))
    entries[0].write_bytes(b"not a pickle")
    changed = sorted(folder.glob("r*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8").replace("Summary :", "Summary : Changed.", 1), encoding="utf-8")
    build([str(folder)], tmp_path / "cached", aliases=ALIASES, cache_dir=cache)
    build([str(folder)], tmp_path / "clean", aliases=ALIASES)
    assert files(tmp_path / "cached") == files(tmp_path / "clean")
    assert files(tmp_path / "cached") != files(tmp_path / "first")
    assert len(list(cache.rglob("*.pickle"))) == len(entries) + 1


def test_three_shards_merged_give_the_bytes_of_one_build(tmp_path: Path, corpus: Path, reference: Path):
    shards = [tmp_path / f"shard-{k}" for k in (1, 2, 3)]
    for k, out in enumerate(shards, start=1):
        build([str(corpus)], out, aliases=ALIASES, shard=(k, 3))
    assert sorted(files(shards[0])) == ["resolis.nq.gz", "shard.json", "validation.json"]
    result, summary = merge(shards, tmp_path / "merged")
    assert summary.reports == len(list(corpus.glob("*.txt")))
    assert files(tmp_path / "merged") == files(reference)


def test_every_input_is_in_exactly_one_shard(corpus: Path):
    for path in corpus.glob("*.txt"):
        assert sum(in_shard(str(path), (k, 4)) for k in range(1, 5)) == 1


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def test_merge_refuses_a_missing_shard_and_a_folder_that_is_no_shard(tmp_path: Path, corpus: Path):
    build([str(corpus)], tmp_path / "s1", aliases=ALIASES, shard=(1, 2))
    result = run("merge", tmp_path / "s1", "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert "shard(s) 2/2 missing" in result.stderr and str(tmp_path / "s1") in result.stderr
    (tmp_path / "plain").mkdir()
    result = run("merge", tmp_path / "plain", "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert "no shard.json" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("shard", ["0/3", "4/3", "a/b", "3"])
def test_a_bad_shard_is_a_usage_error(tmp_path: Path, shard: str):
    result = run("build", "--shard", shard, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "K/N" in result.stderr


def test_build_writes_its_timings(tmp_path: Path):
    import json

    timings = tmp_path / "timings.json"
    result = run("-q", "build", "--input", REPORT_FILES[0], "--out", tmp_path / "out", "--timings", timings, "--no-cache")
    assert result.exit_code == 0, result.stderr
    document = json.loads(timings.read_text())
    assert document["reports"] == 1 and document["triples"] > 100
    assert {"parse_map", "validate", "turtle", "json-ld", "nt", "nq"} <= set(document["stages"])
    assert document["cpu"].keys() == document["stages"].keys() and all(s >= 0 for s in document["cpu"].values())


@pytest.mark.parametrize(("format_", "dump"), [("turtle", "resolis.ttl"), ("json-ld", "resolis.jsonld"), ("nt", "resolis.nt")])
def test_convert_writes_the_bytes_of_the_build(tmp_path: Path, corpus: Path, reference: Path, format_: str, dump: str):
    """convert goes through the build's conversion and writers: the same bytes, with any --jobs."""
    for jobs in ("1", "2"):
        out = tmp_path / f"{jobs}.out"
        result = run("-q", "convert", corpus, "-f", format_, "-o", out, "--jobs", jobs,
                     "--organisations", DATA / "organisations.csv")
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == (reference / dump).read_bytes(), jobs
