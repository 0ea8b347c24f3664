"""A rebuild that patches the previous outputs gives the bytes of a clean build, or builds anew."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import DATA, REPORT_FILES

from resolis_ld import build as build_module
from resolis_ld import dump_writers
from resolis_ld.aliases import read_alias_table
from resolis_ld.build import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from make_corpus import write_corpus  # noqa: E402

ALIASES = read_alias_table(DATA / "organisations.csv")


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    write_corpus(30, folder, seed=11)
    for path in REPORT_FILES:
        shutil.copy(path, folder)
    return folder


@pytest.fixture()
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many full conversions the builds ran (a patched build runs none)."""
    calls: list[int] = []
    convert = build_module.convert_collection

    def counted(*args, **kwargs):
        calls.append(1)
        return convert(*args, **kwargs)

    monkeypatch.setattr(build_module, "convert_collection", counted)
    return calls


def edit(path: Path, pattern: str, replacement: str) -> None:
    data = path.read_bytes()
    encoding = "utf-8" if not data.startswith(b"\xef\xbb\xbf") else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text, f"{pattern!r} not in {path.name}"
    path.write_bytes(changed.encode(encoding))


def rebuild_is_clean(reports: Path, tmp_path: Path, cache: Path) -> str:
    """Rebuild with the cache and check the bytes against a clean build; what the rebuild did."""
    rebuilt = build([str(reports)], tmp_path / "out", aliases=ALIASES, cache_dir=cache)
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build([str(reports)], clean, aliases=ALIASES)
    assert files(tmp_path / "out") == files(clean)
    return rebuilt.how


SUMMARY = r"^((?:Summary|Résumé)\s*:.*?)(\r?)$"


@pytest.mark.parametrize("every", [512, 2])
def test_edits_of_texts_are_patched_and_give_the_bytes_of_a_clean_build(reports: Path, tmp_path: Path,
                                                                         conversions: list[int], every: int,
                                                                         monkeypatch: pytest.MonkeyPatch):
    """``every``: how often a subject begins a gzip member; at 2, the changed subjects often
    begin one, and members split and merge."""
    monkeypatch.setattr(dump_writers, "MEMBER_EVERY", every)
    monkeypatch.setattr(build_module, "CHILD_MIN_TRIPLES", 0)  # JSON-LD (and the objects' keys) from a child
    cache = tmp_path / "cache"
    build([str(reports)], tmp_path / "out", aliases=ALIASES, cache_dir=cache, jobs=2)
    assert conversions == [1]
    paths = sorted(reports.glob("*.txt"))
    for number, path in enumerate([paths[3], paths[17], paths[3], *REPORT_FILES_IN(reports)]):
        edit(path, SUMMARY, rf"\1 Edit {number}, « accentué ».\2")
        assert rebuild_is_clean(reports, tmp_path, cache) == "patched the last build's outputs: 1 report(s) changed"
        assert conversions == [1] + [1] * (number + 1), f"edit {number} of {path.name} was not patched"


def REPORT_FILES_IN(folder: Path) -> list[Path]:
    return [folder / path.name for path in REPORT_FILES if (folder / path.name).is_file()
            and re.search(SUMMARY, (folder / path.name).read_bytes().decode("utf-8", "replace"), re.M)]


def test_two_reports_changed_at_once_are_patched(reports: Path, tmp_path: Path, conversions: list[int]):
    cache = tmp_path / "cache"
    build([str(reports)], tmp_path / "out", aliases=ALIASES, cache_dir=cache)
    paths = sorted(reports.glob("r*.txt"))
    edit(paths[0], SUMMARY, r"\1 First.\2")
    edit(paths[-1], SUMMARY, r"\1 Last.\2")
    rebuild_is_clean(reports, tmp_path, cache)
    assert len(conversions) == 2  # the first build, the clean one


