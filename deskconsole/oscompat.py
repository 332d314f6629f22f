"""The one place for calls that exist on some operating systems only (lobby PCs run Windows
as often as Linux). Every function here works everywhere, doing the closest safe thing where
its system call is missing; tests/unit/test_portability.py fails if such a call appears
anywhere else in the package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def process_start_method() -> str:
    """`fork` where the system has it (cheap: the child inherits what the parent loaded),
    else `spawn` (Windows, and macOS where fork is unsafe with system frameworks)."""
    import multiprocessing as mp

    if sys.platform == "linux" and "fork" in mp.get_all_start_methods():
        return "fork"
    return "spawn"


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to send this (child) process SIGTERM when its parent dies, so that it
    stops and cleans up. Linux only; elsewhere the child notices a dead parent through its
    broken pipe. If the parent already died before the request took effect, exit now."""
    if sys.platform != "linux":
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        os._exit(1)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (on any system; never signals it)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(ok) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows has no directory handles to sync (and its
    rename is durable with the file system's journal)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
