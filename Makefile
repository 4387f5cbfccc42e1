# Two commands for a newcomer: `make start` (install and open the course) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: start test install install-test benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -e .

install-test: $(BIN)/python
	$(BIN)/pip install -e ".[test]"

# Install the kit, then open JupyterLab on the learner notebooks (SQLite gradebook by default).
start: install
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/course start

# Install the kit with its test tools, then run every test (browser tests install Debian's chromium).
test: install-test
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -n 2

benchmark: install-test
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/modules.py
