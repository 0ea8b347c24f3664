"""How fast and lean resolis-ld build is, against the naive rdflib path and the native floor.

    .venv/bin/python benchmarks/run.py --sizes 100,1000,10000 --json bench.json

For each size it generates a corpus (benchmarks/make_corpus.py) in a temporary directory and, on
that corpus: runs ``resolis-ld build`` as a child process (ours: wall time, peak memory, per-stage
seconds from ``--timings``); converts, serialises and validates it the naive way in this process
(one rdflib Graph, ``Graph.serialize``, one pySHACL call); and times pyoxigraph writing the same
triples (the floor), and each of our writers alone on them (benchmarks/writers.py), each the
best of three runs. Then it changes one report and rebuilds (the cache). It prints a table per
size and the issue's targets as PASS/FAIL lines, and writes everything as JSON with ``--json``.
Above ``--naive-max`` reports, the naive figures are extrapolated linearly (shown with "~").
Set ``RESOLIS_LD`` to the path of another resolis-ld to measure that one.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import write_corpus  # noqa: E402
from measure import (  # noqa: E402
    INSTALL_BENCH, build_features, extrapolate, measure_floor, measure_naive, measure_ours, measure_writers,
    touch_report,
)

GIB = 1024 ** 3
SERIALISATIONS = ["turtle", "json-ld", "nt", "nq"]
# ours' stage -> the naive stages it does the work of
NAIVE_EQUIVALENT = {"parse_map": ["parse", "map"], "parse": ["parse"], "map": ["map"], "validate": ["validate"],
                    "turtle": ["turtle"], "json-ld": ["json-ld"], "nt": ["nt"]}
RUNS = 3  # the writers and the floor: the shortest of this many runs
TARGETS = {"wall_10000": 30.0, "rss": 2 * GIB, "speed_up": 5.0, "floor_ratio": 3.0, "growth": 11.0, "rebuild": 5.0}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- one size --------------------------------------------------------------------------------------


def run_size(size: int, seed: int, naive_max: int, naive_cache: dict[int, dict], features, work: Path) -> dict[str, Any]:
    corpus, out = work / "reports", work / "out"
    log(f"[{size}] generating {size} reports (seed {seed})")
    paths = write_corpus(size, corpus, seed)
    log(f"[{size}] resolis-ld build")
    ours = measure_ours(corpus, out, work, features)
    incremental = measure_incremental(corpus, out, work, features)
    if size <= naive_max:
        log(f"[{size}] naive path (rdflib + pySHACL, in this process)")
        naive = naive_cache[size] = measure_naive(paths)
    else:
        base = max((n for n in naive_cache if n <= naive_max), default=None)
        if base is None:
            log(f"[{size}] naive path on the first {naive_max} reports, to extrapolate from")
            base = naive_max
            naive_cache[base] = measure_naive(paths[:naive_max])
        naive = extrapolate(naive_cache[base], size)
    log(f"[{size}] floor (pyoxigraph), best of {RUNS}")
    floor = measure_floor(out, RUNS)
    log(f"[{size}] each of our writers alone (benchmarks/writers.py), best of {RUNS}")
    alone = measure_writers(out, RUNS)
    return {"size": size, "ours": ours, "alone": alone, "incremental": incremental, "naive": naive, "floor": floor,
            "naive_peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)}


def measure_incremental(corpus: Path, out: Path, work: Path, features) -> dict[str, Any]:
    """Change one report and rebuild into the same output directory, through the build's cache."""
    if not features.cache:
        return {"skipped": True, "note": "resolis-ld build has no cache yet (no --no-cache option): rebuild not measured"}
    changed = touch_report(corpus)
    log(f"    rebuild after changing {changed.name}")
    # The full build's 1.2 GB are first written out to disk, as they are long before anyone edits
    # a report: timed at once, the rebuild would share the CPUs with the kernel writing them.
    os.sync()
    result = measure_ours(corpus, out, work, features, tag="rebuild")
    return {"skipped": False, "changed": changed.name, **result}


# -- the table ---------------------------------------------------------------------------------


def seconds(value: float | None, approximate: bool = False) -> str:
    if value is None:
        return "—"
    return f"{'~' if approximate else ''}{value:.2f} s" if value < 100 else f"{'~' if approximate else ''}{value:.0f} s"


