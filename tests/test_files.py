"""Output files: written whole or not at all, measured, and gzipped byte-stably."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import pytest

from resolis_ld.errors import OutputError
from resolis_ld.files import (
    GzipWriter, MeasuredWriter, atomic_stream, copy_range, gzip_bytes, in_background, write_atomic,
)


def test_a_stream_replaces_the_file_only_when_it_is_complete(tmp_path: Path):
    path = tmp_path / "out" / "dump.nt"
    write_atomic(path, b"old\n")
    with pytest.raises(RuntimeError), atomic_stream(path) as stream:
        stream.write(b"half")
        raise RuntimeError("the writer failed")
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in path.parent.iterdir()] == ["dump.nt"]  # no temporary file left
    with atomic_stream(path) as stream:
        stream.write(b"new\n")
    assert path.read_bytes() == b"new\n"


def test_a_stream_into_a_file_that_is_no_directory_is_an_output_error(tmp_path: Path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError, match="Not a directory"), atomic_stream(tmp_path / "afile" / "dump.nt"):
        pass


def test_measured_writer_counts_and_hashes_what_passes(tmp_path: Path):
    buffer = io.BytesIO()
    measured = MeasuredWriter(buffer)
    for piece in (b"abc", b"", b"def"):
        measured.write(piece)
    assert buffer.getvalue() == b"abcdef"
    assert (measured.size, measured.sha256) == (6, hashlib.sha256(b"abcdef").hexdigest())


@pytest.mark.parametrize("data", [b"", b"<a> <b> <c> .\n" * 250_000, bytes(range(256)) * 10_000])
@pytest.mark.parametrize("piece", [4096, 1_000_003, 3 << 20])
def test_gzip_has_no_time_or_name_and_gives_the_same_bytes_however_it_is_fed(data: bytes, piece: int):
    whole = gzip_bytes(data)
    assert gzip.decompress(whole) == data
    assert whole[4:8] == b"\0\0\0\0" and not whole[3] & 0x08  # mtime 0, no FNAME field
    buffer = io.BytesIO()
    writer = GzipWriter(buffer)
    for start in range(0, len(data), piece):
        writer.write(memoryview(data)[start : start + piece])
    writer.close()
    assert buffer.getvalue() == whole


def test_gzip_members_are_each_the_gzip_of_their_part():
    parts = [b"<a> <b> <c> .\n" * 100_000, b"", b"<d> <e> \"f\" .\n" * 7, bytes(range(256)) * 5000]
    buffer = io.BytesIO()
    writer = GzipWriter(buffer)
    for index, part in enumerate(parts):
        if index:
            writer.end_member()
        writer.write(part[:1000])
        writer.write(part[1000:])
    writer.close()
    members = [gzip_bytes(part) for part in parts]
    assert buffer.getvalue() == b"".join(members)
    assert writer.members == [sum(map(len, members[:index])) for index in range(len(parts))]
    assert gzip.decompress(buffer.getvalue()) == b"".join(parts)  # one stream to a reader


class _Collector:
    def __init__(self, fail_at: int | None = None) -> None:
        self.pieces: list[bytes] = []
        self.closed = False
        self.fail_at = fail_at

    def write(self, data: bytes) -> None:
        if len(self.pieces) == self.fail_at:
            raise OSError(28, "No space left on device")
        self.pieces.append(data)

    def close(self) -> None:
        self.closed = True


def test_a_background_writer_passes_every_piece_on_in_order_then_closes_its_target():
    target = _Collector()
    pieces = [str(n).encode() * (n % 7 + 1) for n in range(1000)]
    with in_background(target) as writer:
        for piece in pieces:
            writer.write(piece)
    assert target.pieces == pieces and target.closed


def test_a_background_writer_raises_what_its_thread_met(tmp_path: Path):
    target = _Collector(fail_at=3)
    with pytest.raises(OSError, match="No space left"):
        with in_background(target) as writer:
            for n in range(100):
                writer.write(b"x")
    assert len(target.pieces) == 3 and not target.closed
    path = tmp_path / "dump.nt"  # inside an atomic stream, the error is an output error, no file left
    with pytest.raises(OutputError, match="No space left"), atomic_stream(path):
        with in_background(_Collector(fail_at=0)) as writer:
            writer.write(b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_block_stops_the_thread_and_keeps_its_own_error():
    target = _Collector()
    with pytest.raises(RuntimeError, match="the maker failed"):
        with in_background(target) as writer:
            writer.write(b"a")
            raise RuntimeError("the maker failed")
    assert not writer._thread.is_alive()
    assert target.pieces == [b"a"]


def test_a_file_written_again_is_replaced_whole_and_leaves_nothing_beside_it(tmp_path: Path):
    path = tmp_path / "dump.nt"
    write_atomic(path, b"old\n" * 1000)
    reader = path.open("rb")  # a reader of the old file keeps reading the old bytes
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert reader.read() == b"old\n" * 1000
    reader.close()
    assert [p.name for p in tmp_path.iterdir()] == ["dump.nt"]
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


@pytest.mark.parametrize("kernel", [True, False])
def test_a_range_is_copied_file_to_file_between_writes(tmp_path: Path, monkeypatch, kernel: bool):
    """The kernel's copy_file_range when there is one, reading and writing when it fails."""
    if not kernel:
        def refuse(*args):
            raise OSError(95, "Operation not supported")
        monkeypatch.setattr("os.copy_file_range", refuse, raising=False)
    source = tmp_path / "old"
    source.write_bytes(bytes(range(256)) * 100_000)  # 25.6 MB: more than one read of the fallback
    with open(source, "rb") as old, atomic_stream(tmp_path / "new") as new:
        new.write(b"head")
        copy_range(old, 10, 20_000_010, new)
        new.write(b"middle")
        copy_range(old, 25_599_990, 25_600_000, new)
    data = source.read_bytes()
    assert (tmp_path / "new").read_bytes() == b"head" + data[10:20_000_010] + b"middle" + data[-10:]


def test_a_range_past_the_end_of_the_file_is_an_output_error(tmp_path: Path):
    (tmp_path / "old").write_bytes(b"short")
    with open(tmp_path / "old", "rb") as old, pytest.raises(OutputError), atomic_stream(tmp_path / "new") as new:
        copy_range(old, 0, 100, new)
    assert not (tmp_path / "new").exists()
