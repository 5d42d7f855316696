# Two commands: `make run` and `make test`. Both build the virtual environment first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-dev migrate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"

migrate: install
	$(BIN)/python -m bot migrate

run: migrate
	$(BIN)/python -m bot

# The layer contract ([tool.importlinter]) and the linter's rules ([tool.ruff]) are in pyproject.toml;
# `make test` checks both before it runs the tests.
lint: install-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Four workers on two cores: many tests wait on PostgreSQL, a subprocess or a fake Telegram (268 s with
# three workers, 231 s with four, on a quiet 2-core machine). Then the tests that make a load of their own
# (marked `alone`: the 17:00 rush), with the machine to themselves.
test: lint
	$(BIN)/python -m pytest -q -n 4 --dist loadfile -m "not alone"
	$(BIN)/python -m pytest -q -m alone

# Speed goals are measured here, not in timed tests; each script prints its figures.
bench: install-dev
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_grades.py
	$(BIN)/python bench/bench_marks.py
	$(BIN)/python bench/bench_delivery.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_rush.py
	$(BIN)/python bench/bench_reports_docs.py

clean:
	rm -rf $(VENV) data/console-demo.db
