"""The "slow lobby PC" row: the same keys with the console pinned to one core (`taskset`)
while another process keeps that core half busy (5 ms of work, 5 ms of sleep, pinned to the
same core). A lobby PC is often slower than the machine the bench runs on; this row shows
what a receptionist there would feel. Linux only (taskset from util-linux); elsewhere the row
says why it is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

HALF_BUSY = """
import time
while True:
    end = time.perf_counter() + 0.005
    while time.perf_counter() < end:
        pass
    time.sleep(0.005)
"""


def run(probe_args: list[str], run_json: Callable[..., dict]) -> dict:
    if not shutil.which("taskset") or not hasattr(os, "sched_getaffinity"):
        return {"error": "taskset is not available here (Linux util-linux)"}
    core = str(min(os.sched_getaffinity(0)))
    busy = subprocess.Popen(["taskset", "-c", core, sys.executable, "-c", HALF_BUSY],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        result = run_json(probe_args, prefix=["taskset", "-c", core])
    finally:
        busy.kill()
        busy.wait()
    return {"core": int(core), **result}
