# Two commands matter: `make run` and `make test`. Both work from a fresh clone with only
# Python 3.11 (with its venv module: `python3-venv` on Debian/Ubuntu) and make: they build
# .venv with the stdlib venv and pip first, at the versions CI tested (constraints.txt).
PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
# Two stamps: what running needs (make run, demo, wheel), and that plus the test and lint
# tools and the PostgreSQL driver (make test, lint, bench).
RUNTIME := $(VENV)/.runtime
DEV := $(VENV)/.dev

.PHONY: run test lint clean demo bench wheel constraints

# Before the first build, say in one line what a fresh machine lacks (Debian and Ubuntu ship
# Python without its venv module).
ifeq ($(wildcard $(RUNTIME)),)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),run)),)
ifeq ($(PY),)
$(error no python3.11 or python3 found; install Python 3.11)
endif
ifneq ($(shell $(PY) -c 'import ensurepip, venv' 2>/dev/null && echo ok),ok)
$(error Python's venv module is missing; on Debian/Ubuntu: sudo apt install python3-venv)
endif
endif
endif

$(RUNTIME): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP) -e .
	@touch $(RUNTIME)

$(DEV): $(RUNTIME)
	$(PIP) -e '.[dev,postgres]'
	@touch $(DEV)

run: $(RUNTIME)
	$(BIN)/deskconsole

test: $(DEV)
	$(BIN)/python -m pytest -n auto --dist loadfile -q

# The console on a throwaway 30-day demo database (operators 001 / PIN 135790, 101 / PIN 2468),
# deleted when the console quits.
demo: $(RUNTIME)
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	  DESKCONSOLE_HOME="$$dir" $(BIN)/deskconsole demo --days 30 && \
	  DESKCONSOLE_HOME="$$dir" $(BIN)/deskconsole

# Performance on an empty store, one busy day and 1, 2 and 5 busy years: prints a table, writes bench/RESULTS.md. The demo
# databases are cached in bench/.cache/ (the first run builds them: several minutes).
bench: $(RUNTIME)
	$(BIN)/python -m bench

# The wheel a lobby PC installs (`pipx install dist/deskconsole-*.whl`), built from scratch:
# a left-over build/ could carry files that no longer exist.
wheel: $(RUNTIME)
	rm -rf build dist
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .

lint: $(DEV)
	$(BIN)/ruff check deskconsole tests bench

# After changing a dependency in pyproject.toml: install it, test, then pin what was tested.
constraints: $(DEV)
	{ sed -n '1,3p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.tmp
	mv constraints.tmp constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
