"""How fast validation is: reports per second for generated collections.

    .venv/bin/python benchmarks/validate.py [--sizes 100,1000,10000]

For each size it converts a generated collection, then times, on the same graph, one pySHACL
call on the whole graph (the reference) and resolis-ld's validation (the compiled shapes, plus
locating every result in its report and scoring every report), and checks that both give the
same SHACL results.
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
from resolis_ld.parse import parse_report  # noqa: E402
from resolis_ld.validate import compiled_shapes, pyshacl_results, validate_graph  # noqa: E402


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    concepts = load_concepts()
    print(f"{'reports':>8} {'triples':>9} {'pySHACL':>12} {'compiled':>12} {'validate':>12} {'speed-up':>9} {'same':>5}")
    for size in (int(s) for s in args.sizes.split(",")):
        reports = [parse_report(text, name, concepts).report for name, text in generate_reports(size)]
        graph, _ = graph_from_reports(reports, concepts)
        reference, t_reference = timed(pyshacl_results, graph)
        compiled, t_compiled = timed(compiled_shapes().validate, graph)
        _, t_validate = timed(validate_graph, graph)
        same = reference == set(compiled)
        print(
            f"{size:>8} {len(graph):>9} {size / t_reference:>8.0f} r/s {size / t_compiled:>8.0f} r/s "
            f"{size / t_validate:>8.0f} r/s {t_reference / t_validate:>8.1f}x {'yes' if same else 'NO':>5}",
            flush=True,
        )


if __name__ == "__main__":
    main()
