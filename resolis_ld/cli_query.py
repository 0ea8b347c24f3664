"""The ``query`` and ``serve`` commands, registered on the ``resolis-ld`` group by ``cli.py``.

Kept apart from cli.py so that file stays one screenful per command family; the same rules
hold here: this is where printing, the environment and exit codes live.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import EXIT_INPUT, EXIT_INVALID, EXIT_OK, _aliases, _report, _verbose, aliases_option, base_iri_option, cli, common_options
from .errors import InputError, UsageError
from .query import NamedQuery, answer_query, bundled_queries, find_query, parse_parameters
from .results import format_result, format_table, format_turtle

DEFAULT_DATA = Path("dist/resolis.ttl")
QUERY_FORMATS = ["table", "csv", "tsv", "json"]

data_option = click.option(
    "--data", "data", multiple=True, metavar="PATH",
    help=f"RDF file (.ttl, .jsonld, .nt) or report file or directory; repeat for more. Default: {DEFAULT_DATA}.",
)


def _list_text(queries: list[NamedQuery]) -> str:
    width = max(len(query.name) for query in queries) + 2
    lines = []
    for query in queries:
        lines.append(f"{query.name.ljust(width)}{query.description}")
        lines += [f"{'':{width}}  --param {p.name}=…  {p.description}" for p in query.parameters]
    return "\n".join(lines) + "\n"


def _load(ctx: click.Context, data: tuple[str, ...], base_iri: str, aliases_path: Path | None, path: Path | None = None):
    """The store of --data (default: the last build), or exit 3 naming what could not be read."""
    from .store import load_store

    names = list(data)
    if not names:
        if not DEFAULT_DATA.is_file():
            raise InputError("no such file: run resolis-ld build first, or give --data FILE", str(DEFAULT_DATA))
        names = [str(DEFAULT_DATA)]
    store, result = load_store(names, base_iri, _aliases(aliases_path), path)
    if ctx.obj["verbose"]:
        _report(ctx, result)
    else:
        for error in result.errors:
            click.echo(str(error), err=True)
    if result.errors:
        ctx.exit(EXIT_INPUT)
    _verbose(ctx, f"Loaded {len(store)} triples from {', '.join(names)}.")
    return store, names


@cli.command("query")
@common_options
@click.argument("query_spec", metavar="QUERY", required=False)
@data_option
@click.option("--format", "format_", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table for a terminal; csv, tsv, json: the W3C SPARQL results formats (json: JSON-LD for CONSTRUCT).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help='Bind ?NAME to VALUE: a string, <IRI>, or a Turtle literal such as \'"2015-01-01"^^xsd:date\'.')
@click.option("--list", "list_", is_flag=True, help="List the bundled queries and their parameters.")
@base_iri_option
@aliases_option
@click.pass_context
def query_command(ctx, query_spec, data, format_, params, list_, base_iri, aliases_path) -> None:
    """Answer a SPARQL query: a bundled query's name, a .rq file, or the query's text.

    ASK prints true or false and exits 0 or 1; CONSTRUCT and DESCRIBE print Turtle (JSON-LD with
    --format json). A syntax error exits 2 with its line and column; unreadable data exits 3.

    \b
    Examples:
      resolis-ld query --list
      resolis-ld query cq08 --param region=Bretagne --format csv
      resolis-ld query 'ASK { ?p a <https://w3id.org/resolis/ns#Programme> }' --data data/reports
    """
    if list_:
        click.echo(_list_text(bundled_queries()), nl=False)
        return
    if not query_spec:
        raise click.UsageError("give a QUERY (a bundled query's name, a .rq file or SPARQL text), or --list")
    query = find_query(query_spec)
    bindings = parse_parameters(list(params))
    store, _ = _load(ctx, data, base_iri, aliases_path)
    result = answer_query(store, query, bindings)
    if result.kind == "graph":
        if format_ in ("csv", "tsv"):
            raise UsageError(f"--format {format_} is for SELECT and ASK; a {query.name} graph prints as Turtle (table) or JSON-LD (json)")
        output = format_result(result, "json-ld") if format_ == "json" else format_turtle(result)
    elif format_ == "table":
        output = format_table(result, base_iri)
    elif result.kind == "ask" and format_ != "json":
        output = b"true\n" if result.boolean else b"false\n"
    else:
        output = format_result(result, format_)
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    if result.kind == "ask":
        ctx.exit(EXIT_OK if result.boolean else EXIT_INVALID)
