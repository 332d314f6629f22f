# Two commands matter: `make run` and `make test`. Both work from a fresh clone with only
# Python 3.11 and make: they build .venv with the stdlib venv and pip first.
PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean

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

lint: $(STAMP)
	$(BIN)/ruff check deskconsole tests bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
