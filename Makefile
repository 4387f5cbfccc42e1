# Two commands for a newcomer: `make start` (install and open the course) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# Debian packages the tests use: Chromium for the browser tests, bubblewrap for the grading sandbox.
SYSTEM_PACKAGES = chromium bubblewrap

# pip runs only when something changed: a stamp file per install, older than pyproject.toml when the
# dependencies changed, gone with the venv. Force a reinstall with `make -B install`.
INSTALLED      = $(VENV)/.installed
INSTALLED_TEST = $(VENV)/.installed-test

.PHONY: start test test-unit install install-test system-tools benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	@touch $@

$(INSTALLED_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e ".[test]"
	@touch $@ $(INSTALLED)

install: $(INSTALLED)

install-test: $(INSTALLED_TEST)

# As root on Debian/Ubuntu, install what is missing; elsewhere say what the tests will skip.
system-tools:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages:$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null \
		|| { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	else \
		echo "NOTE: not installed:$$missing (needs root and apt-get). Browser tests and sandbox checks that need them will be skipped, loudly."; \
	fi

# Install the kit and open JupyterLab on the learner notebooks (SQLite gradebook by default).
# `make start PORT=8899` picks the port (default: 8888, or the next free one).
start: install
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/course start $(if $(PORT),--port $(PORT))

# Install the kit with its test tools, then run every test.
test: install-test system-tools
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -n 2

# The quick layer: pure unit tests only (no nbgrader, kernel, judge process, browser or hub; the guard in
# tests/fixtures/layers.py fails a test that does one of those without the `slow` mark).
test-unit: install-test
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -n 2 -m "not slow"

benchmark: install-test
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/modules.py
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/grading.py
