"""For the publish tests: a small build in dist/, and real HTTP servers on 127.0.0.1 that record.

``write_dist`` writes what ``resolis-ld build`` writes and the publish targets read: the dumps, a
DCAT catalogue made with rdflib (checksums and sizes of the files beside it) and validation.json
in its schema. ``LocalServer`` runs an app in a thread on a free port, records every request and
can be told to fail the next requests with a given status (``fail``).
"""

from __future__ import annotations

import email
import email.policy
import gzip
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

BASE = "https://w3id.org/resolis/id/"
DATASET = URIRef(BASE + "dataset")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EX = Namespace("https://schema.org/")
DUMPS = {  # name: (media type, EU file type, title)
    "resolis.ttl": ("text/turtle", "RDF_TURTLE", "RESOLIS reports in Turtle"),
    "resolis.jsonld": ("application/ld+json", "JSON_LD", "RESOLIS reports in JSON-LD"),
    "resolis.nt.gz": ("application/n-triples", "RDF_N_TRIPLES", "RESOLIS reports in N-Triples (gzip)"),
    "resolis.nq.gz": ("application/n-quads", "RDF_N_QUADS", "RESOLIS reports in N-Quads, one graph per report (gzip)"),
}
REPORTS = ("time-for-parents", "shared-kitchens")


def report_dataset(variant: int = 0) -> Dataset:
    """Two reports, each in its named graph; ``variant`` adds triples, so every dump changes."""
    dataset = Dataset()
    for slug in REPORTS:
        graph = dataset.graph(URIRef(f"{BASE}report/{slug}"))
        programme = URIRef(f"{BASE}programme/{slug}")
        graph.add((programme, RDF.type, URIRef("https://w3id.org/resolis/ns#Programme")))
        graph.add((programme, DCTERMS.title, Literal(slug.replace("-", " ").title(), lang="en")))
        graph.add((programme, EX.startDate, Literal("2012-06", datatype=XSD.gYearMonth)))
        for n in range(variant):
            graph.add((programme, EX.comment, Literal(f"revision {n + 1}")))
    return dataset


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def dump_bytes(variant: int = 0) -> dict[str, bytes]:
    dataset = report_dataset(variant)
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    union.bind("dcterms", DCTERMS)
    nquads = b"".join(sorted(dataset.serialize(format="nquads", encoding="utf-8").splitlines(keepends=True)))
    return {
        "resolis.ttl": union.serialize(format="turtle", encoding="utf-8"),
        "resolis.jsonld": union.serialize(format="json-ld", encoding="utf-8"),
        "resolis.nt.gz": _gzip(b"".join(sorted(union.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)))),
        "resolis.nq.gz": _gzip(nquads),
    }


def catalog_graph(dist: Path, names: list[str]) -> Graph:
    """A minimal DCAT-AP record of the files in ``dist``, as the build describes them."""
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("spdx", SPDX)
    catalog = URIRef(BASE + "catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCAT.dataset, DATASET))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.identifier, Literal(str(DATASET))))
    g.add((DATASET, DCTERMS.title, Literal("RESOLIS practice reports", lang="en")))
    g.add((DATASET, DCTERMS.title, Literal("Fiches d'expérience RESOLIS", lang="fr")))
    g.add((DATASET, DCTERMS.description, Literal("Social programmes of French associations, as linked data.", lang="en")))
    g.add((DATASET, DCTERMS.description, Literal("Programmes sociaux d'associations françaises, en données liées.", lang="fr")))
    for keyword in ("social innovation", "économie sociale", "linked data"):
        g.add((DATASET, DCAT.keyword, Literal(keyword)))
    g.add((DATASET, DCTERMS.license, URIRef("http://creativecommons.org/licenses/by/3.0/")))
    for name in names:
        media_type, file_type, title = DUMPS[name]
        data = (dist / name).read_bytes()
        distribution = URIRef(f"{BASE}dataset/distribution/{name.replace('.', '-')}")
        checksum = BNode()
        g.add((DATASET, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, Literal(title, lang="en")))
        g.add((distribution, DCAT.downloadURL, URIRef(f"https://example.org/resolis/{name}")))
        g.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        g.add((distribution, DCTERMS["format"], URIRef(EU_FILE_TYPE + file_type)))
        g.add((distribution, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    return g


def write_dist(dist: Path, *, variant: int = 0, violations: int = 0) -> Path:
    """A build in ``dist``: the four dumps, catalog.ttl and validation.json."""
    dist.mkdir(parents=True, exist_ok=True)
    for name, data in dump_bytes(variant).items():
        (dist / name).write_bytes(data)
    catalog_graph(dist, list(DUMPS)).serialize(dist / "catalog.ttl", format="turtle")
    validation = {
        "version": 1, "conforms": violations == 0,
        "totals": {"violations": violations, "warnings": 1, "infos": 0, "reports": 2,
                   "publishable": 2 if violations == 0 else 1, "mean_completeness": 0.9},
        "reports": [], "results": [],
    }
    (dist / "validation.json").write_text(json.dumps(validation, indent=2), encoding="utf-8")
    return dist


# -- a local HTTP server that records -----------------------------------------------------------


@dataclass
class Request:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
        """multipart/form-data: the fields, and the files as (file name, bytes, content type)."""
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.message_from_bytes(head + self.body, policy=email.policy.HTTP)
        fields, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            if part.get_filename() is not None:
                files[name] = (part.get_filename(), data, part.get_content_type())
            else:
                fields[name] = data.decode("utf-8")
        return fields, files


Response = tuple[int, Any, dict[str, str]]


@dataclass
class Fault:
    status: int
    body: Any
    headers: dict[str, str]
    times: int
    when: Callable[[Request], bool]


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout test) must not print a traceback into another test's output."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


@dataclass
class LocalServer:
    """``app(request) -> (status, body, headers)`` served on 127.0.0.1; every request is recorded."""

    app: Callable[[Request], Response]
    requests: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def start(self) -> LocalServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)),
                                  dict(self.headers.items()), self.rfile.read(length))
                owner.requests.append(request)
                status, body, headers = owner._respond(request)
                data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if not isinstance(body, bytes) and body is not None:
                    self.send_header("Content-Type", "application/json")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, status: int, body: Any = None, *, times: int = 1, headers: dict[str, str] | None = None,
             when: Callable[[Request], bool] = lambda r: True) -> None:
        """Answer the next ``times`` matching requests with this status instead of the app's answer."""
        self.faults.append(Fault(status, body, headers or {}, times, when))

    def _respond(self, request: Request) -> Response:
        for fault in self.faults:
            if fault.times > 0 and fault.when(request):
                fault.times -= 1
                return fault.status, fault.body, fault.headers
        return self.app(request)


def free_port() -> int:
    """A port nothing listens on (bound then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
