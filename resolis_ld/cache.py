"""The download cache: one file per URL, so that a re-run asks the server only "has it changed?".

An entry is one file named by the SHA-256 of the URL: a line of JSON (the URL, the validators
``ETag`` and ``Last-Modified``, the content type, when the bytes were first downloaded, their
length and SHA-256), then the bytes. It is written atomically, and an entry that does not read
back exactly (truncated, edited, another format) is ignored and replaced: a cache never fails a
run. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .files import write_atomic

FORMAT = 1


@dataclass(frozen=True)
class CacheEntry:
    """A page as downloaded, with what a conditional request needs."""

    url: str
    content_type: str
    retrieved: str  # when these bytes were first downloaded (xsd:dateTime, UTC)
    sha256: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class Cache:
    """A directory of cache entries; created on the first write."""

    def __init__(self, directory: Path):
        self.directory = directory

    def path(self, url: str) -> Path:
        return self.directory / f"{url_key(url)}.entry"

    def get(self, url: str) -> CacheEntry | None:
        """The entry for ``url``, or None when there is none or it does not read back exactly."""
        try:
            data = self.path(url).read_bytes()
        except OSError:
            return None
        header, newline, body = data.partition(b"\n")
        try:
            meta = json.loads(header.decode("utf-8"))
            entry = CacheEntry(
                url=meta["url"], content_type=meta["content_type"], retrieved=meta["retrieved"],
                sha256=meta["sha256"], body=body, etag=meta.get("etag"), last_modified=meta.get("last_modified"),
            )
            intact = (
                newline and meta.get("format") == FORMAT and entry.url == url and meta.get("length") == len(body)
                and hashlib.sha256(body).hexdigest() == entry.sha256
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return entry if intact else None

    def put(self, entry: CacheEntry) -> None:
        """Store an entry atomically; raises ``OutputError`` when the directory is not writable."""
        meta = {k: v for k, v in asdict(entry).items() if k != "body"}
        meta.update(format=FORMAT, length=len(entry.body))
        header = json.dumps(meta, ensure_ascii=True, sort_keys=True).encode("ascii")
        write_atomic(self.path(entry.url), header + b"\n" + entry.body)
