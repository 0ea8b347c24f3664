"""A local HTTP server for the tests: routes answer what a test sets, every request is recorded.

It listens on 127.0.0.1 on a free port, in a thread. A route is a function of the request that
returns a ``Reply``; the server records the method, path and headers of every request, and
whether it sent a body, so tests can assert what the client asked and what crossed the wire.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up early (timeouts, size limits) is what some tests do


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body_sent: bool = False


Route = Callable[[Request], Reply]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                server.requests.append(request)
                route = server.routes.get(self.path.split("?")[0])
                reply = route(request) if route else Reply(404, b"no such page", "text/plain")
                if reply.delay and server.stopping.wait(reply.delay):
                    return
                try:
                    self.answer(request, reply)
                except OSError:  # the client gave up (timeout, size limit): fine
                    self.close_connection = True

            def answer(self, request: Request, reply: Reply) -> None:
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_length:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if reply.body and reply.status != 304:
                    # Marked before writing: the client may read the body and return before this thread resumes.
                    request.body_sent = True
                    self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


def static(body: bytes, content_type: str | None = "text/plain; charset=utf-8", **headers: str) -> Route:
    """A page that always answers the same."""
    return lambda request: Reply(200, body, content_type, dict(headers))


def conditional(body: bytes, content_type: str, etag: str | None = None, last_modified: str | None = None) -> Route:
    """A page with validators that answers 304, with no body, to a matching conditional request."""
    headers = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}

    def route(request: Request) -> Reply:
        if (etag and request.headers.get("if-none-match") == etag) or (
            last_modified and not etag and request.headers.get("if-modified-since") == last_modified
        ):
            return Reply(304, b"", None, headers)
        return Reply(200, body, content_type, headers)

    return route


def sequence(*replies: Reply) -> Route:
    """Answers in turn; the last answer repeats."""
    served = []

    def route(request: Request) -> Reply:
        reply = replies[min(len(served), len(replies) - 1)]
        served.append(reply)
        return reply

    return route
