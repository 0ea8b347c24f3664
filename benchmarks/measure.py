"""The three measurements of benchmarks/run.py, each on one corpus directory.

- ours: ``resolis-ld build`` in a child process: wall time, peak RSS of the child and of its
  workers, and the per-stage seconds of ``--timings`` when the build has that option;
- naive: the textbook path in this process: one rdflib Graph, ``Graph.serialize``, one pySHACL call;
- floor: pyoxigraph (native code) serialising the triples the build wrote.
"""

from __future__ import annotations

import gc
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# ru_maxrss is in KiB on Linux, in bytes on macOS
MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024
NAIVE_STAGES = ["parse", "map", "validate", "turtle", "json-ld", "nt"]
FLOOR_FORMATS = ["turtle", "json-ld", "nt", "nq"]
INSTALL_BENCH = "pip install -e . (pyoxigraph is one of resolis-ld's dependencies)"


def resolis_ld() -> str:
    """$RESOLIS_LD when set (to measure another build), else the resolis-ld next to this
    Python (the .venv's), else the one on PATH."""
    if os.environ.get("RESOLIS_LD"):
        return os.environ["RESOLIS_LD"]
    beside = Path(sys.executable).parent / "resolis-ld"
    if beside.exists():
        return str(beside)
    found = shutil.which("resolis-ld")
    if not found:
        sys.exit("Error: resolis-ld is not installed next to this Python: run make test, then this script with .venv/bin/python")
    return found


@dataclass(frozen=True)
class Features:
    """What today's ``resolis-ld build`` can do: the benchmark adapts to it."""

    timings: bool  # --timings FILE writes per-stage seconds
    cache: bool  # a cache, bypassed with --no-cache


def build_features() -> Features:
    help_text = subprocess.run([resolis_ld(), "build", "--help"], capture_output=True, text=True).stdout
    return Features(timings="--timings" in help_text, cache="--no-cache" in help_text)


# -- a child process, its wall time and peak memory --------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    exit_code: int
    wall: float
    peak_rss: int  # bytes: the larger of the polled PSS sum over the process tree and ru_maxrss
    stderr: str


