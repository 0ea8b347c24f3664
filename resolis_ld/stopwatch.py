"""Seconds per stage of a build, for ``--timings`` and the benchmarks."""

from __future__ import annotations

import time


class Stopwatch:
    """Adds the time since the last lap to the stage named at each lap (unrounded: a stage may
    be the sum of many short laps)."""

    def __init__(self, timings: dict[str, float] | None = None) -> None:
        self.timings = timings if timings is not None else {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now
