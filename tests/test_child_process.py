"""A function in a child process: its result, its error, its death, and stopping it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from resolis_ld.errors import OutputError
from resolis_ld.child_process import ChildFailed, in_child


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _fails() -> None:
    raise OutputError("dist/resolis.ttl: error: cannot write: No space left on device")


def _unpicklable_error() -> None:
    class Local(Exception):
        pass
    raise Local("defined inside a function")


def _dies() -> None:
    os._exit(9)


def _writes_forever(path: Path) -> None:
    path.write_text("started")
    time.sleep(60)


@pytest.mark.parametrize("separate", [True, False])
def test_the_result_comes_back_from_the_child_or_from_here(separate: bool):
    with in_child(_pid_and_sum, list(range(1000)), separate=separate) as pending:
        pid, total = pending.result()
    assert total == 499500
    assert (pid != os.getpid()) == separate


def test_an_error_in_the_child_is_raised_here():
    with pytest.raises(OutputError, match="No space left"), in_child(_fails) as pending:
        pending.result()


def test_an_error_that_does_not_pickle_comes_back_as_its_traceback():
    with pytest.raises(ChildFailed, match="defined inside a function"), in_child(_unpicklable_error) as pending:
        pending.result()


def test_a_child_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(ChildFailed, match="exit code 9"), in_child(_dies) as pending:
        pending.result()


def test_the_child_is_stopped_when_this_side_fails(tmp_path: Path):
    marker = tmp_path / "marker"
    with pytest.raises(KeyError), in_child(_writes_forever, marker) as pending:
        while not marker.exists():
            time.sleep(0.01)
        raise KeyError("validation failed")
    assert pending.process is None  # terminated and joined, not left running
