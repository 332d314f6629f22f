"""The real `deskconsole` in a real terminal (tmux): create an operator with the CLI, start
the console, sign on and pass the self-check by keys, register a visitor typed in Chinese,
read the screen, quit. Polls the screen; never a fixed sleep."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.e2e.tmux import desk_env, keys, need_tmux, wait_for, wait_gone

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "deskconsole"


def test_sign_on_in_a_real_terminal_in_chinese(tmp_path):
    need_tmux()
    env = {**os.environ, "DESKCONSOLE_HOME": str(tmp_path), "DESKCONSOLE_SITE": "海港大厦", "TERM": "xterm-256color"}
    subprocess.run([str(BIN), "operator", "add", "--staff-no", "001", "--name", "王芳",
                    "--role", "supervisor", "--pin-stdin"], input="135790\n", text=True,
                   env=env, check=True, capture_output=True)
    subprocess.run([str(BIN), "operator", "add", "--staff-no", "007", "--name", "陈静",
                    "--role", "receptionist", "--as", "001", "--pin-stdin"], input="135790\n2580\n", text=True,
                   env=env, check=True, capture_output=True)
    name = f"dc{uuid.uuid4().hex[:8]}"
    cmd = f"{BIN} --lang zh-CN; sleep 5"
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
                    *desk_env(env), cmd], check=True, env=env)
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
        shown = wait_for(name, "等候 1")  # the header counter (short label at 100 columns) follows the store within seconds
        assert "张先生" in shown and "3-1201" in shown  # and the queue shows the visitor (surname + title)
        keys(name, "C-q")
        wait_for(name, "退出前台控制台")
        keys(name, "y")
        wait_gone(name, "007 陈静")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
