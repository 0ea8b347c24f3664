"""The generated reports of make_corpus.py as (file name, bytes) pairs, for benchmarks/validate.py."""

from __future__ import annotations

from make_corpus import generate_reports as _generate
from make_corpus import write_corpus  # noqa: F401  (kept for scripts that import it from here)


def generate_reports(count: int, seed: int = 1) -> list[tuple[str, bytes]]:
    """(file name, bytes) pairs; parse_report takes the bytes as a file's content."""
    return [(report.name, report.data) for report in _generate(count, seed)]


__all__ = ["generate_reports", "write_corpus"]