def run_child(argv: list[str], log: Path) -> ChildRun:
    """Run ``argv``, polling /proc for the memory of the child and its descendants (worker
    processes count towards the memory target), and read the largest process's ru_maxrss at the end."""
    with open(log, "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    peak = max(peak, usage.ru_maxrss * MAXRSS_UNIT)
    return ChildRun(process.returncode, wall, peak, log.read_text(encoding="utf-8", errors="replace"))


def tree_rss(pid: int) -> int:
    """Memory of a process and its descendants now: the sum of their proportional set sizes
    (PSS: a page shared by n processes counts 1/n in each, so a forked child's shared pages are
    not counted twice), or of their RSS where the kernel does not give PSS; 0 without /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            total += _pss(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


# -- ours ----------------------------------------------------------------------------------------


def measure_ours(corpus: Path, out: Path, work: Path, features: Features, tag: str = "build") -> dict[str, Any]:
    """One ``resolis-ld build``; per-stage seconds only when the build has ``--timings``."""
    timings = work / f"{tag}-timings.json"
    timings.unlink(missing_ok=True)
    argv = [resolis_ld(), "build", "--input", str(corpus), "--out", str(out)]
    use_timings = features.timings
    run = run_child(argv + (["--timings", str(timings)] if use_timings else []), work / f"{tag}.log")
    if run.exit_code == 2 and use_timings and "timings" in run.stderr:
        use_timings = False  # click's usage error: the option is not there after all
        run = run_child(argv, work / f"{tag}.log")
    result: dict[str, Any] = {
        "wall": run.wall, "peak_rss": run.peak_rss, "exit_code": run.exit_code, "stages": None, "cpu": None,
        "reports": None, "triples": None, "timings": False, "note": None,
    }
    if run.exit_code not in (0, 1):  # 1: the build finished, some reports have violations
        result["note"] = f"resolis-ld build exited {run.exit_code}: {run.stderr.strip()[-300:]}"
    if use_timings and timings.exists():
        data = json.loads(timings.read_text(encoding="utf-8"))
        result.update(stages=data.get("stages"), cpu=data.get("cpu"), reports=data.get("reports"),
                      triples=data.get("triples"), timings=True)
    elif not result["note"]:
        result["note"] = "resolis-ld build has no --timings option yet: wall time only"
    if result["triples"] is None and (out / "resolis.nt").exists():
        result["triples"] = count_lines(out / "resolis.nt")
    return result


def count_lines(path: Path) -> int:
    with open(path, "rb") as file:
        return sum(1 for line in file if line.strip())


def touch_report(corpus: Path) -> Path:
    """Change one report (the middle one): its summary gains a sentence, in its own encoding."""
    paths = sorted(corpus.glob("*.txt"))
    path = paths[len(paths) // 2]
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252")
    text = re.sub(r"^((?:Summary|Résumé).*?)(\r?)$", r"\1 Updated for the benchmark.\2", text, count=1, flags=re.M)
    path.write_bytes(text.encode(encoding))
    return path


# -- naive -------------------------------------------------------------------------------------


def timed(stages: dict[str, float], name: str, function: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    value = function()
    stages[name] = time.perf_counter() - start
    return value


def measure_naive(paths: list[Path]) -> dict[str, Any]:
    """Parse, map into one Graph, serialise with rdflib, validate with one pySHACL call."""
    from pyshacl import validate
    from rdflib import Graph

    from resolis_ld.concepts import load_concepts
    from resolis_ld.mapping import graph_from_reports
    from resolis_ld.parse import parse_report
    from resolis_ld.serialize import jsonld_context

    concepts = load_concepts()
    shapes = Graph().parse(ROOT / "shapes" / "resolis.ttl", format="turtle")
    context = jsonld_context()
    stages: dict[str, float] = {}
    reports = timed(stages, "parse", lambda: [parse_report(p.read_bytes(), str(p), concepts).report for p in paths])
    graph, _ = timed(stages, "map", lambda: graph_from_reports(reports, concepts))
    timed(stages, "validate", lambda: validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True))
    timed(stages, "turtle", lambda: graph.serialize(format="turtle", encoding="utf-8"))
    timed(stages, "json-ld", lambda: graph.serialize(format="json-ld", context=context, encoding="utf-8"))
    timed(stages, "nt", lambda: graph.serialize(format="nt", encoding="utf-8"))
    triples = len(graph)
    del graph, reports
    gc.collect()
    return {"stages": stages, "total": sum(stages.values()), "reports": len(paths), "triples": triples,
            "extrapolated": False, "measured_size": len(paths)}


def extrapolate(naive: dict[str, Any], size: int) -> dict[str, Any]:
    """The naive figures of a smaller corpus, scaled linearly to ``size`` reports."""
    factor = size / naive["measured_size"]
    stages = {name: seconds * factor for name, seconds in naive["stages"].items()}
    return {**naive, "stages": stages, "total": sum(stages.values()), "reports": size,
            "triples": round(naive["triples"] * factor), "extrapolated": True}


# -- our writers alone ---------------------------------------------------------------------------


def measure_writers(out: Path, runs: int) -> dict[str, Any]:
    """Each of our writers alone on the build's triples (benchmarks/writers.py, in a process of
    its own, as the build's: this checkout's writers), the shortest of ``runs`` runs; no figure
    but a note when the build wrote no N-Triples or the script failed."""
    if not (out / "resolis.nt").exists():
        return {"best": {}, "note": f"no {out / 'resolis.nt'} to read: did the build fail?"}
    script = Path(__file__).resolve().parent / "writers.py"
    result = subprocess.run([sys.executable, str(script), str(out), "--runs", str(runs)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return {"best": {}, "note": f"benchmarks/writers.py failed: {result.stderr.strip()[-300:]}"}
    return json.loads(result.stdout)


# -- floor -------------------------------------------------------------------------------------


def measure_floor(out: Path, runs: int = 1) -> dict[str, Any]:
    """pyoxigraph serialising the build's triples (resolis.nt) and quads (resolis.nq.gz), each
    format the shortest of ``runs`` runs."""
    try:
        import pyoxigraph as ox
    except ImportError:
        return {"available": False, "stages": {}, "note": f"pyoxigraph is not installed: {INSTALL_BENCH}"}
    if not (out / "resolis.nt").exists():
        return {"available": False, "stages": {}, "note": f"no {out / 'resolis.nt'} to load: did the build fail?"}
    triples = [quad.triple for quad in ox.parse((out / "resolis.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)]
    nq = out / "resolis.nq.gz"
    if nq.exists():
        quads = list(ox.parse(gzip.decompress(nq.read_bytes()), format=ox.RdfFormat.N_QUADS))
    else:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = turtle_prefixes(out / "resolis.ttl")
    stages: dict[str, float] = {}
    notes = []
    writers = {"turtle": lambda: ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)}
    if hasattr(ox.RdfFormat, "JSON_LD"):
        writers["json-ld"] = lambda: ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
        notes.append("pyoxigraph writes expanded JSON-LD (no context): a lower bound for ours")
    else:
        notes.append(f"pyoxigraph {ox.__version__} cannot write JSON-LD: no floor for it")
    writers["nt"] = lambda: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    writers["nq"] = lambda: ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    for _ in range(runs):
        for name, write in writers.items():
            seconds: dict[str, float] = {}
            timed(seconds, name, write)
            stages[name] = min(stages.get(name, seconds[name]), seconds[name])
    return {"available": True, "version": ox.__version__, "stages": stages, "total": sum(stages.values()),
            "triples": len(triples), "note": "; ".join(notes)}


def turtle_prefixes(path: Path) -> dict[str, str]:
    """The prefixes our Turtle dump declares, so that the floor writes the same short names."""
    prefixes = {}
    if path.exists():
        with open(path, encoding="utf-8") as file:
            for line in file:
                if not line.startswith("@prefix"):
                    break
                if match := re.match(r"@prefix\s+([\w-]*):\s*<([^>]*)>", line):
                    prefixes[match[1]] = match[2]
    return prefixes
