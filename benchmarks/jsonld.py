"""How fast JSON-LD is written: triples per second, rdflib's path against resolis_ld.jsonld.

    .venv/bin/python benchmarks/jsonld.py [--sizes 100,1000]

For each size it converts a generated collection once, then times, on the same triples,
``serialize(graph, "json-ld")`` (rdflib's serializer and the canonical order) and
``jsonld_bytes(triples_of(graph), context)``, and checks that both give the same bytes. When
pyoxigraph is installed it also times pyoxigraph writing the same triples as Turtle, the floor
issue 6 measures against (about 960,000 triples/s there); ``ratio`` is ours / that floor.
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
from resolis_ld.jsonld import jsonld_bytes  # noqa: E402
from resolis_ld.mapping import graph_from_reports  # noqa: E402
from resolis_ld.ntriples import ntriples_bytes, triples_of  # noqa: E402
from resolis_ld.parse import parse_report  # noqa: E402
from resolis_ld.serialize import jsonld_context, serialize  # noqa: E402

FLOOR = 960_000  # pyoxigraph writing Turtle, triples/s, as measured in issue 6


def best_of(repeat: int, function, *args):
    """The value and the shortest of ``repeat`` timings (the machine is shared)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = function(*args)
        times.append(time.perf_counter() - start)
    return value, min(times)


def oxigraph_seconds(triples: list[tuple[str, str, str]], repeat: int) -> float | None:
    try:
        import pyoxigraph
    except ImportError:
        return None
    quads = list(pyoxigraph.parse(ntriples_bytes(triples), format=pyoxigraph.RdfFormat.N_TRIPLES))
    return best_of(repeat, pyoxigraph.serialize, quads, None, pyoxigraph.RdfFormat.TURTLE)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    concepts = load_concepts()
    context = jsonld_context()
    print(f"{'reports':>8} {'triples':>9} {'rdflib':>14} {'jsonld_bytes':>14} {'speed-up':>9} "
          f"{'floor':>14} {'ours/floor':>10} {'same':>5}")
    for size in (int(s) for s in args.sizes.split(",")):
        reports = [parse_report(text, name, concepts).report for name, text in generate_reports(size)]
        graph, _ = graph_from_reports(reports, concepts)
        triples = triples_of(graph)
        reference, t_rdflib = best_of(1, serialize, graph, "json-ld")
        ours, t_ours = best_of(args.repeat, jsonld_bytes, triples, context)
        t_floor = oxigraph_seconds(triples, args.repeat)
        floor = len(triples) / t_floor if t_floor else FLOOR
        speed = len(triples) / t_ours
        print(
            f"{size:>8} {len(triples):>9} {len(triples) / t_rdflib:>10.0f} t/s {speed:>10.0f} t/s "
            f"{t_rdflib / t_ours:>8.1f}x {floor:>10.0f} t/s{'' if t_floor else '*'} {floor / speed:>9.1f}x "
            f"{'yes' if ours == reference else 'NO':>5}",
            flush=True,
        )
    print("* pyoxigraph is not installed: the floor is issue 6's figure")


if __name__ == "__main__":
    main()
