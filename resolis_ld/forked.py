"""A function run in a forked child process while this one goes on with other work.

A build writes its Turtle and JSON-LD dumps (a third of its time) while it validates and writes
the N-Triples and N-Quads: a forked child shares the triples already in memory instead of
receiving them, and sends back only its small result. Where fork is missing, or one process is
asked for, the function simply runs here when its result is asked for.
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

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...], fork: bool) -> None:
        self.function, self.args = function, args
        self.process: Any = None
        if fork and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            sys.stdout.flush()  # what is still buffered would be flushed twice, once by the child
            sys.stderr.flush()
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
def in_child(function: Callable[..., T], *args: Any, fork: bool = True) -> Iterator[Pending[T]]:
    """Start ``function(*args)`` in a forked child; if the block fails, the child is stopped."""
    pending = Pending(function, args, fork)
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
