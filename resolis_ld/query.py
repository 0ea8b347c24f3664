"""Named SPARQL queries, parameters bound as RDF terms, and running a query on a store.

A bundled query is a ``queries/*.rq`` file whose first line is a ``# description`` and whose
``# param NAME: what it is`` lines declare the variables a user may bind. A parameter is bound
by a ``VALUES`` block placed at the start of the WHERE group, built from RDF terms serialised
by Oxigraph (N-Triples escaping): a value is always one term, so it cannot change the query.
(Oxigraph's own ``substitutions`` bind only projected variables after evaluation, so a FILTER
would not see them.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, ResolisError, UsageError
from .namespaces import PREFIXES
from .resources import resource


class QuerySyntaxError(UsageError):
    """A query is not valid SPARQL 1.1 (exit code 2); says where."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str):
        self.source, self.line, self.column, self.message = source, line, column, message
        where = source if line is None else f"{source}:{line}:{column}"
        super().__init__(f"{where}: SPARQL syntax error: {message}")


class ResultTooLarge(ResolisError):
    """A query's result passes the size limit (the server refuses it rather than truncate)."""

    exit_code = 3

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the result has more than {limit} rows or triples: add a LIMIT (and OFFSET to page through it)")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query and what it answers; ``name`` is how a user calls it (or its file, or <inline>)."""

    name: str
    text: str
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    path: Path | None = None

    @property
    def short_names(self) -> tuple[str, ...]:
        """``cq08-programmes-in-region`` answers to ``cq08`` and ``programmes-in-region`` too."""
        match = re.fullmatch(r"(cq\d+)-(.+)", self.name)
        return (match.group(1), match.group(2)) if match else ()


@dataclass
class QueryResult:
    """What a query gave: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


_HEADER = re.compile(r"#\s*param\s+([A-Za-z_]\w*)\s*:\s*(.*)")


def named_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read the description (first comment line) and the declared parameters of a query."""
    lines = text.splitlines()
    description = lines[0][1:].strip() if lines and lines[0].startswith("#") else ""
    parameters = []
    for line in lines:
        if not line.startswith("#"):
            break
        match = _HEADER.fullmatch(line.strip())
        if match:
            parameters.append(Parameter(match.group(1), match.group(2).strip()))
    return NamedQuery(name, text, description, tuple(parameters), path)


def bundled_queries() -> list[NamedQuery]:
    """Every ``queries/*.rq``, sorted by name."""
    paths = sorted(resource("queries", "").glob("*.rq"))
    return [named_query(path.read_text(encoding="utf-8"), path.stem, path) for path in paths]


def find_query(spec: str) -> NamedQuery:
    """A bundled query's name, a ``.rq`` file, or the text of a query."""
    for query in bundled_queries():
        if spec == query.name or spec in query.short_names:
            return query
    path = Path(spec)
    if path.suffix == ".rq" or (path.is_file() and "\n" not in spec):
        try:
            return named_query(path.read_text(encoding="utf-8"), spec, path)
        except FileNotFoundError:
            raise InputError("no such query file", spec) from None
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read: {getattr(error, 'strerror', None) or error}", spec) from None
    if re.search(r"[\s{]", spec):
        return named_query(spec, "<query>")
    raise UsageError(f"no bundled query named {spec!r} (resolis-ld query --list shows them), and no file of that name")


# -- parameters ---------------------------------------------------------------------------------

_TURTLE_PROLOGUE = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())


def parse_value(text: str) -> ox.NamedNode | ox.Literal:
    """``<IRI>`` is an IRI; ``"…"``, ``"…"@fr`` or ``"…"^^xsd:date`` is that literal (Turtle
    syntax); anything else is a plain string."""
    if text.startswith("<") and text.endswith(">"):
        try:
            return ox.NamedNode(text[1:-1])
        except ValueError as error:
            raise UsageError(f"{text} is not a valid IRI: {error}") from None
    if text[:1] in ('"', "'"):
        document = f"{_TURTLE_PROLOGUE}<urn:x-param:s> <urn:x-param:p> {text} .\n".encode("utf-8")
        try:
            quads = list(ox.parse(document, format=ox.RdfFormat.TURTLE))
        except SyntaxError:
            quads = []
        if len(quads) != 1 or not isinstance(quads[0].object, ox.Literal):
            raise UsageError(f"{text} is not one RDF literal (write e.g. '\"2015-01-01\"^^xsd:date' or '\"Lyon\"@fr')")
        return quads[0].object
    return ox.Literal(text)


