"""The ``resolis-ld`` command: the only module that prints, reads the environment or exits.

Exit codes, the same for every command: 0 ok; 1 validation failed; 2 usage error; 3 input error
(the other inputs were still converted and written); 4 network or publishing error; 70 an
unexpected crash.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import click

from . import __version__
from .aliases import AliasTable, read_alias_table
from .errors import InputError, OutputError, ResolisError
from .fetch import DEFAULT_MAX_BYTES, Fetcher, FetchOptions, check_url
from .files import write_atomic
from .namespaces import DEFAULT_BASE
from .batch import Collection, convert_collection
from .build import dump_bytes
from .pipeline import is_url, read_graph
from .remote import fetch_report, report_file_names
from .serialize import EXTENSIONS, FORMATS
from .triple_index import TripleIndex

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INPUT, EXIT_NETWORK, EXIT_CRASH = 0, 1, 2, 3, 4, 70
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer whose reader went away (128 + SIGPIPE)
DEFAULT_ALIASES = Path("data/organisations.csv")
BUG_REPORT = "https://github.com/resolis-ld/resolis-ld/issues"


class _Group(click.Group):
    """Turns our errors into a message and an exit code, and any other crash into exit 70."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except ResolisError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:
            # The reader of our output stopped early (``| head``): not an error of ours. Point
            # stdout at /dev/null so Python's own flush at exit does not complain again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(
                f"Error: internal error ({type(error).__name__}: {error}). This is a bug: please "
                f"report it at {BUG_REPORT} with the command you ran; --debug shows the traceback.",
                err=True,
            )
            ctx.exit(EXIT_CRASH)


def _flags() -> dict[str, bool]:
    return {"quiet": False, "verbose": False, "debug": False, "exit_at_once": False}


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """-q, -v and --debug work before or after the command name."""
    root = ctx.find_root()
    root.obj = root.obj or _flags()
    if value:
        root.obj[param.name] = True
    ctx.obj = root.obj


def leave(ctx: click.Context, code: int) -> NoReturn:
    """End the command with ``code``. The console script (``main``) ends its process at once:
    freeing a build's millions of objects one by one takes seconds (2 to 3 s after 10,000
    reports) and gives nothing back, as the system takes the whole memory back. Every file is
    written and closed, every thread and child joined, by then; what ``click.echo`` buffered is
    flushed here. Called from tests (CliRunner), it is an ordinary exit."""
    if (ctx.find_root().obj or {}).get("exit_at_once"):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (| head), a closed stream: nothing to add
                pass
        os._exit(code)
    ctx.exit(code)


def common_options(command):
    for name, short, help_ in reversed(_COMMON):
        flags = [f"--{name}"] + ([short] if short else [])
        command = click.option(*flags, name, is_flag=True, expose_value=False, is_eager=True, callback=_set_flag, help=help_)(command)
    return command


_COMMON = [
    ("quiet", "-q", "Print errors only: no warnings, no summary."),
    ("verbose", "-v", "Say what is being read and written."),
    ("debug", None, "Show the Python traceback of an unexpected crash."),
]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="resolis-ld")
@common_options
def cli() -> None:
    """Turn RESOLIS practice reports into linked open data.

    \b
    Example:
      resolis-ld build --input data/reports --out dist
    """


# -- shared options -----------------------------------------------------------------------------


def _check_base_iri(ctx: click.Context, param: click.Parameter, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in ' <>"{}|\\^`'):
        raise click.BadParameter(f"{value!r} is not an http(s) IRI (write e.g. {DEFAULT_BASE})")
    return value if value.endswith(("/", "#")) else value + "/"


base_iri_option = click.option(
    "--base-iri", default=DEFAULT_BASE, show_default=True, callback=_check_base_iri,
    help="Namespace of the data's IRIs.",
)
aliases_option = click.option(
    "--organisations", "aliases_path", type=click.Path(dir_okay=False, path_type=Path),
    help=f"Organisation alias table (CSV: name,organisation,same_as). Default: {DEFAULT_ALIASES} when present.",
)



