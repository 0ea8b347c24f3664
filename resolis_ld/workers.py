"""SPARQL queries from the network, answered in worker processes that can be stopped.

Oxigraph evaluates a query without releasing the GIL and offers no timeout, so a query run in
the server's own process would freeze every other request until it ended, and a cartesian
product may never end. Each worker opens the server's on-disk store read-only; a query that
passes its deadline costs its worker, which is killed and replaced.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a threaded server


@dataclass(frozen=True)
class Answer:
    """An HTTP-ready answer: status, media type and body."""

    status: int
    media_type: str
    body: bytes


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def answer(store, text: str, accept: str | None, max_results: int) -> Answer:
    """Run one query and serialise it as the client asked (used by the workers)."""
    from .query import NamedQuery, QuerySyntaxError, ResultTooLarge, check_syntax, run_query
    from .results import format_result, negotiate_result

    try:
        check_syntax(NamedQuery("query", text))
        result = run_query(store, text, max_results)
    except QuerySyntaxError as error:
        return _error(400, f"Query syntax error at line {error.line}, column {error.column}: {error.message}")
    except ResultTooLarge as error:
        return _error(400, f"Result too large: {error}.")
    except (OSError, RuntimeError, ValueError) as error:
        return _error(400, f"Query failed: {error}")
    chosen = negotiate_result(accept, result.kind)
    if chosen is None:
        return _error(406, f"Not acceptable: cannot give this {result.kind.upper()} result as {accept}.")
    name, media = chosen
    return Answer(200, f"{media}; charset=utf-8", format_result(result, name))


def _work(connection: Connection, store_path: str, max_results: int) -> None:
    """A worker's life: open the store read-only, then answer jobs until the pipe closes."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(store_path)
    connection.send("ready")
    while True:
        try:
            text, accept = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(store, text, accept, max_results))


class _Worker:
    def __init__(self, store_path: str, max_results: int):
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_work, args=(child, store_path, max_results), daemon=True)
        self.process.start()
        child.close()
        if not self.connection.poll(60) or self.connection.recv() != "ready":
            self.stop()
            raise RuntimeError("a query worker did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """A few workers; ``run`` waits at most ``timeout`` seconds for an answer."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 10.0, max_results: int = 10_000):
        self.store_path, self.timeout, self.max_results = store_path, timeout, max_results
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.store_path, self.max_results)
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        if not self._closed:
            threading.Thread(target=self._add, daemon=True).start()

    def run(self, text: str, accept: str | None) -> Answer:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _error(503, f"Busy: every query worker is taken; try again in {self.timeout:g} s.")
        try:
            worker.connection.send((text, accept))
            if worker.connection.poll(self.timeout):
                result = worker.connection.recv()
                self._idle.put(worker)
                return result
        except (EOFError, OSError):
            self._discard(worker)
            return _error(500, "Query failed: the query worker stopped; it has been restarted.")
        self._discard(worker)
        return _error(503, f"Query timed out after {self.timeout:g} s and was stopped: narrow it down or add a LIMIT.")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
