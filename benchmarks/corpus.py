"""A simple generator of report texts for benchmarks: the fixtures, varied and multiplied.

Each generated report takes one of the reports in data/reports/ as its template, gets its own
title, one of a few hundred lead organisations (so organisations are shared as in the real
collection), and loses some optional lines now and then (so some reports are incomplete).
Reproducible from the seed. The fuller generator of the benchmark issue can replace it.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "data" / "reports").glob("*.txt"))
OPTIONAL = re.compile(r"^\s*(?:•\s*)?(Budget|Date of proofreading|Date de relecture|Opinion of the Committee|Avis du comité|Members|Adhérents)\b.*$", re.M)


def generate_reports(count: int, seed: int = 1) -> list[tuple[str, str]]:
    """(file name, text) pairs."""
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8").replace("\r\n", "\n") for path in TEMPLATES]
    reports = []
    for index in range(count):
        text = texts[index % len(texts)]
        lines = text.split("\n")
        logo = next(i for i, line in enumerate(lines) if line.startswith("Logo "))
        title = next(i for i, line in enumerate(lines) if i > logo and line.strip())
        lines[logo] = f"Logo Organisation {rng.randrange(300):03d}"
        lines[title] = f"{lines[title]} (edition {index:05d})"
        text = "\n".join(lines)
        if rng.random() < 0.3:
            text = OPTIONAL.sub("", text, count=rng.randrange(1, 4))
        reports.append((f"generated-{index:05d}.txt", text))
    return reports


def write_corpus(count: int, directory: Path, seed: int = 1) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate_reports(count, seed):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
