# The two commands a newcomer needs: `make refresh` (build and publish the warehouse) and
# `make test` (the whole test suite). Both create .venv from pyproject.toml on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: refresh test lint validate ui status bench clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,lint,bench]"
	@touch $(INSTALLED)

refresh: $(INSTALLED)  ## full refresh through Dagster -> build/warehouse.duckdb (or $$WAREHOUSE_DB)
	$(BIN)/marketwh refresh

test: $(INSTALLED)  ## pytest: validators, dbt build + unit tests, Dagster refresh end to end
	$(BIN)/python -m pytest

lint: $(INSTALLED)  ## ruff (Python) and sqlfluff (dbt SQL), both configured in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DBT_TARGET_PATH=$(CURDIR)/build/lint/target DBT_LOG_PATH=$(CURDIR)/build/lint/logs \
		$(BIN)/sqlfluff lint dbt/models dbt/macros dbt/tests

validate: $(INSTALLED)  ## check seeds and report documents, no build
	$(BIN)/marketwh validate

ui: $(INSTALLED)  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/marketwh ui

status: $(INSTALLED)  ## which run and commit built the served file
	$(BIN)/marketwh status

bench: $(INSTALLED)  ## refresh cost at N = 10..10,000 reports -> bench/results.json, results.png, README table
	$(BIN)/python bench/run.py

clean:  ## remove everything generated (keeps .venv)
	rm -rf build