def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/resolis-ld, else ~/.cache/resolis-ld (the XDG rule, which macOS and CI
    runners accept too; not worth a platformdirs dependency)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "resolis-ld"


_HTTP_OPTIONS = [
    click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
                 help="Cache of downloaded pages (default: $XDG_CACHE_HOME/resolis-ld or ~/.cache/resolis-ld)."),
    click.option("--refresh", is_flag=True, help="Download every URL again, ignoring the cache."),
    click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
                 help="Refuse a page larger than this."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
                 help="Connect and read timeout for URLs [default: 10 to connect, 30 between bytes]."),
    click.option("--retries", type=click.IntRange(min=0), default=FetchOptions.retries, show_default=True,
                 help="Retries after a connection error, a 429 or a 5xx answer."),
]


def http_options(command):
    """The options of every command that reads URLs, handed to the command as one ``fetcher``."""

    @functools.wraps(command)
    def wrapper(*args, cache_dir, refresh, max_bytes, timeout, retries, **kwargs):
        timeouts = {"connect_timeout": timeout, "read_timeout": timeout} if timeout else {}
        options = FetchOptions(
            cache_dir=cache_dir or default_cache_dir(), refresh=refresh, max_bytes=max_bytes,
            retries=retries, **timeouts,
        )
        return command(*args, fetcher=Fetcher(options), **kwargs)

    for option in reversed(_HTTP_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def _aliases(path: Path | None) -> AliasTable:
    if path is None:
        return read_alias_table(DEFAULT_ALIASES) if DEFAULT_ALIASES.is_file() else AliasTable()
    return read_alias_table(path)


def _report(ctx: click.Context, result: Collection) -> None:
    """Warnings and input errors on stderr, in input order."""
    if not ctx.obj["quiet"]:
        for warning in result.warnings:
            click.echo(str(warning), err=True)
    for error in result.errors:
        click.echo(str(error), err=True)


def _verbose(ctx: click.Context, message: str) -> None:
    if ctx.obj["verbose"] and not ctx.obj["quiet"]:
        click.echo(message, err=True)


no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Convert every report again instead of reusing the unchanged ones.",
)


def build_cache(fetcher: Fetcher, no_cache: bool) -> Path | None:
    """Where converted reports are kept: beside the downloaded pages (see --cache)."""
    return None if no_cache else (fetcher.options.cache_dir or default_cache_dir()) / "build"


def report_reads(ctx: click.Context, conversion: Collection, fetcher: Fetcher) -> None:
    """What was read (with -v), then the warnings and input errors."""
    for page in fetcher.history:
        _verbose(ctx, f"{page.url}: {page.how}, {len(page.body)} bytes of {page.media_type}")
    for outcome in conversion.reports:
        _verbose(ctx, f"{outcome.name}: read \"{outcome.title}\" ({outcome.language})")
    _report(ctx, conversion)


jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="the number of CPUs",
    help="Processes to use: workers that read, parse and map the reports (build: and one that writes the "
         "JSON-LD dump while the rest is written; 1: everything in this process).",
)


def _write(ctx: click.Context, path: Path, data: bytes) -> None:
    write_atomic(path, data)
    _verbose(ctx, f"{path}: wrote {len(data)} bytes")


# -- convert ------------------------------------------------------------------------------------


@cli.command("convert")
@common_options
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("-f", "--format", "format_", type=click.Choice(list(FORMATS)), help="Output format (default: from -o's extension, else turtle).")
@base_iri_option
@aliases_option
@click.option("--unreconciled", is_flag=True, help="List the partner and funder names the alias table does not know (CSV on stdout).")
@jobs_option
@http_options
@click.pass_context
def convert_command(ctx, inputs, output, format_, base_iri, aliases_path, unreconciled, jobs, fetcher) -> None:
    """Convert report files (or directories of *.txt, - for stdin, or http(s) URLs of report
    pages, text or HTML) into RDF.

    \b
    Example:
      resolis-ld convert data/reports/000_bf3554a4a4265cfd.txt -o report.jsonld
    """
    if format_ is None:
        format_ = EXTENSIONS.get(output.suffix.lower(), "turtle") if output else "turtle"
    result = convert_collection(list(inputs), base_iri, _aliases(aliases_path), fetcher, jobs)  # no cache: one-off
    report_reads(ctx, result, fetcher)
    data = dump_bytes(TripleIndex(result.triples, base_iri), format_, base_iri)
    if output:
        _write(ctx, output, data)
    elif not unreconciled:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if unreconciled:
        click.echo(_unreconciled_csv(result), nl=False)
    ctx.exit(EXIT_INPUT if result.errors else EXIT_OK)


