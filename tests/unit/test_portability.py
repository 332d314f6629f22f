"""Lobby PCs run Windows as often as Linux: nothing in the package may call what exists on
POSIX only (fork, POSIX signals, fcntl, pwd, uids, ...) or run a shell command, except in
deskconsole/oscompat.py, whose functions guard every such call."""

from __future__ import annotations

import ast
from pathlib import Path

import deskconsole

PACKAGE = Path(deskconsole.__file__).parent
GUARDED = PACKAGE / "oscompat.py"
POSIX_MODULES = {"fcntl", "pwd", "grp", "resource", "termios", "tty", "pty", "posix", "syslog",
                 "crypt", "spwd", "nis", "readline"}
POSIX_ATTRS = {
    "os": {"fork", "forkpty", "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid",
           "setsid", "setpgrp", "getpgid", "killpg", "kill", "chown", "lchown", "getppid",
           "sync", "mkfifo", "nice", "wait", "waitpid", "uname", "getloadavg", "system",
           "O_NONBLOCK", "O_DIRECTORY"},
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD",
               "SIGPIPE", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGWINCH", "alarm", "pause",
               "setitimer", "pthread_kill", "pthread_sigmask", "siginterrupt"},
}
START_METHODS = {"get_context", "set_start_method"}


def _findings(source: str, where: str) -> list[str]:
    tree = ast.parse(source, filename=where)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in POSIX_MODULES:
                found.append(f"{where}:{node.lineno}: from {node.module} import")
            for alias in node.names:
                if alias.name in POSIX_ATTRS.get(node.module, ()):
                    found.append(f"{where}:{node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_ATTRS.get(node.value.id, ()):
                found.append(f"{where}:{node.lineno}: {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in START_METHODS and any(isinstance(a, ast.Constant) and a.value == "fork"
                                             for a in node.args):
                found.append(f"{where}:{node.lineno}: {name}('fork')")
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                   for k in node.keywords):
                found.append(f"{where}:{node.lineno}: a shell command")
    return found


def test_no_posix_only_call_outside_the_guarded_helper():
    found = [f for path in sorted(PACKAGE.rglob("*.py")) if path != GUARDED
             for f in _findings(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))]
    assert found == [], "POSIX-only calls (move them into deskconsole/oscompat.py):\n" + "\n".join(found)


def test_the_scan_catches_what_it_looks_for():
    text = ("import os, signal, fcntl\nimport multiprocessing as mp\n"
            "os.fork()\nsignal.SIGKILL\nmp.get_context('fork')\nos.getuid()\n"
            "subprocess.run('ls', shell=True)\n")
    assert len(_findings(text, "probe.py")) == 6
