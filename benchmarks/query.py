"""How fast the bundled queries are on a large collection, with the engine query and serve use.

    .venv/bin/python benchmarks/query.py [--reports 10000] [--repeat 3]

Generates the collection (benchmarks/corpus.py), converts it, loads it into a pyoxigraph store
(as resolis-ld query and serve do), then times every bundled query: the best of --repeat runs,
and the number of rows. Not a test: run it by hand and copy the figures into the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_reports  # noqa: E402

from resolis_ld.concepts import load_concepts  # noqa: E402
from resolis_ld.mapping import graph_from_reports  # noqa: E402
from resolis_ld.parse import parse_report  # noqa: E402
from resolis_ld.query import answer_query, bundled_queries  # noqa: E402
from resolis_ld.store import load_graph  # noqa: E402

import pyoxigraph  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"pyoxigraph {pyoxigraph.__version__}")

    started = time.perf_counter()
    concepts = load_concepts()
    reports = [parse_report(text, name, concepts).report for name, text in generate_reports(args.reports)]
    graph, _ = graph_from_reports(reports, concepts)
    converted = time.perf_counter()
    store = pyoxigraph.Store()
    load_graph(store, graph)
    loaded = time.perf_counter()
    print(f"{args.reports} reports: converted in {converted - started:.1f} s, {len(store)} triples "
          f"loaded into the store in {loaded - converted:.1f} s")

    print(f"{'query':38} {'rows':>6} {'best of ' + str(args.repeat):>12}")
    slowest = 0.0
    for query in bundled_queries():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = answer_query(store, query)
            times.append(time.perf_counter() - start)
        best = min(times)
        slowest = max(slowest, best)
        print(f"{query.name:38} {len(result.rows):>6} {best * 1000:>9.0f} ms", flush=True)
    print(f"slowest: {slowest * 1000:.0f} ms")


if __name__ == "__main__":
    main()
