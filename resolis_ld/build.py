"""``resolis-ld build``: convert a directory, validate it, write the dumps and their description.

Everything a build writes is computed in memory first, then each file is written atomically;
the function returns what it wrote, so that the CLI only prints. Every file is byte-stable: the
same reports give the same bytes, whatever their order, and no date comes from the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph

from .aliases import AliasTable
from .attribution import licence_text
from .catalog import Dump, Quality, catalog_graph, shared_graph, void_graph
from .closures import report_graphs
from .fetch import Fetcher
from .files import write_atomic
from .namespaces import DEFAULT_BASE
from .pipeline import Conversion, convert
from .resources import resource
from .ntriples import nquads_bytes, nt_term
from .serialize import gzip_stable, serialize
from .triple_index import TripleIndex
from .validate import Validation, report_graph, validate_graph
from .validation_formats import format_json

DEFAULT_PUBLIC_URL = "https://w3id.org/resolis/dist/"

# The dumps, in the order the catalogue lists them: (file name, format, gzipped). The plain
# resolis.nt stays beside its gzipped copy: the README and existing scripts read it.
DUMPS: list[tuple[str, str, bool]] = [
    ("resolis.ttl", "turtle", False),
    ("resolis.jsonld", "json-ld", False),
    ("resolis.nt", "nt", False),
    ("resolis.nt.gz", "nt", True),
    ("resolis.nq.gz", "nquads", True),
]


@dataclass
class Build:
    """What a build read, found and wrote (file paths and sizes, in the order written)."""

    conversion: Conversion
    validation: Validation
    written: list[tuple[Path, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def dump_bytes(graph: Graph, format_: str, base: str = DEFAULT_BASE) -> bytes:
    """The graph in one dump format; N-Quads put each report in a named graph of its own."""
    if format_ == "nquads":
        return nquads_bytes(report_graphs(TripleIndex.of(graph), nt_term(shared_graph(base))))
    return serialize(graph, format_)


def quality(validation: Validation) -> Quality | None:
    """The validation figures the catalogue publishes; none without a report to measure."""
    reports = validation.reports
    if not reports:
        return None
    return Quality(
        publishable_share=sum(r.publishable for r in reports) / len(reports),
        mean_completeness=sum(r.completeness for r in reports) / len(reports),
    )


def build(
    inputs: list[str],
    out_dir: Path,
    base: str = DEFAULT_BASE,
    aliases: AliasTable | None = None,
    public_url: str = DEFAULT_PUBLIC_URL,
    modified: date | None = None,
    fetcher: Fetcher | None = None,
) -> Build:
    """Convert and validate ``inputs``, then write the dumps, their catalogue and VoID
    description, the validation report and LICENSE.txt into ``out_dir``."""
    conversion = convert(inputs, base=base, aliases=aliases, fetcher=fetcher)
    graph = conversion.graph
    validation = validate_graph(graph)
    plain: dict[str, bytes] = {}
    dumps = []
    for name, format_, compressed in DUMPS:
        if format_ not in plain:
            plain[format_] = dump_bytes(graph, format_, base)
        data = gzip_stable(plain[format_]) if compressed else plain[format_]
        dumps.append(Dump(name, format_, data, compressed))
    catalog, warnings = catalog_graph(graph, dumps, quality(validation), base, public_url, modified)
    outputs = {dump.name: dump.data for dump in dumps}
    outputs["context.jsonld"] = resource("ontology", "context.jsonld").read_bytes()
    outputs["catalog.ttl"] = serialize(catalog, "turtle")
    outputs["void.ttl"] = serialize(void_graph(graph, dumps, base, public_url), "turtle")
    outputs["validation.ttl"] = serialize(report_graph(validation, base), "turtle")
    outputs["validation.json"] = format_json(validation).encode("utf-8")
    outputs["LICENSE.txt"] = licence_text(graph, [dump.name for dump in dumps]).encode("utf-8")
    result = Build(conversion, validation, warnings=warnings)
    for name, data in outputs.items():
        write_atomic(out_dir / name, data)
        result.written.append((out_dir / name, len(data)))
    return result
