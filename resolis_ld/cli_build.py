"""``resolis-ld build`` and ``resolis-ld merge``: the commands that write a whole build.

Part of the command line, like cli.py: it prints, reads the environment, and turns options into
one call of resolis_ld.build. A progress line shows on long runs when stderr is a terminal.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import click

from .build import DEFAULT_PUBLIC_URL, Build, build, merge
from .cli import (
    EXIT_INPUT, EXIT_INVALID, EXIT_OK, _aliases, _verbose, _write, aliases_option, base_iri_option, build_cache,
    common_options, http_options, jobs_option, leave, no_cache_option, report_reads,
)
from .errors import UsageError
from .validation_formats import summary_line


def _check_public_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in ' <>"{}|\\^`'):
        raise click.BadParameter(f"{value!r} is not an http(s) URL (write e.g. {DEFAULT_PUBLIC_URL})")
    return value if value.endswith("/") else value + "/"


def _check_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise click.BadParameter(f"{value!r} is not K/N with 1 <= K <= N (write e.g. 2/3)")
    return int(index), int(count)


public_url_option = click.option(
    "--public-url", default=DEFAULT_PUBLIC_URL, show_default=True, callback=_check_public_url,
    help="Where the output directory will be published: the catalogue's download URLs start with it.",
)
date_option = click.option(
    "--date", "modified", type=click.DateTime(["%Y-%m-%d"]),
    help="The dataset's dct:modified (YYYY-MM-DD). Default: $SOURCE_DATE_EPOCH when set, else the latest report date.",
)
out_option = click.option(
    "--out", "out_dir", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
    help="Output directory.",
)
timings_option = click.option(
    "--timings", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the seconds each stage took here (JSON), for benchmarks.",
)


class _ProgressLine:
    """``1200/10000 reports, 850 reports/s, ETA 10 s`` on one rewritten line of a terminal."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.shown < 0.2 and done < total:
            return
        self.shown = now
        rate = done / max(now - self.start, 1e-6)
        eta = (total - done) / rate if rate else 0
        click.echo(f"\r{done}/{total} reports, {rate:.0f} reports/s, ETA {eta:.0f} s ", nl=False, err=True)
        if done >= total:
            click.echo("\r" + " " * 60 + "\r", nl=False, err=True)


def _progress(ctx: click.Context):
    return _ProgressLine() if not ctx.obj["quiet"] and sys.stderr.isatty() else None


@click.command("build")
@common_options
@click.option("--input", "inputs", multiple=True, default=["data/reports"], show_default=True,
              help="Directory of report files, a report file or an http(s) URL; repeat it to read several.")
@out_option
@base_iri_option
@public_url_option
@date_option
@aliases_option
@jobs_option
@no_cache_option
@click.option("--shard", callback=_check_shard, metavar="K/N",
              help="Convert and validate only the K-th of N slices of the inputs (merge them with resolis-ld merge).")
@timings_option
@http_options
@click.pass_context
def build_command(ctx, inputs, out_dir, base_iri, public_url, modified, aliases_path, jobs, no_cache, shard,
                  timings, fetcher) -> None:
    """Convert directories, files or URLs of reports, validate them, and write the dumps, their
    DCAT-AP catalogue, VoID description, validation report and LICENSE.txt.

    Exits 1 when a report has violations, after writing everything. Unchanged reports are taken
    from the cache (see --cache; --no-cache converts them again).

    \b
    Example:
      resolis-ld build --input data/reports --out dist --public-url https://data.example.org/resolis/
    """
    input_dir = " ".join(inputs)
    day = modified.date() if modified else _source_date_epoch()
    result = build(list(inputs), out_dir, base_iri, _aliases(aliases_path), public_url, day, fetcher,
                   jobs=jobs, cache_dir=build_cache(fetcher, no_cache), progress=_progress(ctx), shard=shard)
    conversion = result.conversion
    report_reads(ctx, conversion, fetcher)
    _finish(ctx, result, timings, [
        f"Converted {len(conversion.reports)} report(s) from {input_dir}"
        + (f" (shard {shard[0]}/{shard[1]})" if shard else "")
        + f": {result.triple_count} triples, {len(conversion.warnings)} warning(s), {len(conversion.errors)} error(s).",
    ], input_dir, errors=bool(conversion.errors))


@click.command("merge")
@common_options
@click.argument("shard_dirs", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@out_option
@public_url_option
@date_option
@jobs_option
@timings_option
@click.pass_context
def merge_command(ctx, shard_dirs, out_dir, public_url, modified, jobs, timings) -> None:
    """Combine the outputs of build --shard K/N into the dumps one build of all the inputs gives.

    \b
    Example:
      resolis-ld build --shard 1/2 --out shard1 && resolis-ld build --shard 2/2 --out shard2
      resolis-ld merge shard1 shard2 --out dist
    """
    day = modified.date() if modified else _source_date_epoch()
    result, shards = merge(list(shard_dirs), out_dir, public_url, day, jobs)
    if not ctx.obj["quiet"]:
        for warning in shards.warnings:
            click.echo(warning, err=True)
    for error in shards.errors:
        click.echo(error, err=True)
    _finish(ctx, result, timings, [
        f"Merged {len(shard_dirs)} shard(s): {shards.reports} report(s), {result.triple_count} triples, "
        f"{len(shards.warnings)} warning(s), {len(shards.errors)} error(s).",
    ], " ".join(map(str, shard_dirs)), errors=bool(shards.errors),
        unreconciled_hint="each shard's shard.json lists them")


def _finish(ctx: click.Context, result: Build, timings: Path | None, lines: list[str], inputs: str, errors: bool,
            unreconciled_hint: str = "") -> None:
    """The summary, the timings file and the exit code, alike for build and merge."""
    unreconciled_hint = unreconciled_hint or f"list them with: resolis-ld convert {inputs} --unreconciled"
    for path, size in result.written:
        _verbose(ctx, f"{path}: wrote {size} bytes")
    if result.how:
        _verbose(ctx, f"resolis-ld: {result.how}")
    if timings:
        stages = {stage: round(seconds, 3) for stage, seconds in result.timings.items()}
        cpu = {stage: round(seconds, 3) for stage, seconds in result.cpu.items()}
        document = {"stages": stages, "cpu": cpu, "reports": len(result.validation.reports), "triples": result.triple_count}
        _write(ctx, timings, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    out_dir = result.written[0][0].parent if result.written else Path(".")
    if not ctx.obj["quiet"]:
        for warning in result.warnings:
            click.echo(f"{out_dir / 'catalog.ttl'}: warning: {warning}", err=True)
        names = sorted({u.name for u in result.conversion.unreconciled})
        click.echo("\n".join([
            *lines,
            f"Validated: {summary_line(result.validation)}",
            f"Wrote {out_dir}/: {', '.join(path.name for path, _ in result.written)}.",
            f"Unreconciled partner and funder names: {len(names)} ({unreconciled_hint}).",
        ]), err=True)
    if errors:
        leave(ctx, EXIT_INPUT)
    if not result.validation.conforms:
        if not ctx.obj["quiet"]:
            click.echo(f"Violations: see {out_dir / 'validation.json'} or run resolis-ld validate {inputs}.", err=True)
        leave(ctx, EXIT_INVALID)
    leave(ctx, EXIT_OK)


def _source_date_epoch() -> date | None:
    """The reproducible-builds convention: SOURCE_DATE_EPOCH (seconds since 1970) fixes the date."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970 (unset it or write e.g. 1700000000)") from None
