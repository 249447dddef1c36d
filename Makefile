# Quickstart on a machine with only python3:  make run  |  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/kg build seeds --out outputs

# the quality gate first, so that pytest's summary closes the output
test: setup
	$(BIN)/kg eval tests/data/gold/*.json tests/data/dev/*.json --docs seeds --docs tests/data/dev --min-f1 $(EVAL_MIN_F1)
	$(BIN)/python -m pytest

# The quality gate: every category's F1 on seeds + dev must stay at or above this.
EVAL_MIN_F1 ?= 0.95

eval: setup
	$(BIN)/kg eval tests/data/gold/*.json tests/data/dev/*.json --docs seeds --docs tests/data/dev

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) outputs/graph.* outputs/store
