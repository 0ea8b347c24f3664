"""How fast validation is: reports per second for generated collections.

    .venv/bin/python benchmarks/validate.py [--sizes 100,1000,10000] [--jobs 2]

For each size it converts a generated collection, then times, on the same graph, one pySHACL
call on the whole graph (the reference) and resolis-ld's sliced validation with one and with
``--jobs`` processes, and checks that all three give the same results.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import URIRef
from rdflib.namespace import RDF, SH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_reports  # noqa: E402

from resolis_ld.concepts import load_concepts  # noqa: E402
from resolis_ld.mapping import graph_from_reports  # noqa: E402
from resolis_ld.parse import parse_report  # noqa: E402
from resolis_ld.validate import load_shapes, validate_graph  # noqa: E402


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def result_keys_of_pyshacl(graph) -> set[tuple]:
    _, results, _ = shacl_validate(graph, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    return {
        (str(results.value(n, SH.sourceShape)), str(results.value(n, SH.focusNode)),
         str(results.value(n, SH.resultPath)) if isinstance(results.value(n, SH.resultPath), URIRef) else None)
        for n in results.subjects(RDF.type, SH.ValidationResult)
    }


def result_keys(validation) -> set[tuple]:
    return {(r.shape, r.focus, str(r.path) if r.path is not None else None) for r in validation.results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    concepts = load_concepts()
    print(f"{'reports':>8} {'triples':>9} {'pySHACL whole':>14} {'ours, 1 job':>12} {f'ours, {args.jobs} jobs':>12} {'speed-up':>9} {'same':>5}")
    for size in (int(s) for s in args.sizes.split(",")):
        reports = [parse_report(text, name, concepts).report for name, text in generate_reports(size)]
        graph, _ = graph_from_reports(reports, concepts)
        whole, t_whole = timed(result_keys_of_pyshacl, graph)
        one, t_one = timed(validate_graph, graph, 1)
        many, t_many = timed(validate_graph, graph, args.jobs)
        same = whole == result_keys(one) == result_keys(many)
        print(
            f"{size:>8} {len(graph):>9} {size / t_whole:>10.0f} r/s {size / t_one:>8.0f} r/s "
            f"{size / t_many:>8.0f} r/s {t_whole / t_many:>8.1f}x {'yes' if same else 'NO':>5}",
            flush=True,
        )


if __name__ == "__main__":
    main()
