"""``resolis-ld publish``: the commands that send a build to CKAN, udata or a SPARQL Graph Store.

Part of the command line, like cli.py (it prints, reads the environment, turns options into one
library call), kept in its own module so that each stays small. Credentials come from the
environment only. The library (resolis_ld.publish) is imported when a command runs, so the other
commands never load requests.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import click

from .cli import common_options
from .errors import UsageError

@click.group("publish")
@common_options
def publish_group() -> None:
    """Publish a build (dumps and catalogue in dist/) to CKAN, udata or a SPARQL Graph Store.

    Re-running is safe: unchanged dumps are left alone, changed ones replaced in place. Exit codes:
    1 when the build's validation found violations (unless --allow-invalid), 3 when dist/ is
    missing or stale, 4 when the portal refuses a request or cannot be reached.

    \b
    Example:
      RESOLIS_CKAN_TOKEN=… resolis-ld publish ckan --url https://demo.ckan.org --dataset resolis
    """


def publish_options(command):
    options = [
        click.option("--dist", "dist", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="The build to publish (resolis-ld build's output)."),
        click.option("--dry-run", is_flag=True, help="Print the requests it would send, and send nothing."),
        click.option("--allow-invalid", is_flag=True, help="Publish even when validation found violations."),
        click.option("--retries", type=click.IntRange(min=0), default=4, show_default=True, help="Retries after a failed connection, a 429 or a 5xx."),
        click.option("--backoff", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds before the first retry, doubled each time."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True, help="Seconds to wait for an answer."),
    ]
    for option in reversed(options):
        command = option(command)
    return common_options(command)


def _check_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    parts = urlsplit(value or "")
    if value is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


def _prepare(dist: Path, allow_invalid: bool):
    from .publish.common import check_publishable, read_build

    build = read_build(dist)
    check_publishable(build, allow_invalid)
    return build


def _http(portal: str, hints: dict, retries: int, backoff: float, timeout: float, headers=None, auth=None):
    from .publish.common import Http, RetryPolicy

    return Http(portal, headers=headers, auth=auth, hints=hints, timeout=(min(10.0, timeout), timeout),
                retry=RetryPolicy(retries=retries, backoff=backoff))


def _secret(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise UsageError(f"{name} is not set: export the API key in this variable (it is never a command-line option)")
    return value


def _print_plan(plan) -> None:
    click.echo("Dry run: nothing was sent. A run would send, in this order:")
    for request in plan:
        click.echo(f"  {request}")


def _print_summary(ctx: click.Context, summary) -> None:
    if ctx.obj["quiet"]:
        return
    lines = [f"Published to {summary.target} {summary.location}:"]
    for label, items in (("created", summary.created), ("replaced", summary.replaced), ("left alone", summary.unchanged)):
        lines += [f"  {label}: {item}" for item in items]
    lines += [f"  note: {note}" for note in summary.notes]
    lines.append(f"Created {len(summary.created)}, replaced {len(summary.replaced)}, left alone {len(summary.unchanged)}.")
    click.echo("\n".join(lines), err=True)


@publish_group.command("ckan")
@click.option("--url", required=True, callback=_check_url, help="The CKAN site's root, e.g. https://demo.ckan.org.")
@click.option("--dataset", required=True, help="The dataset's name (its URL slug).")
@click.option("--organization", help="Owner organisation (name or id) for a new dataset.")
@publish_options
@click.pass_context
def publish_ckan_command(ctx, url, dataset, organization, dist, dry_run, allow_invalid, retries, backoff, timeout) -> None:
    """Publish to CKAN: create or update the dataset, upload new or changed dumps.

    The API token is read from RESOLIS_CKAN_TOKEN and sent as the Authorization header.

    \b
    Example:
      RESOLIS_CKAN_TOKEN=… resolis-ld publish ckan --url https://demo.ckan.org --dataset resolis --organization resolis
    """
    from .publish import ckan

    build = _prepare(dist, allow_invalid)
    if dry_run:
        _print_plan(ckan.plan_ckan(build, url, dataset, organization))
        return
    http = _http("CKAN", ckan.HINTS, retries, backoff, timeout, headers={"Authorization": _secret(ckan.TOKEN_ENV)})
    _print_summary(ctx, ckan.publish_ckan(build, http, url, dataset, organization))


@publish_group.command("udata")
@click.option("--url", required=True, callback=_check_url, help="The udata site's root, e.g. https://www.data.gouv.fr.")
@click.option("--dataset", required=True, help="The dataset's slug or id.")
@click.option("--organization", help="Owner organisation's id for a new dataset.")
@publish_options
@click.pass_context
def publish_udata_command(ctx, url, dataset, organization, dist, dry_run, allow_invalid, retries, backoff, timeout) -> None:
    """Publish to udata (data.gouv.fr): create or update the dataset, upload new or changed dumps.

    The API key is read from RESOLIS_UDATA_API_KEY and sent as the X-API-KEY header.

    \b
    Example:
      RESOLIS_UDATA_API_KEY=… resolis-ld publish udata --url https://demo.data.gouv.fr --dataset resolis-ld
    """
    from .publish import udata

    build = _prepare(dist, allow_invalid)
    if dry_run:
        _print_plan(udata.plan_udata(build, url, dataset, organization))
        return
    http = _http("udata", udata.HINTS, retries, backoff, timeout, headers={"X-API-KEY": _secret(udata.KEY_ENV)})
    _print_summary(ctx, udata.publish_udata(build, http, url, dataset, organization))


@publish_group.command("sparql")
@click.option("--endpoint", required=True, callback=_check_url, help="The Graph Store endpoint, e.g. http://localhost:7878/store.")
@click.option("--graph", "graph_iri", callback=_check_url, help="Put the dump into this named graph (default: the default graph).")
@click.option("--per-report-graphs", is_flag=True, help="Put each report's named graph of resolis.nq.gz.")
@publish_options
@click.pass_context
def publish_sparql_command(ctx, endpoint, graph_iri, per_report_graphs, dist, dry_run, allow_invalid, retries, backoff, timeout) -> None:
    """Publish to a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, GraphDB): PUT replaces each graph.

    Basic auth when RESOLIS_SPARQL_USER and RESOLIS_SPARQL_PASSWORD are set.

    \b
    Example:
      resolis-ld publish sparql --endpoint http://localhost:7878/store --per-report-graphs
    """
    from .publish import graphstore

    if graph_iri and per_report_graphs:
        raise click.UsageError("--graph and --per-report-graphs exclude each other: choose one")
    build = _prepare(dist, allow_invalid)
    if dry_run:
        _print_plan(graphstore.plan_sparql(build, endpoint, graph_iri, per_report_graphs))
        return
    user, password = os.environ.get(graphstore.USER_ENV), os.environ.get(graphstore.PASSWORD_ENV)
    if bool(user) != bool(password):
        missing = graphstore.PASSWORD_ENV if user else graphstore.USER_ENV
        raise UsageError(f"{missing} is not set: basic auth needs both {graphstore.USER_ENV} and {graphstore.PASSWORD_ENV}")
    http = _http("SPARQL store", graphstore.HINTS, retries, backoff, timeout, auth=(user, password) if user else None)
    _print_summary(ctx, graphstore.publish_sparql(build, http, endpoint, graph_iri, per_report_graphs))
