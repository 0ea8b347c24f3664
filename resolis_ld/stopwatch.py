"""Seconds per stage of a build, for ``--timings`` and the benchmarks."""

from __future__ import annotations

import time


class Stopwatch:
    """Adds the time since the last lap to the stage named at each lap (unrounded: a stage may
    be the sum of many short laps): wall seconds in ``timings``, and in ``cpu`` the CPU seconds
    of the whole process (its writing threads included). The two differ when processes share
    the CPUs: a stage's wall time then counts its waits for a CPU, its CPU time only its work."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.last, self.last_cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        now, now_cpu = time.perf_counter(), time.process_time()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.cpu[stage] = self.cpu.get(stage, 0.0) + now_cpu - self.last_cpu
        self.last, self.last_cpu = now, now_cpu

    def add(self, other: Stopwatch) -> None:
        """Count another process's stages too (a child's: its CPU seconds are not ours)."""
        for mine, theirs in ((self.timings, other.timings), (self.cpu, other.cpu)):
            for stage, seconds in theirs.items():
                mine[stage] = mine.get(stage, 0.0) + seconds
