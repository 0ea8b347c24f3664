"""How fast JSON-LD is written: triples per second, rdflib's path against resolis_ld.jsonld.

    .venv/bin/python benchmarks/jsonld.py [--sizes 100,1000]

For each size it converts a generated collection once, then times, on the same triples,
``rdflib_jsonld_bytes`` (rdflib's serializer and the canonical order) and
``jsonld_bytes(triples, context)``, and checks that both give the same bytes. Ours is timed
twice: on ``triples_of(graph)`` made while the graph is alive (strings scattered among the
graph's objects), and on the same triples as the fast build will get them from its worker
processes, unpickled in one block with no graph around: memory locality alone makes the
second some 1.5 times faster. When pyoxigraph is installed it also times pyoxigraph writing the
same triples as Turtle, the floor issue 6 measures against (about 960,000 triples/s there);
``x floor`` is how many times slower than that floor the workers' figure is.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_reports  # noqa: E402

from resolis_ld.concepts import load_concepts  # noqa: E402
from resolis_ld.jsonld import jsonld_bytes, rdflib_jsonld_bytes  # noqa: E402
from resolis_ld.mapping import graph_from_reports  # noqa: E402
from resolis_ld.ntriples import ntriples_bytes, triples_of  # noqa: E402
from resolis_ld.parse import parse_report  # noqa: E402
from resolis_ld.serialize import jsonld_context  # noqa: E402

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
    print(f"{'reports':>8} {'triples':>9} {'rdflib':>14} {'ours, graph':>14} {'ours, workers':>14} "
          f"{'speed-up':>13} {'floor':>14} {'x floor':>8} {'same':>5}")
    for size in (int(s) for s in args.sizes.split(",")):
        reports = [parse_report(text, name, concepts).report for name, text in generate_reports(size)]
        graph, _ = graph_from_reports(reports, concepts)
        triples = triples_of(graph)
        reference, t_rdflib = best_of(1, rdflib_jsonld_bytes, triples, context)
        ours, t_graph = best_of(args.repeat, jsonld_bytes, triples, context)
        received = pickle.loads(pickle.dumps(triples))
        del graph, reports, triples
        gc.collect()
        again, t_ours = best_of(args.repeat, jsonld_bytes, received, context)
        t_floor = oxigraph_seconds(received, args.repeat)
        floor = len(received) / t_floor if t_floor else FLOOR
        speed = len(received) / t_ours
        print(
            f"{size:>8} {len(received):>9} {len(received) / t_rdflib:>10.0f} t/s {len(received) / t_graph:>10.0f} t/s "
            f"{speed:>10.0f} t/s {t_rdflib / t_graph:>5.1f}x/{t_rdflib / t_ours:>5.1f}x {floor:>10.0f} t/s{'' if t_floor else '*'} "
            f"{floor / speed:>7.1f}x {'yes' if ours == again == reference else 'NO':>5}",
            flush=True,
        )
    if oxigraph_seconds([], 1) is None:
        print("* pyoxigraph is not installed: the floor is issue 6's figure")


if __name__ == "__main__":
    main()
