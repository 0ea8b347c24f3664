"""Bytes to text: UTF-8 (with or without BOM) first, then Windows-1252; binary refused."""

from __future__ import annotations

import re

from .errors import ParseError

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_report(data: bytes, path: str) -> tuple[str, str]:
    """The text of a report file and the encoding it was read with."""
    if not data.strip():
        raise ParseError("the file is empty: expected a RESOLIS report (see REPORT_FORMAT.md)", path)
    if b"\x00" in data[:8192]:
        raise ParseError("the file is binary, not a report text: give the .txt export", path)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as error:
            raise ParseError(
                f"the file is neither UTF-8 nor Windows-1252 (byte {error.start}): save it as UTF-8",
                path,
            ) from None
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise ParseError("the file is binary, not a report text: give the .txt export", path)
    return text, encoding


def split_lines(text: str) -> list[str]:
    """Lines without their ends; LF, CRLF and lone CR all end a line (str.splitlines does more)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
