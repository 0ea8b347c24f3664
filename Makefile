# Two commands set everything up on a fresh machine with Python 3 and make:
#   make run   - create .venv, install resolis-ld, build dist/ from data/reports/
#   make test  - install the test extra and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The package's bytecode is compiled once, as pip does for a regular install: an editable install
# under PYTHONDONTWRITEBYTECODE (set by some CI images) would compile it at every command (0.3 s).
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q resolis_ld
	touch $@

$(TEST_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q resolis_ld
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/resolis-ld build --input data/reports --out dist

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) dist .pytest_cache .hypothesis