def parse_parameters(pairs: list[str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """``NAME=VALUE`` strings -> terms by variable name."""
    bindings = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not equals or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise UsageError(f"--param {pair!r} is not NAME=VALUE (write e.g. --param region=Bretagne)")
        bindings[name] = parse_value(value)
    return bindings


# A SPARQL lexer just good enough to find braces, variables and keywords outside strings,
# IRIs and comments (an IRIREF has no spaces, which tells "<" the operator from an IRI).
_TOKENS = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)'
    r'|(?P<brace>[{}])'
    r'|(?P<word>[A-Za-z_][\w-]*)'
    r'|(?P<other>.)',
    re.S,
)


def _tokens(text: str):
    for match in _TOKENS.finditer(text):
        if match.lastgroup not in ("comment", "other") or not match.group().isspace():
            yield match


def query_variables(text: str) -> set[str]:
    return {m.group()[1:] for m in _tokens(text) if m.lastgroup == "var"}


def query_form(text: str) -> str | None:
    """The first keyword after the prologue, upper-cased: SELECT, CONSTRUCT, … or INSERT."""
    in_prologue = False  # inside "PREFIX name: <iri>" or "BASE <iri>"
    for match in _tokens(text):
        if match.lastgroup == "iri":
            in_prologue = False
        elif match.lastgroup == "word" and match.group().upper() in ("PREFIX", "BASE"):
            in_prologue = True
        elif match.lastgroup == "word" and not in_prologue:
            return match.group().upper()
    return None


def _where_brace(text: str) -> int | None:
    """Offset just after the ``{`` that opens the WHERE group (a CONSTRUCT template skipped)."""
    depth, skip_template, seen_word = 0, False, False
    for match in _tokens(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word" and token.upper() == "CONSTRUCT":
            skip_template, seen_word = True, True
            continue
        if kind == "word" and skip_template and depth == 0 and token.upper() == "WHERE" and seen_word:
            return None  # CONSTRUCT WHERE { … }: the template is the pattern, no room for VALUES
        if kind == "brace" and token == "{":
            if depth == 0 and not skip_template:
                return match.end()
            depth += 1
        elif kind == "brace" and token == "}":
            depth -= 1
            if depth == 0:
                skip_template = False
        seen_word = False
    return None


def bind_parameters(query: NamedQuery, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query's text with each parameter bound to its term by a VALUES block."""
    if not bindings:
        return query.text
    allowed = [p.name for p in query.parameters] if query.parameters else sorted(query_variables(query.text))
    for name in bindings:
        if name not in allowed:
            takes = f"it takes: {', '.join(allowed)}" if allowed else "it takes none"
            raise UsageError(f"query {query.name} has no parameter {name!r} ({takes})")
    position = _where_brace(query.text)
    if position is None:
        raise UsageError(f"query {query.name} has no WHERE {{ … }} group to bind parameters in")
    names = sorted(bindings)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(bindings[n]) for n in names)}) }} "
    return query.text[:position] + values + query.text[position:]


# -- running ------------------------------------------------------------------------------------

_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def check_syntax(query: NamedQuery) -> None:
    """Parse the query as written (on an empty store), so errors point into the user's text."""
    try:
        ox.Store().query(query.text)
    except SyntaxError as error:
        match = _SYNTAX.match(str(error))
        if match:
            raise QuerySyntaxError(query.name, int(match.group(1)), int(match.group(2)), match.group(3)) from None
        raise QuerySyntaxError(query.name, None, None, str(error)) from None


def run_query(store: ox.Store, text: str, limit: int | None = None) -> QueryResult:
    """Evaluate a query; with ``limit``, more rows (or triples) than that raise ResultTooLarge."""
    answer = store.query(text)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = []
        for solution in answer:
            if limit is not None and len(rows) >= limit:
                raise ResultTooLarge(limit)
            rows.append(tuple(solution[i] for i in range(len(variables))))
        return QueryResult("select", variables=variables, rows=rows)
    triples = []
    for triple in answer:
        if limit is not None and len(triples) >= limit:
            raise ResultTooLarge(limit)
        triples.append(triple)
    return QueryResult("graph", triples=triples)


def answer_query(store: ox.Store, query: NamedQuery, bindings: dict | None = None, limit: int | None = None) -> QueryResult:
    """Check, bind and run a named query: the one call ``query`` and the server make."""
    check_syntax(query)
    return run_query(store, bind_parameters(query, bindings or {}), limit)
