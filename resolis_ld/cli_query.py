"""The ``query`` and ``serve`` commands, registered on the ``resolis-ld`` group by ``cli.py``.

Kept apart from cli.py so that file stays one screenful per command family; the same rules
hold here: this is where printing, the environment and exit codes live.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from .cli import (
    EXIT_INPUT, EXIT_INVALID, EXIT_OK, _aliases, _report, _verbose, aliases_option, base_iri_option, cli, common_options,
    default_cache_dir,
)
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
    store, result = load_store(names, base_iri, _aliases(aliases_path), path, os.cpu_count() or 1, default_cache_dir() / "build")
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


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@cli.command("serve")
@common_options
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds a SPARQL query may run before it is stopped.")
@click.option("--max-results", type=click.IntRange(min=1), default=10_000, show_default=True, help="Most rows (or triples) a SPARQL answer may have.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Query worker processes.")
@base_iri_option
@aliases_option
@click.pass_context
def serve_command(ctx, data, host, port, timeout, max_results, workers, base_iri, aliases_path) -> None:
    """Serve the data: a read-only SPARQL endpoint at /sparql and a page for every resource.

    Every IRI under --base-iri is served at /id/… (HTML for browsers; Turtle, JSON-LD or
    N-Triples by Accept or by the extension .ttl, .jsonld, .nt); / lists the programmes;
    /catalog is the build's catalog.ttl when there is one beside the data. Ctrl-C stops.

    \b
    Example:
      resolis-ld serve --data dist/resolis.ttl --port 8000
    """
    import tempfile

    from .server import Server, open_site

    with tempfile.TemporaryDirectory(prefix="resolis-ld-serve-") as directory:
        store_path = Path(directory) / "store"
        store, names = _load(ctx, data, base_iri, aliases_path, store_path)
        triples = len(store)
        del store  # closes the writable store; the server and its workers open it read-only
        rdf = [Path(name) for name in names if Path(name).suffix in (".ttl", ".jsonld", ".json", ".nt")]
        catalog = (rdf[0].parent if rdf else DEFAULT_DATA.parent) / "catalog.ttl"
        site = open_site(store_path, base_iri, catalog, workers, timeout, max_results)
        try:
            server = Server(site, host, port, log=(lambda line: click.echo(line, err=True)) if ctx.obj["verbose"] else None)
        except OSError as error:
            site.pool.close()
            raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error} (choose another --port)") from None
        address = f"http://{host}:{server.server_address[1]}/"
        if not ctx.obj["quiet"]:
            click.echo(f"Serving {triples} triples from {', '.join(names)} at {address} (SPARQL: {address}sparql). Ctrl-C stops.", err=True)
        signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop cleans up like Ctrl-C
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            if not ctx.obj["quiet"]:
                click.echo("Stopped.", err=True)
        finally:
            server.server_close()
            site.pool.close()
