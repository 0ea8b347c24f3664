"""benchmarks/run.py runs end to end on a tiny corpus and writes the JSON it promises: with
today's build, and with a build that has --timings and a cache (a stand-in script, since the
real options land separately). Figures are not checked: no timed assertion in tests."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
HAS_PYOXIGRAPH = importlib.util.find_spec("pyoxigraph") is not None
REAL_BUILD = str(Path(sys.executable).parent / "resolis-ld")

# A resolis-ld whose build has --timings and --no-cache: it runs the real build, then writes
# timings in the schema the fast build will use.
STAND_IN = f'''\
import json, subprocess, sys
args = sys.argv[1:]
if "--help" in args:
    print(subprocess.run([{REAL_BUILD!r}, *args], capture_output=True, text=True).stdout)
    print("  --timings FILE\\n  --no-cache")
    sys.exit(0)
timings = args[args.index("--timings") + 1]
del args[args.index("--timings"):args.index("--timings") + 2]
code = subprocess.run([{REAL_BUILD!r}, *args]).returncode
stages = dict.fromkeys(["parse_map", "validate", "turtle", "json-ld", "nt", "nq", "write"], 0.01)
json.dump({{"stages": stages, "reports": 20, "triples": 1000}}, open(timings, "w"))
sys.exit(code)
'''


def run_benchmark(tmp_path: Path, env: dict[str, str] | None = None) -> dict:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "20", "--naive-max", "20", "--json", str(out)],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Targets (issue 6):" in result.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def check_common(document: dict) -> dict:
    assert {"machine", "seed", "naive_max", "build_features", "runs", "targets"} <= document.keys()
    [run] = document["runs"]
    assert run["size"] == 20
    assert {"wall", "peak_rss", "exit_code", "stages", "triples", "timings", "note"} <= run["ours"].keys()
    assert run["ours"]["exit_code"] in (0, 1) and run["ours"]["peak_rss"] > 0 and run["ours"]["triples"] > 0
    naive = run["naive"]
    assert set(naive["stages"]) == {"parse", "map", "validate", "turtle", "json-ld", "nt"}
    assert naive["extrapolated"] is False and naive["triples"] > 0
    if HAS_PYOXIGRAPH:
        assert run["floor"]["available"] is True
        assert {"turtle", "nt", "nq"} <= run["floor"]["stages"].keys()
    assert {t["status"] for t in document["targets"]} <= {"PASS", "FAIL", "N/A"}
    return run


def test_run_with_todays_build(tmp_path):
    document = run_benchmark(tmp_path)
    run = check_common(document)
    if not document["build_features"]["timings"]:
        assert run["ours"]["stages"] is None and "wall time only" in run["ours"]["note"]
    else:
        assert {"turtle", "json-ld", "nt", "nq"} <= run["ours"]["cpu"].keys()
    # the writers are held to the floor alone, each the best of three runs, as the floor
    assert run["alone"]["best"].keys() == {"turtle", "json-ld", "nt", "nq"} and len(run["alone"]["runs"]) == 3
    assert run["alone"]["triples"] == run["ours"]["triples"]
    if HAS_PYOXIGRAPH:
        details = {t["target"].split(" ")[0]: t["detail"] for t in document["targets"]}
        best, floor = run["alone"]["best"]["turtle"], run["floor"]["stages"]["turtle"]
        assert details["turtle"] == f"{best / floor:.1f}x ({best:.2f} s against {floor:.2f} s)"
    if not document["build_features"]["cache"]:
        assert run["incremental"]["skipped"] is True


def test_run_reads_timings_and_measures_the_rebuild(tmp_path):
    stand_in = tmp_path / "resolis-ld"
    stand_in.write_text(f"#!{sys.executable}\n{STAND_IN}", encoding="utf-8")
    stand_in.chmod(0o755)
    document = run_benchmark(tmp_path, {"RESOLIS_LD": str(stand_in)})
    run = check_common(document)
    assert document["build_features"] == {"timings": True, "cache": True}
    assert run["ours"]["timings"] is True and run["ours"]["stages"]["turtle"] == 0.01
    assert run["ours"]["cpu"] is None
    assert run["incremental"]["skipped"] is False and run["incremental"]["wall"] > 0
    statuses = {t["target"].split(" ")[0]: t["status"] for t in document["targets"]}
    if HAS_PYOXIGRAPH:
        assert statuses["turtle"] in ("PASS", "FAIL") and statuses["nq"] in ("PASS", "FAIL")
        details = {t["target"].split(" ")[0]: t["detail"] for t in document["targets"]}
        assert details["turtle"].endswith(" s)")  # the writers alone: measured, whatever the build's timings say