def ratio(numerator: float | None, denominator: float | None, approximate: bool = False) -> str:
    if numerator is None or not denominator:
        return "—"
    return f"{'~' if approximate else ''}{numerator / denominator:.1f}x"


def table_rows(run: dict[str, Any]) -> list[tuple[str, float | None, float | None, float | None, float | None]]:
    """(stage, ours, ours alone, naive, floor) seconds; ours' stages as its --timings names them."""
    ours_stages = run["ours"]["stages"] or {}
    alone_stages = alone_seconds(run)
    naive_stages = run["naive"]["stages"]
    floor_stages = run["floor"]["stages"]
    names = list(ours_stages) or ["parse_map", "validate", "turtle", "json-ld", "nt", "nq"]
    rows = []
    for name in names:
        equivalent = NAIVE_EQUIVALENT.get(name)
        naive = sum(naive_stages[n] for n in equivalent) if equivalent and all(n in naive_stages for n in equivalent) else None
        rows.append((name, ours_stages.get(name), alone_stages.get(name), naive, floor_stages.get(name)))
    return rows


def print_table(run: dict[str, Any]) -> None:
    ours, naive, floor = run["ours"], run["naive"], run["floor"]
    approx = naive["extrapolated"]
    triples = ours["triples"] or naive["triples"]
    print(f"\n== {run['size']:,} reports, {triples:,} triples ==")
    print(f"{'stage':<12} {'ours':>10} {'alone':>10} {'naive':>10} {'floor':>10} {'naive/ours':>11} {'alone/floor':>11}")
    for name, o, a, n, f in table_rows(run):
        print(f"{name:<12} {seconds(o):>10} {seconds(a):>10} {seconds(n, approx):>10} {seconds(f):>10} "
              f"{ratio(n, o, approx):>11} {ratio(a, f):>11}")
    wall = ours["wall"]
    print(f"{'total':<12} {seconds(wall):>10} {'':>10} {seconds(naive['total'], approx):>10} "
          f"{seconds(floor.get('total')):>10} {ratio(naive['total'], wall, approx):>11} {'':>11}")
    print(f"{'reports/s':<12} {run['size'] / wall:>10,.0f} {'':>10} {run['size'] / naive['total']:>10,.0f}")
    if triples:
        print(f"{'triples/s':<12} {triples / wall:>10,.0f} {'':>10} {naive['triples'] / naive['total']:>10,.0f}")
    print(f"{'peak memory':<12} {ours['peak_rss'] / 2**20:>6,.0f} MiB {'':>10} {run['naive_peak_rss'] / 2**20:>6,.0f} MiB  "
          "(ours: PSS of the build and its children; naive: RSS of this process)")
    incremental = run["incremental"]
    if incremental["skipped"]:
        print(f"rebuild: {incremental['note']}")
    else:
        print(f"rebuild after changing {incremental['changed']}: {seconds(incremental['wall'])}")
    for note in filter(None, [ours["note"], floor.get("note"), naive_note(naive)]):
        print(f"note: {note}")


def alone_seconds(run: dict[str, Any]) -> dict[str, float]:
    """Each writer alone, best of a few runs: what it is held to the floor by."""
    return (run.get("alone") or {}).get("best") or {}


def naive_note(naive: dict[str, Any]) -> str | None:
    if not naive["extrapolated"]:
        return "naive total = parse + map + validate + turtle + json-ld + nt (no N-Quads); ours total = wall time of the whole build"
    return (f"~ naive figures extrapolated linearly from {naive['measured_size']:,} reports "
            f"(raise --naive-max to measure them)")


# -- the targets -------------------------------------------------------------------------------


def check(name: str, ok: bool | None, detail: str) -> dict[str, str]:
    return {"target": name, "status": "N/A" if ok is None else ("PASS" if ok else "FAIL"), "detail": detail}


