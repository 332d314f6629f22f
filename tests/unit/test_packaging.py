"""Packaging hygiene: one version source (the project metadata), an SPDX license and
classifiers; `make run` installs only what running needs, `make test` / `make lint` add the
tools; both install the versions CI tested (constraints.txt); a machine without Python's venv
module is told so in one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

import deskconsole

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    return {_name(line): line.split("==", 1)[1] for line in lines if "==" in line}


def test_the_version_has_one_source_the_project_metadata():
    assert deskconsole.__version__ == version("deskconsole") == PYPROJECT["project"]["version"]
    source = (ROOT / "deskconsole" / "__init__.py").read_text(encoding="utf-8")
    assert not re.search(r"\d+\.\d+\.\d+", source), "a version literal besides pyproject.toml"


def test_the_project_declares_an_spdx_license_and_classifiers():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # PEP 639: SPDX only
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert "Natural Language :: Chinese (Simplified)" in project["classifiers"]


def test_every_dependency_is_pinned_to_the_version_tests_run_with():
    project = PYPROJECT["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for group in project["optional-dependencies"].values() for r in group}
    pins = _pins()
    assert sorted(wanted - set(pins)) == []
    assert {n: pins[n] for n in sorted(wanted)} == {n: version(n) for n in sorted(wanted)}


def _recipe(makefile: str, target: str) -> tuple[str, str]:
    match = re.search(rf"^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", makefile, re.M)
    assert match, target
    return match[1].strip(), match[2]


def test_make_run_installs_only_the_runtime_and_test_adds_the_tools_at_the_tested_versions():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert _recipe(makefile, "run")[0] == "$(RUNTIME)"
    assert _recipe(makefile, "test")[0] == _recipe(makefile, "lint")[0] == "$(DEV)"
    runtime, dev = _recipe(makefile, "$(RUNTIME)")[1], _recipe(makefile, "$(DEV)")[1]
    assert "$(PIP) -e .\n" in runtime and "[dev" not in runtime
    assert "$(PIP) -e '.[dev,postgres]'" in dev
    assert re.search(r"^PIP := .*-c constraints\.txt$", makefile, re.M)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_without_the_venv_module_says_so_in_one_line(tmp_path):
    python = tmp_path / "python3"
    python.write_text("#!/bin/sh\nexit 1\n")  # a Python whose `import ensurepip, venv` fails
    python.chmod(0o755)
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "--no-print-directory", f"PY={python}", f"VENV={venv}", "run"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    said = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode != 0 and len(said) == 1 and "python3-venv" in said[0], said
    assert not venv.exists()
