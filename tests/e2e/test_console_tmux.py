"""The real `deskconsole` in a real terminal (tmux): create an operator with the CLI, start
the console, sign on and pass the self-check by keys, register a visitor typed in Chinese,
read the screen, quit. Polls the screen; never a fixed sleep."""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "deskconsole"


def _need_tmux():
    if shutil.which("tmux") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux not installed")


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


def keys(name: str, *k: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", name, *k], check=True)


def test_sign_on_in_a_real_terminal_in_chinese(tmp_path):
    _need_tmux()
    env = {**os.environ, "DESKCONSOLE_HOME": str(tmp_path), "DESKCONSOLE_SITE": "海港大厦", "TERM": "xterm-256color"}
    subprocess.run([str(BIN), "operator", "add", "--staff-no", "007", "--name", "陈静",
                    "--role", "receptionist", "--pin-stdin"], input="2580\n", text=True,
                   env=env, check=True, capture_output=True)
    name = f"dc{uuid.uuid4().hex[:8]}"
    cmd = f"{BIN} --lang zh-CN; sleep 5"
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
                    "-e", f"DESKCONSOLE_HOME={tmp_path}", "-e", "DESKCONSOLE_SITE=海港大厦", cmd], check=True, env=env)
    try:
        wait_for(name, "签到")
        wait_for(name, "海港大厦")
        keys(name, "007", "Enter")
        keys(name, "2580", "Enter")
        # Start of shift: the self-check (DOMAIN §5), every item passed with Enter, then saved.
        wait_for(name, "上岗自检")
        for _ in range(11):
            keys(name, "Enter")
        keys(name, "C-s")
        shown = wait_for(name, "007 陈静")  # the header: signed on, past the self-check
        assert "来访登记" in shown and "等候: 0" in shown  # Reception is where the receptionist lands
        # A visitor typed in Chinese, registered with Ctrl+S, appears in the waiting queue.
        keys(name, "张伟", "Enter")
        keys(name, "2", "Enter")
        keys(name, "13812341234", "Enter")
        keys(name, "3-1201")
        wait_for(name, "3-1201")  # as a person would: see what was typed, then save
        keys(name, "C-s")
        shown = wait_for(name, "等候中 1")  # the header counter follows the store within seconds
        assert "张伟先生" in shown and "3-1201" in shown  # and the queue shows the visitor
        keys(name, "C-q")
        wait_for(name, "退出前台控制台")
        keys(name, "y")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "007 陈静" in screen(name):
            time.sleep(0.1)
        assert "007 陈静" not in screen(name)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
