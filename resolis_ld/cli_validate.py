"""``resolis-ld validate``, registered on the ``resolis-ld`` group by ``cli.py``.

It reads the way ``build`` does, at the same speed: report files through the worker processes
and the cache of the build's conversion, RDF files through pyoxigraph's parsers (rdf_input), both
into N-Triples strings, which the compiled shapes validate without an rdflib graph.
"""

from __future__ import annotations

from pathlib import Path

import click

from .batch import Collection, convert_collection
from .cli import (
    EXIT_INPUT, EXIT_INVALID, EXIT_OK, _aliases, _write, aliases_option, base_iri_option, build_cache, cli,
    common_options, http_options, jobs_option, no_cache_option, report_reads,
)
from .errors import InputError
from .ntriples import Triple
from .rdf_input import is_rdf_name, read_triples
from .triple_index import TripleIndex
from .validate import validate_graph
from .validation_formats import FORMATS as VALIDATION_FORMATS
from .validation_formats import FORMATTERS, summary_line


@cli.command("validate")
@common_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "format_", type=click.Choice(VALIDATION_FORMATS), default="text", show_default=True, help="How to print the results.")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True, help="Exit 1 when a result is this severe or more.")
@click.option("--lang", "language", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of the messages.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the results here instead of stdout.")
@base_iri_option
@aliases_option
@jobs_option
@no_cache_option
@http_options
@click.pass_context
def validate_command(ctx, inputs, format_, fail_on, language, output, base_iri, aliases_path, jobs, no_cache,
                     fetcher) -> None:
    """Check that reports are complete: RDF files (.ttl, .jsonld, .nt, .nq, .trig, each maybe
    gzipped), report files or URLs of report pages.

    Exit codes: 0 when no result reaches --fail-on, 1 otherwise, 3 when an input cannot be read.

    \b
    Example:
      resolis-ld validate data/reports --format github --fail-on warning
    """
    rdf_names = [name for name in inputs if is_rdf_name(name)]
    report_names = [name for name in inputs if name not in rdf_names]
    conversion = Collection([], [], [])
    if report_names:
        conversion = convert_collection(report_names, base_iri, _aliases(aliases_path), fetcher, jobs,
                                        build_cache(fetcher, no_cache))
    report_reads(ctx, conversion, fetcher)
    triples, errors = _read_rdf_files(rdf_names)
    for error in errors:
        click.echo(str(error), err=True)
    validation = validate_graph(TripleIndex(conversion.triples + triples, base_iri))
    text = FORMATTERS[format_](validation, language)
    if output:
        _write(ctx, output, text.encode("utf-8"))
        if not ctx.obj["quiet"]:
            click.echo(summary_line(validation), err=True)
    else:
        click.echo(text, nl=False)
    if conversion.errors or errors:
        ctx.exit(EXIT_INPUT)
    ctx.exit(EXIT_INVALID if validation.fails(fail_on) else EXIT_OK)


def _read_rdf_files(names: list[str]) -> tuple[list[Triple], list[InputError]]:
    """The triples of every RDF file that can be read, and an error for each of the others."""
    triples: list[Triple] = []
    errors: list[InputError] = []
    for name in names:
        try:
            triples += read_triples(Path(name))
        except InputError as error:
            errors.append(error)
    return triples, errors

