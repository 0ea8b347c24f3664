"""A URL input: its page -> report text -> a parsed report whose provenance is the page.

The text is decoded as the response says (the ``charset`` of its Content-Type, else an HTML
page's ``<meta charset>``), else as a report file is (UTF-8, then Windows-1252 with a warning);
an HTML page becomes the report text of REPORT_FORMAT.md first. The parser is the one files go
through, so a page converts exactly like the text export it shows.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from .concepts import ConceptIndex
from .decode import decode_report
from .fetch import Fetcher, Page
from .html_text import text_from_html
from .model import ParseWarning, Source
from .parse import ParsedReport, parse_report

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# As browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is read as Windows-1252.
_AS_WINDOWS_1252 = {"latin_1", "iso8859_1", "ascii"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def declared_charset(page: Page) -> tuple[str | None, str]:
    """The charset the response declares, and who declares it (for messages)."""
    if page.charset:
        return page.charset, "the server"
    if page.media_type != "text/plain" and (match := _META_CHARSET.search(page.body[:4096])):
        return match.group(1).decode("ascii").lower(), "the page"
    return None, ""


def report_text(page: Page) -> tuple[str, list[str]]:
    """The report text of a page, and warnings about how it was decoded."""
    notes: list[str] = []
    charset, who = declared_charset(page)
    text = None
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            notes.append(f"{who} declares the unknown charset '{charset}': read as UTF-8, else Windows-1252")
        else:
            codec = "cp1252" if codec in _AS_WINDOWS_1252 else "utf-8-sig" if codec == "utf-8" else codec
            try:
                text = page.body.decode(codec)
            except UnicodeDecodeError as error:
                notes.append(f"not valid {charset} as {who} declares (byte {error.start}): read as UTF-8, else Windows-1252")
    if text is None:
        text, encoding = decode_report(page.body, page.url)
        if encoding != "utf-8":
            notes.append(f"no charset declared and not UTF-8: read as {encoding}")
    if page.media_type != "text/plain":
        text = text_from_html(text)
    return text, notes


def read_url(url: str, fetcher: Fetcher, concepts: ConceptIndex | None = None) -> ParsedReport:
    """Fetch, decode and parse one URL; raises ``FetchError`` or ``ParseError`` naming the URL.

    Warning lines refer to the report text, as ``resolis-ld fetch`` saves it.
    """
    return fetch_report(url, fetcher, concepts)[1]


def fetch_report(url: str, fetcher: Fetcher, concepts: ConceptIndex | None = None) -> tuple[str, ParsedReport, Page]:
    """The report text of a URL, the report parsed from it (its source: the page) and the page."""
    page = fetcher.fetch(url)
    text, notes = report_text(page)
    parsed = parse_report(text, url, concepts)
    source = Source(url, page.sha256, url=page.location, retrieved=page.retrieved)
    warnings = tuple(ParseWarning(url, None, note) for note in (*page.notes, *notes)) + parsed.warnings
    return text, ParsedReport(replace(parsed.report, source=source), warnings, parsed.encoding), page


def report_file_name(url: str) -> str:
    """A safe file name from a URL's last path segment: no directory part, no leading dot,
    ASCII letters, digits, ``.``, ``-`` and ``_`` only, and ``.txt`` (what is saved is text)."""
    parts = urlsplit(url)
    segment = unquote(parts.path.rstrip("/").rpartition("/")[2])
    segment = unicodedata.normalize("NFKD", segment).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("-", segment).strip(".-_")
    if "." in stem:
        stem = stem.rsplit(".", 1)[0].rstrip(".-_")  # report.html -> report
    if not stem:
        stem = _UNSAFE.sub("-", parts.hostname or "").strip(".-_") or "report"
    stem = stem[:100]
    if stem.lower() in _RESERVED:
        stem = f"{stem}-report"
    return f"{stem}.txt"


def report_file_names(urls: list[str]) -> dict[str, str]:
    """A file name for each URL; URLs that would share one all get the first 8 hex digits of
    their own SHA-256, so the names do not depend on the order of the URLs."""
    names = {url: report_file_name(url) for url in urls}
    taken = Counter(name.lower() for name in names.values())  # some file systems ignore case
    for url, name in names.items():
        if taken[name.lower()] > 1:
            names[url] = f"{name[:-4]}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}.txt"
    return names
