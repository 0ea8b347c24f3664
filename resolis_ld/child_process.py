"""A function run in a child process while this one goes on with other work.

A build writes its JSON-LD dump from the N-Triples file while it validates and writes Turtle.
The child is a fresh interpreter (multiprocessing's "spawn"), not a fork: a forked child would
share the parent's pages until either of them wrote to one, and Python writes to every object it
merely looks at (reference counts), so the two would soon hold two copies of the triples. The
child receives only its arguments (paths) and sends back only its small result. When one process
is asked for, the function simply runs here when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .errors import ResolisError

T = TypeVar("T")


class ChildFailed(ResolisError):
    """The child process died or raised an exception that could not be sent back."""


class Pending(Generic[T]):
    """The coming result of ``function(*args)``; ``result()`` waits for it or raises its error."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...], separate: bool) -> None:
        self.function, self.args = function, args
        self.process: Any = None
        if separate:
            context = multiprocessing.get_context("spawn")
            self.receiver, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(sender, function, args), daemon=True)
            self.process.start()
            sender.close()

    def result(self) -> T:
        if self.process is None:
            return self.function(*self.args)
        try:
            ok, value = self.receiver.recv()
        except EOFError:
            self.process.join()
            raise ChildFailed(f"the process of {self.function.__name__} stopped (exit code {self.process.exitcode})") from None
        finally:
            self.receiver.close()
        self.process.join()
        self.process = None
        if ok:
            return value
        raise value

    def cancel(self) -> None:
        """Stop the child (it removes its temporary files) and wait for it."""
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            self.process = None


@contextmanager
def in_child(function: Callable[..., T], *args: Any, separate: bool = True) -> Iterator[Pending[T]]:
    """Start ``function(*args)`` in a child process (``separate``; else it runs here when its
    result is asked for); if the block fails, the child is stopped. ``function`` and ``args``
    must pickle: a module-level function, plain values."""
    pending = Pending(function, args, separate)
    try:
        yield pending
    except BaseException:
        pending.cancel()
        raise


def _child(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    # SIGTERM (cancel) becomes SystemExit, so that the writers' cleanup runs
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        outcome = (False, error)
    try:
        sender.send(outcome)
    except Exception:  # noqa: BLE001 - an error that does not pickle goes back as text
        sender.send((False, ChildFailed("".join(traceback.format_exception(outcome[1])))))
    sender.close()
