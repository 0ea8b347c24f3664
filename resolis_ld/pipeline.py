"""Inputs -> parsed reports -> one graph: the conversion every command shares.

A bad input never stops the run: it becomes an ``InputError`` in the result and the other
inputs are converted all the same.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .aliases import AliasTable
from .concepts import ConceptIndex, load_concepts
from .errors import FetchError, InputError
from .fetch import Fetcher, check_url
from .mapping import Unreconciled, graph_from_reports
from .model import ParseWarning, Report
from .namespaces import DEFAULT_BASE
from .parse import parse_report
from .remote import read_url
from .serialize import EXTENSIONS

STDIN = "-"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(name: str) -> bool:
    """``scheme://…``: a URL, whatever the scheme (only http and https are then read)."""
    return bool(_URL.match(name))


@dataclass(frozen=True)
class Input:
    """One report to read: a file path as given, ``-`` for standard input, or an http(s) URL."""

    name: str

    @property
    def is_url(self) -> bool:
        return is_url(self.name)

    def read(self) -> bytes:
        if self.name == STDIN:
            return sys.stdin.buffer.read()
        try:
            return Path(self.name).read_bytes()
        except IsADirectoryError:
            raise InputError("is a directory, not a report file", self.name) from None
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", self.name) from None


@dataclass
class Conversion:
    reports: list[Report] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    unreconciled: list[Unreconciled] = field(default_factory=list)
    graph: Graph | None = None


def expand_inputs(names: list[str]) -> list[Input | InputError]:
    """Files as given, a directory's ``*.txt`` (sorted), ``-`` for stdin, URLs, in the order
    given; a name that gives no report stands as its error, so messages keep that order too."""
    inputs: list[Input | InputError] = []
    for name in names:
        path = Path(name)
        if is_url(name):
            try:
                check_url(name)
            except FetchError as error:
                inputs.append(error)
            else:
                inputs.append(Input(name))
        elif name == STDIN or path.is_file():
            inputs.append(Input(name))
        elif path.is_dir():
            found = sorted(str(path / entry.name) for entry in os.scandir(path)  # glob("*.txt"), as paths sort
                           if entry.name.endswith(".txt") and not entry.name.startswith(".") and entry.is_file())
            inputs.extend(map(Input, found))
            if not found:
                inputs.append(InputError("no *.txt report in this directory", name))
        elif path.exists():
            inputs.append(InputError("not a regular file", name))
        else:
            inputs.append(InputError("no such file or directory", name))
    return inputs


def parse_inputs(
    inputs: list[Input | InputError], concepts: ConceptIndex, result: Conversion, fetcher: Fetcher | None = None
) -> None:
    for source in inputs:
        try:
            if isinstance(source, InputError):
                raise source
            if source.is_url:
                fetcher = fetcher or Fetcher()
                parsed = read_url(source.name, fetcher, concepts)
            else:
                parsed = parse_report(source.read(), source.name, concepts)
        except InputError as error:
            result.errors.append(error)
            continue
        result.reports.append(parsed.report)
        result.warnings.extend(parsed.warnings)


def convert(
    names: list[str],
    base: str = DEFAULT_BASE,
    aliases: AliasTable | None = None,
    concepts: ConceptIndex | None = None,
    fetcher: Fetcher | None = None,
) -> Conversion:
    """Read, parse and map every input; the graph holds every report that could be read.
    URLs are read with ``fetcher`` (its limits and cache), by default one without a cache."""
    concepts = concepts or load_concepts()
    result = Conversion()
    parse_inputs(expand_inputs(names), concepts, result, fetcher)
    result.graph, result.unreconciled = graph_from_reports(result.reports, concepts, aliases, base)
    return result


def read_graph(path: Path) -> Graph:
    """Parse an RDF file by its extension; an unreadable file is an input error."""
    format_ = EXTENSIONS.get(path.suffix.lower())
    if format_ is None:
        raise InputError(f"unknown RDF file type (use {', '.join(sorted(EXTENSIONS))})", str(path))
    graph = Graph()
    try:
        graph.parse(path, format={"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}[format_])
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except Exception as error:  # rdflib raises many kinds of syntax errors
        raise InputError(f"not valid {format_}: {_first_line(error)}", str(path)) from None
    return graph


def _first_line(error: Exception) -> str:
    """rdflib's syntax errors run over several lines (position, reason, quoted input): keep the
    position and the reason on one line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else type(error).__name__


def is_rdf_file(name: str) -> bool:
    """A local RDF file, by its extension; a URL is always read as a report page."""
    return not is_url(name) and Path(name).suffix.lower() in EXTENSIONS
