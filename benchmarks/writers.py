"""Each writer of a build alone, on the triples a build wrote: best of a few runs, as JSON.

    .venv/bin/python benchmarks/writers.py OUT_DIR [--runs 3] [--base-iri IRI]

It reads OUT_DIR/resolis.nt back into the build's index (not timed), then writes the dumps again
into a temporary directory, the way the default build does (with the layouts a cache records):
N-Triples, its gzipped copy and the N-Quads (``nt``; ``nq`` also counts cutting the graph by
report, as in the build), Turtle from the index, JSON-LD from the N-Triples file (``read_nt``
apart, as in the build). It prints the shortest time of each over ``--runs`` runs: in the build,
Turtle and JSON-LD are written at once by two processes on two CPUs, and each one's stage
counts its waits for a CPU; here each runs with the machine to itself, as pyoxigraph's floor
does (benchmarks/run.py), and the shortest of a few runs is the least disturbed by a shared
machine (timeit's rule).
"""

from __future__ import annotations

import argparse
import filecmp
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from resolis_ld.catalog import shared_graph  # noqa: E402
from resolis_ld.closures import graph_names, owners, report_closures  # noqa: E402
from resolis_ld.dump_writers import write_jsonld_from, write_statements, write_turtle  # noqa: E402
from resolis_ld.layout import Layout  # noqa: E402
from resolis_ld.namespaces import DEFAULT_BASE  # noqa: E402
from resolis_ld.ntriples import Triple, nt_term  # noqa: E402
from resolis_ld.stopwatch import Stopwatch  # noqa: E402
from resolis_ld.triple_index import TripleIndex  # noqa: E402


def read_triples(path: Path) -> list[Triple]:
    """The triples of a resolis.nt the build wrote: ``s p o .`` lines, s and p without spaces."""
    triples = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line != "\n":  # the one line of an empty graph's dump
                s, p, rest = line.split(" ", 2)
                triples.append((s, p, rest[:-3]))
    return triples


DUMPS = ["resolis.nt", "resolis.nt.gz", "resolis.nq.gz", "resolis.ttl", "resolis.jsonld"]


def one_run(data: TripleIndex, base: str, built: Path | None) -> dict[str, float]:
    """The seconds of each writer, once; the dumps must be those of the build in ``built``."""
    with tempfile.TemporaryDirectory(prefix="resolis-writers-") as folder:
        out = Path(folder)
        watch = Stopwatch()
        graphs = graph_names(data, nt_term(shared_graph(base)), owners(report_closures(data)))
        watch.lap("nq")
        write_statements(data, graphs, out, watch, (Layout(), Layout()))
        del graphs
        start = time.perf_counter()
        write_turtle(data, data.census, out, base, Layout())
        seconds = {"turtle": time.perf_counter() - start}
        _, child, _ = write_jsonld_from(out / "resolis.nt", out, with_layout=True)
        seconds.update(nt=watch.timings["nt"], nq=watch.timings["nq"], **{"json-ld": child.timings["json-ld"]})
        for name in DUMPS if built else []:  # what was timed is what the build writes
            if not filecmp.cmp(out / name, built / name, shallow=False):
                sys.exit(f"{name}: not the bytes the build wrote (another --base-iri?)")
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base-iri", default=DEFAULT_BASE)
    args = parser.parse_args(argv)
    gc.disable()  # as the build does (build._without_cyclic_gc)
    data = TripleIndex(read_triples(args.out_dir / "resolis.nt"), args.base_iri)
    runs = [one_run(data, args.base_iri, args.out_dir if run == 0 else None) for run in range(args.runs)]
    best = {writer: min(run[writer] for run in runs) for writer in runs[0]}
    print(json.dumps({"best": best, "runs": runs, "triples": len(data)}, indent=2))


if __name__ == "__main__":
    main()
