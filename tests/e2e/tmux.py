"""Driving a real terminal: tmux sessions read with capture-pane and typed into with
send-keys. Polls the screen; never a fixed sleep."""

import os
import shutil
import subprocess
import time

import pytest


def need_tmux() -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux not installed")


def desk_env(env: dict) -> list[str]:
    """`-e NAME=VALUE` for every DESKCONSOLE_ variable of `env`: a tmux server already running
    (one a person left open on this machine) gives a new session ITS environment, not the
    caller's, so the audit key file the tests' CLI steps used would be missing there."""
    return [arg for k, v in sorted(env.items()) if k.startswith("DESKCONSOLE_") for arg in ("-e", f"{k}={v}")]


def screen(name: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout


def wait_for(name: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(name)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; screen was:\n{screen(name)}")


def wait_gone(name: str, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and text in screen(name):
        time.sleep(0.1)
    assert text not in screen(name)


def keys(name: str, *k: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", name, *k], check=True)
