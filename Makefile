# Back Office Academy — developer commands. `make run` and `make test` are the quick start.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask
PORT ?= 5000
WORKERS ?= 2
# Test processes for `make test` (pytest-xdist); TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= 2

.PHONY: run serve setup install install-dev test test-sqlite test-postgres lint format bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# `make run` installs what the app needs to run; the test and lint tools come with
# `make test` (and the other developer targets) on top.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

setup: install
	$(FLASK) db upgrade
	$(FLASK) content import
	$(FLASK) seed demo

run: setup
	@$(FLASK) seed logins
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/gunicorn -c python:lms.serving --workers $(WORKERS) \
		--bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

serve: install
	$(BIN)/gunicorn -c python:lms.serving --workers $(WORKERS) \
		--bind 127.0.0.1:$(PORT) wsgi:app

lint: install-dev
	$(BIN)/ruff check lms tests tools wsgi.py
	$(BIN)/ruff format --check lms tests tools wsgi.py
	$(BIN)/bandit -q -r lms -lll

format: install-dev
	$(BIN)/ruff format lms tests tools wsgi.py
	$(BIN)/ruff check --fix lms tests tools wsgi.py

# The whole suite on SQLite, then again on a throwaway PostgreSQL when one is installed
# (LMS_REQUIRE_PG=1 turns "not installed" into a failure, as CI does).
test: install-dev lint test-sqlite test-postgres

test-sqlite: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS)

test-postgres: install-dev
	@if $(BIN)/python -c "import sys; from tests import pgcluster; sys.exit(0 if pgcluster.available() else 1)"; then \
		LMS_TEST_DB=postgresql $(BIN)/pytest -n $(TEST_WORKERS) -m "not e2e"; \
	elif [ "$$LMS_REQUIRE_PG" = "1" ]; then \
		echo "PostgreSQL is required (LMS_REQUIRE_PG=1) but initdb was not found"; exit 1; \
	else \
		echo "PostgreSQL not installed: skipping the PostgreSQL run"; \
	fi

bench: install-dev
	$(BIN)/python -m tests.perf.run_all

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
