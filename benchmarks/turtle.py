"""How fast Turtle is written: rdflib's serializer, resolis_ld.turtle, and pyoxigraph if installed.

    .venv/bin/python benchmarks/turtle.py [--sizes 100,1000]

For each size it converts a generated collection, then writes the same graph as Turtle with
``rdflib_turtle(graph)`` (rdflib) and with ``turtle_bytes`` from its N-Triples strings, checks
that the bytes are equal, and prints triples/s. pyoxigraph (``pip install pyoxigraph`` in the
venv; not a dependency) is the native floor: its Turtle differs in layout, so only its speed counts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_reports  # noqa: E402

from resolis_ld.concepts import load_concepts  # noqa: E402
from resolis_ld.mapping import graph_from_reports  # noqa: E402
from resolis_ld.ntriples import triples_of  # noqa: E402
from resolis_ld.parse import parse_report  # noqa: E402
from resolis_ld.serialize import rdflib_turtle, serialize  # noqa: E402
from resolis_ld.turtle import turtle_bytes, turtle_prefixes  # noqa: E402

try:
    import pyoxigraph
except ImportError:
    pyoxigraph = None


def best_of(runs: int, function, *args):
    """The value and the shortest time of a few runs (the machine is shared)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = function(*args)
        times.append(time.perf_counter() - start)
    return value, min(times)


def oxigraph_turtle(nt: bytes, prefixes: dict[str, str]) -> bytes:
    quads = list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))
    start = time.perf_counter()
    pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    concepts = load_concepts()
    prefixes = turtle_prefixes()
    print(f"{'reports':>8} {'triples':>8} {'rdflib':>12} {'turtle_bytes':>14} {'pyoxigraph':>12} {'rdflib/ours':>12} {'ours/oxi':>9} {'same':>5}")
    for size in (int(s) for s in args.sizes.split(",")):
        reports = [parse_report(text, name, concepts).report for name, text in generate_reports(size)]
        graph, _ = graph_from_reports(reports, concepts)
        triples = triples_of(graph)
        expected, t_rdflib = best_of(1, rdflib_turtle, graph)
        ours, t_ours = best_of(args.runs, turtle_bytes, triples, prefixes)
        n = len(triples)
        oxi = "-"
        ratio = "-"
        if pyoxigraph is not None:
            nt = serialize(graph, "nt")
            t_oxi = min(oxigraph_turtle(nt, prefixes) for _ in range(args.runs))
            oxi = f"{n / t_oxi:>12,.0f}"
            ratio = f"{t_ours / t_oxi:.1f}x"
        print(
            f"{size:>8} {n:>8} {n / t_rdflib:>12,.0f} {n / t_ours:>14,.0f} {oxi:>12} "
            f"{t_rdflib / t_ours:>11.0f}x {ratio:>9} {'yes' if ours == expected else 'NO':>5}",
            flush=True,
        )


if __name__ == "__main__":
    main()