WHY = {  # what ``build -v`` says of each
    "title": "its title changed", "new file": "not those of the last build", "removed file": "not those of the last build",
    "touched output": "void.ttl changed since the last build wrote it", "damaged snapshot": "is damaged",
    "partner": "comes or goes", "no cache": "",
}


@pytest.mark.parametrize("change", list(WHY))
def test_what_cannot_be_patched_is_built_anew(reports: Path, tmp_path: Path, conversions: list[int], change: str):
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    build([str(reports)], out, aliases=ALIASES, cache_dir=cache)
    paths = sorted(reports.glob("r*.txt"))
    if change == "title":
        text = paths[5].read_text(encoding="utf-8", errors="replace")
        title = next(line for line in text.splitlines()[1:] if line.strip() and not line.startswith("Logo"))
        edit(paths[5], re.escape(title), title + " bis")
    elif change == "new file":
        shutil.copy(paths[2], reports / "zz_copy.txt")
        edit(reports / "zz_copy.txt", SUMMARY, r"\1 Copy.\2")
    elif change == "removed file":
        paths[4].unlink()
    elif change == "touched output":
        edit(paths[6], SUMMARY, r"\1 Changed.\2")
        (out / "void.ttl").write_bytes(b"# edited by hand\n")
    elif change == "damaged snapshot":
        edit(paths[6], SUMMARY, r"\1 Changed.\2")
        for path in (cache / "snapshots").iterdir():
            path.write_bytes(path.read_bytes()[:1000])
    elif change == "partner":  # what the report links to changes: another organisation
        partners = r"^(Partnership\(s\) developed.*\r?\n\r?\n1\. )"
        path = next(p for p in paths if re.search(partners, p.read_bytes().decode("utf-8", "replace"), re.M))
        edit(path, partners, r"\1Association Nouvelle Partenaire and ")
    else:
        edit(paths[6], SUMMARY, r"\1 Changed.\2")
        cache = None  # type: ignore[assignment]
    if cache is None:
        how = build([str(reports)], out, aliases=ALIASES).how
        clean = tmp_path / "clean"
        build([str(reports)], clean, aliases=ALIASES)
        assert files(out) == files(clean)
    else:
        how = rebuild_is_clean(reports, tmp_path, cache)
    assert len(conversions) == 3  # the first build, the full rebuild, the clean one
    assert WHY[change] in how and how.startswith("built everything: " if cache else "")


def test_a_rebuild_with_nothing_changed_writes_nothing_and_says_the_same(reports: Path, tmp_path: Path,
                                                                         conversions: list[int]):
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = build([str(reports)], out, aliases=ALIASES, cache_dir=cache)
    stamps = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    again = build([str(reports)], out, aliases=ALIASES, cache_dir=cache)
    assert conversions == [1] and again.how == "nothing changed"
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == stamps
    assert [(p.name, size) for p, size in again.written] == [(p.name, size) for p, size in first.written]
    assert [o.name for o in again.conversion.reports] == [o.name for o in first.conversion.reports]
    assert list(map(str, again.conversion.warnings)) == list(map(str, first.conversion.warnings))
    assert again.conversion.unreconciled == first.conversion.unreconciled
    assert again.validation == first.validation and again.triple_count == first.triple_count


def test_build_verbose_says_whether_it_patched_and_why_not(reports: Path, tmp_path: Path):
    from click.testing import CliRunner

    from resolis_ld.cli import cli

    def verbose_build() -> str:
        args = ["-v", "build", "--input", str(reports), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code in (0, 1), result.stderr
        return result.stderr

    assert f"resolis-ld: built everything: no snapshot of {tmp_path / 'out'} in the cache yet" in verbose_build()
    edit(sorted(reports.glob("r*.txt"))[3], SUMMARY, r"\1 Edited.\2")
    assert "resolis-ld: patched the last build's outputs: 1 report(s) changed" in verbose_build()
    assert "resolis-ld: nothing changed" in verbose_build()
