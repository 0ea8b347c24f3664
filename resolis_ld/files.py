"""Writing outputs atomically: a reader never sees half a file, a failed run leaves the old one.

A build's dumps take hundreds of megabytes each; they are written as streams (``atomic_stream``)
so that no dump ever stands whole in memory, and measured (size, SHA-256) on the way for the
catalogue. The gzipped ones are compressed on the way too (``GzipWriter``).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import os
import sys
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

from isal import isal_zlib

from .errors import OutputError

# ISA-L's level 2 (its default): some 1.2 GB/s here, 14 times zlib's level 6, for a file about a
# third larger (7.2 % of the N-Triples instead of 5.5 %). A build of 10,000 reports gzips 1.2 GB.
GZIP_LEVEL = 2
GZIP_WBITS = 31  # a gzip member: header with no name and time stamp 0, deflate, CRC-32 and size


class Writable(Protocol):
    def write(self, data: bytes) -> int | None: ...


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    with atomic_stream(path) as stream:
        stream.write(data)


@contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path``'s bytes into: a temporary file beside it, renamed over ``path``
    when the block ends without error, removed when it does not."""
    directory = path.parent
    try:
        if directory.exists() and not directory.is_dir():
            raise NotADirectoryError(20, "Not a directory")  # mkdir would say "File exists"
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise OutputError(f"{directory}: error: cannot write here: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o644)
        _replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: error: cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_range(source: BinaryIO, start: int, end: int, target: BinaryIO) -> None:
    """Append bytes ``start`` to ``end`` of the file ``source`` to ``target``. On Linux the kernel
    copies them from file to file (``copy_file_range``): a patched build copies a gigabyte of
    unchanged dumps, which read through memory and written back cost twice the time."""
    target.flush()
    copy = getattr(os, "copy_file_range", None)
    while start < end:
        try:
            if copy is None:
                raise OSError("no copy_file_range")
            copied = copy(source.fileno(), target.fileno(), end - start, start)
        except OSError:  # another system, or a file system that will not: read and write
            source.seek(start)
            while start < end:
                piece = source.read(min(end - start, 1 << 24))
                if not piece:
                    raise OSError(f"{source.name}: shorter than {end} bytes") from None
                target.write(piece)
                start += len(piece)
            return
        if copied == 0:
            raise OSError(f"{source.name}: shorter than {end} bytes")
        start += copied


def _renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_RENAMEAT2 = _renameat2() if sys.platform == "linux" else None
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _replace(temporary: str, path: Path) -> None:
    """Put the temporary file in ``path``'s place, atomically. Where the file exists, swap the
    two (Linux's ``renameat2`` with RENAME_EXCHANGE) then remove the old one: renamed over an
    existing file, ext4 first writes the new file's data out to disk (its auto_da_alloc), which
    takes half a second for a dump of 500 MB. Elsewhere, a plain rename."""
    if _RENAMEAT2 is not None and path.is_file() and not path.is_symlink():
        if _RENAMEAT2(_AT_FDCWD, os.fsencode(temporary), _AT_FDCWD, os.fsencode(path), _RENAME_EXCHANGE) == 0:
            with contextlib.suppress(OSError):  # the old file: a leftover at worst
                os.unlink(temporary)
            return
    os.replace(temporary, path)


class MeasuredWriter:
    """Passes bytes on to a stream, counting them and hashing them (SHA-256)."""

    def __init__(self, stream: Writable) -> None:
        self.stream = stream
        self.size = 0
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.size += len(data)
        self.hash.update(data)

    @property
    def sha256(self) -> str:
        return self.hash.hexdigest()


class GzipWriter:
    """Gzips the bytes written into it onto a stream, as gzip members with no file name and a
    time stamp of 0 (``gzip -n``), so the same bytes in give the same bytes out. ``end_member``
    ends a member (the next bytes begin another: a reader reads them all as one stream) and
    ``close`` the last; ``members`` holds where each begins in the output.

    ISA-L's output depends on how its input is cut, so the bytes go to it in blocks of ``BLOCK``
    from the start of each member, however they were written: a member written again alone (see
    patch.py) comes out as it did within the whole file."""

    BLOCK = 1 << 20

    def __init__(self, stream: Writable, level: int = GZIP_LEVEL) -> None:
        self.stream, self.level = stream, level
        self.compressor = isal_zlib.compressobj(level, isal_zlib.DEFLATED, GZIP_WBITS)
        self.pending = bytearray()
        self.size = 0
        self.members = [0]

    def write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        if self.pending:  # fill the block begun, first
            taken = self.BLOCK - len(self.pending)
            self.pending += view[:taken]
            view = view[taken:]
            if len(self.pending) < self.BLOCK:
                return
            self._put(self.compressor.compress(self.pending))
            self.pending = bytearray()
        whole = len(view) - len(view) % self.BLOCK
        for start in range(0, whole, self.BLOCK):  # then whole blocks, without a copy
            self._put(self.compressor.compress(view[start : start + self.BLOCK]))
        self.pending += view[whole:]

    def end_member(self) -> None:
        self._finish()
        self.compressor = isal_zlib.compressobj(self.level, isal_zlib.DEFLATED, GZIP_WBITS)
        self.members.append(self.size)

    def close(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self._put(self.compressor.compress(self.pending) + self.compressor.flush())
        self.pending = bytearray()

    def _put(self, compressed: bytes) -> None:
        if compressed:
            self.stream.write(compressed)
            self.size += len(compressed)


def gzip_bytes(data: bytes | memoryview) -> bytes:
    """``data`` gzipped as ``GzipWriter`` writes it: one member."""
    buffer = io.BytesIO()
    writer = GzipWriter(buffer)
    writer.write(data)
    writer.close()
    return buffer.getvalue()


class _Closable(Writable, Protocol):
    def close(self) -> None: ...


class BackgroundWriter:
    """Passes each piece written on to ``target`` in a thread of its own, in order.

    Hashing, gzipping and writing into a file release the GIL, so they run on another core
    while the caller makes the next piece: a build's dumps are 1.2 GB of them, which the main
    thread would otherwise hash, gzip and write itself while the second core sat idle. At most
    ``depth`` pieces wait (bounded memory). ``close`` waits for the last one, closes ``target``
    when it can be, and raises what the thread met, if anything.
    """

    def __init__(self, target: Writable | _Closable, depth: int = 4) -> None:
        self._pieces: queue.Queue[bytes | Callable[[], None] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, args=(target,), name="dump-writer", daemon=True)
        self._thread.start()

    def write(self, data: bytes | Callable[[], None]) -> None:
        """Pass ``data`` on; a function is called instead, in its turn (``GzipWriter.end_member``)."""
        if self._error is not None:
            raise self._error
        self._pieces.put(data)

    def close(self) -> None:
        self.stop()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Let the thread finish what was written, and end."""
        if self._thread.is_alive():
            self._pieces.put(None)
            self._thread.join()

    def _drain(self, target: Writable | _Closable) -> None:
        while (data := self._pieces.get()) is not None:
            if self._error is None:
                try:
                    data() if callable(data) else target.write(data)
                except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                    self._error = error
        if self._error is None and hasattr(target, "close"):
            try:
                target.close()
            except BaseException as error:  # noqa: BLE001
                self._error = error


@contextmanager
def in_background(target: Writable | _Closable) -> Iterator[BackgroundWriter]:
    """A ``BackgroundWriter`` of ``target``, closed at the end of the block; when the block
    fails, its thread is stopped all the same and the block's error is the one raised."""
    writer = BackgroundWriter(target)
    try:
        yield writer
    except BaseException:
        writer.stop()
        raise
    writer.close()