def _unreconciled_csv(result: Collection) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "role", "programme", "source", "line"])
    for item in result.unreconciled:
        writer.writerow([item.name, item.role, item.programme, item.source, item.line])
    return buffer.getvalue()


# -- fetch --------------------------------------------------------------------------------------


@cli.command("fetch")
@common_options
@click.argument("urls", nargs=-1, required=True)
@click.option("-d", "--directory", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where to save the report files.")
@http_options
@click.pass_context
def fetch_command(ctx, urls, directory, fetcher) -> None:
    """Download report pages (text or HTML) and save them as report text files for later runs.

    Each is saved in UTF-8 as DIRECTORY/<last part of the URL's path>.txt (made safe; URLs that
    would share a name get their hash appended); a page that is not a report is not saved.

    \b
    Example:
      resolis-ld fetch https://example.org/reports/time-for-parents.html -d data/reports
    """
    urls = list(dict.fromkeys(urls))
    names = report_file_names([url for url in urls if is_url(url)])
    failed = False
    for url in urls:
        try:
            if not is_url(url):
                raise InputError("not a URL (fetch reads http:// and https:// URLs)", url)
            check_url(url)
            text, parsed, page = fetch_report(url, fetcher)
            path = directory / names[url]
            write_atomic(path, text.encode("utf-8"))
        except (InputError, OutputError) as error:
            click.echo(str(error), err=True)
            failed = True
            continue
        if not ctx.obj["quiet"]:
            for warning in parsed.warnings:
                click.echo(str(warning), err=True)
            click.echo(f"{url}: saved {path} ({page.how}, {len(page.body)} bytes of {page.media_type})", err=True)
    ctx.exit(EXIT_INPUT if failed else EXIT_OK)


# -- render -------------------------------------------------------------------------------------


@cli.command("render")
@common_options
@click.argument("graph_path", metavar="GRAPH", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--programme", "programme_iri", help="Render only this programme (its IRI).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Write one <slug>.txt per report here instead of stdout.")
@click.pass_context
def render_command(ctx, graph_path, programme_iri, out_dir) -> None:
    """Rebuild each report's text from a graph (Turtle, JSON-LD or N-Triples).

    \b
    Example:
      resolis-ld render dist/resolis.ttl --programme https://w3id.org/resolis/id/programme/time-for-parents-training-sessions
    """
    from .reader import reports_from_graph
    from .render import render_report

    graph = read_graph(graph_path)
    reports = reports_from_graph(graph, programme_iri)
    if programme_iri and not reports:
        raise InputError(f"no programme {programme_iri} in this graph", str(graph_path))
    texts = [(slug, render_report(report)) for slug, report in reports]
    if out_dir:
        for slug, text in texts:
            _write(ctx, out_dir / f"{slug}.txt", text.encode("utf-8"))
    else:
        click.echo("\n".join(text for _, text in texts), nl=False)

# -- build and publish: in cli_build.py and cli_publish.py, imported once the group exists ------

from .cli_build import build_command, merge_command  # noqa: E402
from .cli_publish import publish_group  # noqa: E402

cli.add_command(build_command)
cli.add_command(merge_command)
cli.add_command(publish_group)


def main() -> None:
    cli(prog_name="resolis-ld", obj={**_flags(), "exit_at_once": True})


# query and serve live in cli_query.py, validate in cli_validate.py; importing them registers them.
from . import cli_query, cli_validate  # noqa: E402,F401
