"""Where the vocabulary, concept schemes, shapes and queries live.

In a source checkout (and an editable install) they sit beside the package, in ``ontology/``,
``shapes/`` and ``queries/``; a wheel installs the same folders under ``share/resolis-ld/``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_FOLDERS = ("ontology", "shapes", "queries")


@cache
def resource_root() -> Path:
    """The folder that holds ontology/, shapes/ and queries/."""
    candidates = [
        Path(__file__).resolve().parent.parent,
        Path(sys.prefix) / "share" / "resolis-ld",
    ]
    for candidate in candidates:
        if (candidate / "ontology" / "resolis.ttl").is_file():
            return candidate
    raise FileNotFoundError(
        "resolis-ld's ontology/ folder is missing: reinstall the package (pip install resolis-ld)"
    )


def resource(folder: str, name: str) -> Path:
    """The path of a bundled file, e.g. ``resource("ontology", "concepts.ttl")``."""
    assert folder in _FOLDERS, folder
    return resource_root() / folder / name