def targets(runs: list[dict[str, Any]]) -> list[dict[str, str]]:
    by_size = {run["size"]: run for run in runs}
    largest = runs[-1]
    size, ours = largest["size"], largest["ours"]
    results = []
    if 10000 in by_size:
        wall = by_size[10000]["ours"]["wall"]
        results.append(check("build under 30 s wall on 10,000 reports", wall < TARGETS["wall_10000"], f"{wall:.1f} s"))
    else:
        results.append(check("build under 30 s wall on 10,000 reports", None, "10,000 not measured"))
    peak = max(run["ours"]["peak_rss"] for run in runs)
    results.append(check("peak memory under 2 GiB", peak < TARGETS["rss"], f"{peak / 2**20:,.0f} MiB (largest over all sizes)"))
    naive = largest["naive"]
    speed_up = naive["total"] / ours["wall"]
    mark = "~" if naive["extrapolated"] else ""
    results.append(check(f"at least 5x faster than naive ({size:,} reports)", speed_up >= TARGETS["speed_up"],
                         f"{mark}{speed_up:.1f}x" + (" (naive extrapolated)" if mark else "")))
    for format_ in SERIALISATIONS:
        o, f = alone_seconds(largest).get(format_), largest["floor"]["stages"].get(format_)
        name = f"{format_} within 3x of the floor ({size:,} reports)"
        if o is None or f is None:
            why = (largest["alone"].get("note") or "not measured") if o is None else "no floor (see note)"
            results.append(check(name, None, why))
        else:
            results.append(check(name, o / f <= TARGETS["floor_ratio"], f"{o / f:.1f}x ({o:.2f} s against {f:.2f} s)"))
    if 1000 in by_size and 10000 in by_size:
        growth = by_size[10000]["ours"]["wall"] / by_size[1000]["ours"]["wall"]
        results.append(check("time(10,000) / time(1,000) under 11", growth < TARGETS["growth"], f"{growth:.1f}"))
    else:
        results.append(check("time(10,000) / time(1,000) under 11", None, "needs sizes 1000 and 10000"))
    incremental = largest["incremental"]
    if incremental["skipped"]:
        results.append(check(f"rebuild after one change under 5 s ({size:,} reports)", None, incremental["note"]))
    else:
        wall = incremental["wall"]
        results.append(check(f"rebuild after one change under 5 s ({size:,} reports)", wall < TARGETS["rebuild"], f"{wall:.2f} s"))
    return results


# -- the machine ---------------------------------------------------------------------------------


def compile_package() -> None:
    """Compile resolis_ld's bytecode, as pip does when it installs a package: with
    PYTHONDONTWRITEBYTECODE set (some CI images set it) and an editable install, every command
    would compile the package from source first, some 0.3 s of each build (RESOLIS_LD: theirs)."""
    if not os.environ.get("RESOLIS_LD"):
        compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "resolis_ld"), quiet=1)


def machine() -> dict[str, Any]:
    """What the figures were measured on, for the README."""
    info: dict[str, Any] = {
        "platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(), "memory_gib": None, "packages": {},
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
        meminfo = Path("/proc/meminfo").read_text().split()
        info["memory_gib"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        pass
    for package in ("resolis-ld", "rdflib", "pyshacl", "pyoxigraph"):
        try:
            info["packages"][package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info["packages"][package] = None
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes (default 100,1000,10000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--naive-max", type=int, default=1000,
                        help="largest size on which the naive path is measured; above it, extrapolated (default 1000)")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    compile_package()
    features = build_features()
    info = machine()
    if info["packages"]["pyoxigraph"] is None:
        log(f"pyoxigraph is not installed: the floor column stays empty. Install it with: {INSTALL_BENCH}")
    if not features.timings:
        log("resolis-ld build has no --timings option yet: ours is measured as wall time only.")
    print(f"Machine: {info['cpu']}, {info['cpus']} CPUs, {info['memory_gib']} GiB, Python {info['python']}, "
          f"{', '.join(f'{k} {v}' for k, v in info['packages'].items() if v)}")
    runs, naive_cache = [], {}
    started = time.perf_counter()
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"resolis-bench-{size}-") as work:
            run = run_size(size, args.seed, args.naive_max, naive_cache, features, Path(work))
        runs.append(run)
        print_table(run)
    results = targets(runs)
    print("\nTargets (issue 6):")
    for result in results:
        print(f"  {result['status']:<4}  {result['target']}: {result['detail']}")
    if args.json:
        document = {"machine": info, "seed": args.seed, "naive_max": args.naive_max,
                    "build_features": {"timings": features.timings, "cache": features.cache},
                    "runs": runs, "targets": results, "seconds": time.perf_counter() - started}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        log(f"Wrote {args.json}")


if __name__ == "__main__":
    main()
