# Two commands matter: `make run` and `make test`. Both work from a fresh clone with only
# Python 3.11 and make: they build .venv with the stdlib venv and pip first.
PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean demo bench wheel

$(STAMP): pyproject.toml
	@test -n "$(PY)" || { echo "make: no python3.11 or python3 found; install Python 3.11"; exit 2; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/deskconsole

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -q

# The console on a throwaway 30-day demo database (operators 001 / PIN 135790, 101 / PIN 2468),
# deleted when the console quits.
demo: $(STAMP)
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	  DESKCONSOLE_HOME="$$dir" $(BIN)/deskconsole demo --days 30 && \
	  DESKCONSOLE_HOME="$$dir" $(BIN)/deskconsole

# Performance at 0, 1, 2 and 5 busy years: prints a table, writes bench/RESULTS.md. The demo
# databases are cached in bench/.cache/ (the first run builds them: several minutes).
bench: $(STAMP)
	$(BIN)/python -m bench

# The wheel a lobby PC installs (`pipx install dist/deskconsole-*.whl`), built from scratch:
# a left-over build/ could carry files that no longer exist.
wheel: $(STAMP)
	rm -rf build dist
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .

lint: $(STAMP)
	$(BIN)/ruff check deskconsole tests bench

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
