"""``resolis-ld serve``: a read-only SPARQL 1.1 Protocol endpoint and Linked Data pages.

Routes: ``/`` the programmes (search by theme and region); ``/sparql`` the endpoint (GET, POST
form or ``application/sparql-query``; a query form for browsers); ``/id/…`` every resource under
the data's base IRI, as HTML, Turtle, JSON-LD or N-Triples by ``Accept`` or extension;
``/catalog`` the DCAT record when the build wrote ``catalog.ttl`` beside the data.
The standard library's threading server is enough for a local endpoint and adds no dependency.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from . import pages
from .linkeddata import LinkedData
from .query import QueryResult, bundled_queries, query_form
from .results import GRAPH_FORMATS, format_result, negotiate
from .workers import Answer, QueryPool

UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
EXTENSION_FORMATS = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".html": "html"}
RESOURCE_OFFERS = ["text/turtle", "text/html", "application/ld+json", "application/n-triples", "application/json"]
MAX_BODY = 1_000_000
PAGE_SIZE = 50
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class Site:
    """What every request reads: the store (read-only), the query workers, the limits."""

    store: ox.Store
    pool: QueryPool
    base: str
    catalog: Path | None = None

    def __post_init__(self) -> None:
        self.data = LinkedData(self.store, self.base)
        self.attribution = self.data.attribution()
        self.queries = bundled_queries()
        self.themes = self.data.choices("theme")
        self.regions = self.data.choices("region")


class Handler(BaseHTTPRequestHandler):
    server_version = "resolis-ld"
    protocol_version = "HTTP/1.1"

    @property
    def site(self) -> Site:
        return self.server.site  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the standard signature
        if getattr(self.server, "log", None):
            self.server.log(f"{self.address_string()} {format % args}")

    # -- plumbing -------------------------------------------------------------------------------

    def send(self, status: int, media_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (SECURITY_HEADERS | (headers or {})).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def wants_html(self) -> bool:
        return negotiate(self.headers.get("Accept"), ["application/sparql-results+json", "text/html"]) == "text/html" \
            and "text/html" in (self.headers.get("Accept") or "")

    def fail(self, status: int, title: str, message: str, headers: dict[str, str] | None = None) -> None:
        if self.wants_html():
            self.send(status, "text/html; charset=utf-8", pages.message_page(status, title, message, self.site.attribution), headers)
        else:
            self.send(status, "text/plain; charset=utf-8", f"{title}: {message}\n".encode("utf-8"), headers)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        try:
            if url.path == "/":
                self.home(parse_qs(url.query))
            elif url.path == "/sparql":
                self.sparql(parse_qs(url.query, keep_blank_values=True))
            elif url.path.startswith("/id/"):
                self.resource(url.path)
            elif url.path in ("/catalog", "/catalog.ttl", "/catalog.jsonld", "/catalog.nt"):
                self.catalog(url.path)
            else:
                self.fail(404, "Not found", f"nothing at {url.path}; the programmes are listed at /")
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self.fail(405, "Method not allowed", "only /sparql takes POST", {"Allow": "GET, HEAD"})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.fail(413, "Request too large", f"a query may be at most {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return self.fail(403, "Forbidden", "this endpoint is read-only: SPARQL updates are refused")
        if media == "application/sparql-query":
            return self.sparql(parse_qs(url.query, keep_blank_values=True), body)
        if media == "application/x-www-form-urlencoded":
            return self.sparql(parse_qs(body, keep_blank_values=True))
        self.fail(415, "Unsupported media type", "POST a query as application/sparql-query or as a form (query=…)")

    def _refuse(self) -> None:
        self.fail(405, "Method not allowed", "this server is read-only", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _refuse

    # -- routes ---------------------------------------------------------------------------------

    def home(self, params: dict[str, list[str]]) -> None:
        theme = (params.get("theme") or [""])[0].strip() or None
        region = (params.get("region") or [""])[0].strip() or None
        try:
            page = max(1, int((params.get("page") or ["1"])[0]))
        except ValueError:
            page = 1
        rows = self.site.data.programme_list(theme, region)
        body = pages.home_page(rows, self.site.themes, self.site.regions, theme, region, page, PAGE_SIZE, self.site.attribution)
        self.send(200, "text/html; charset=utf-8", body)

    def sparql(self, params: dict[str, list[str]], text: str | None = None) -> None:
        if "update" in params:
            return self.fail(403, "Forbidden", "this endpoint is read-only: SPARQL updates are refused")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self.fail(400, "Bad request", "this endpoint has one default graph: default-graph-uri and named-graph-uri are not supported")
        queries = params.get("query", [])
        if text is None and len(queries) > 1:
            return self.fail(400, "Bad request", "give one query parameter, not several")
        text = text if text is not None else (queries[0] if queries else None)
        if text is None:
            if self.wants_html():
                example = {q.name: q.text for q in self.site.queries}.get((params.get("example") or [""])[0], "")
                body = pages.sparql_page(self.site.queries, example, pages.Html(""), self.site.attribution)
                return self.send(200, "text/html; charset=utf-8", body)
            return self.fail(400, "Bad request", "no query: send query=… (GET or form POST) or an application/sparql-query body")
        if query_form(text) in UPDATES:
            return self.fail(403, "Forbidden", "this endpoint is read-only: SPARQL updates are refused")
        if self.wants_html():
            answer = self.site.pool.run(text, "application/sparql-results+json, text/turtle")
            results = pages.results_html(answer.media_type, answer.body, self.site.data.local_path) if answer.status == 200 \
                else pages.h('<p id="error">{m}</p>', m=answer.body.decode("utf-8"))
            body = pages.sparql_page(self.site.queries, text, results, self.site.attribution)
            return self.send(answer.status, "text/html; charset=utf-8", body)
        answer: Answer = self.site.pool.run(text, self.headers.get("Accept"))
        self.send(answer.status, answer.media_type, answer.body, {"Vary": "Accept"})

    def resource(self, path: str) -> None:
        data = self.site.data
        iri, format_ = data.iri_of(path), None
        if not data.exists(iri):
            stem, dot, extension = path.rpartition(".")
            if dot and f".{extension}" in EXTENSION_FORMATS and data.exists(data.iri_of(stem)):
                iri, path, format_ = data.iri_of(stem), stem, EXTENSION_FORMATS[f".{extension}"]
            else:
                return self.fail(404, "Not found", f"no resource {iri} in this data")
        if format_ is None:
            media = negotiate(self.headers.get("Accept"), RESOURCE_OFFERS)
            if media is None:
                return self.fail(406, "Not acceptable", "this resource is served as HTML, Turtle, JSON-LD or N-Triples")
            format_ = {"text/html": "html", "application/json": "json-ld"}.get(media) or \
                next(name for name, m in GRAPH_FORMATS.items() if m == media)
        headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
        if format_ == "html":
            alternates = [(name, f"{path}{ext}") for ext, name in ((".ttl", "Turtle"), (".jsonld", "JSON-LD"), (".nt", "N-Triples"))]
            body = pages.resource_page(data.view(iri), alternates, self.site.attribution)
            return self.send(200, "text/html; charset=utf-8", body, headers)
        result = QueryResult("graph", triples=data.triples(iri))
        self.send(200, f"{GRAPH_FORMATS[format_]}; charset=utf-8", format_result(result, format_), headers)

    def catalog(self, path: str) -> None:
        source = self.site.catalog
        if source is None or not source.is_file():
            return self.fail(404, "Not found", "the build made no catalog.ttl beside the data (run resolis-ld build)")
        store = ox.Store()
        store.bulk_load(path=str(source), format=ox.RdfFormat.TURTLE)
        result = QueryResult("graph", triples=[ox.Triple(q.subject, q.predicate, q.object) for q in store])
        wanted, media = EXTENSION_FORMATS.get(Path(path).suffix), None
        if wanted is None:
            media = negotiate(self.headers.get("Accept"), RESOURCE_OFFERS)
            wanted = {"text/html": "turtle", "application/json": "json-ld", None: "turtle"}.get(media) or \
                next(name for name, m in GRAPH_FORMATS.items() if m == media)
        # a browser asking for HTML is shown the Turtle as text rather than made to download it
        served = "text/plain" if media == "text/html" else GRAPH_FORMATS[wanted]
        body = source.read_bytes() if wanted == "turtle" else format_result(result, wanted)  # the build's own bytes
        self.send(200, f"{served}; charset=utf-8", body, {"Vary": "Accept"})


def open_site(store_path: Path, base: str, catalog: Path | None, workers: int, timeout: float, max_results: int) -> Site:
    """The site over a store already loaded on disk: read-only here and in every worker."""
    pool = QueryPool(str(store_path), workers, timeout, max_results)
    return Site(ox.Store.read_only(str(store_path)), pool, base, catalog)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site, host: str, port: int, log=None):
        self.site, self.log = site, log
        super().__init__((host, port), Handler)

    def start(self) -> threading.Thread:
        """Serve in a background thread (the tests' way); ``serve_forever`` is the CLI's."""
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread
