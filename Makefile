# The two commands a newcomer needs: `make refresh` (build and publish the warehouse) and
# `make test` (the whole test suite); `make check` is the inner loop (under a minute). All create .venv
# from pyproject.toml on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# --compile-bytecode: every module's .pyc written once, at install. uv writes none by default, and an
# environment with PYTHONDONTWRITEBYTECODE=1 (as on this machine) compiles dagster, dbt and GX from source
# in every process: a warm `marketwh refresh` 43 s instead of 30, `import great_expectations` 7.5 s
# instead of 3.3. The project's own packages are compiled beside them (a module edited since is compiled
# again in memory, as Python does with any stale .pyc).
UV_INSTALL := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
# the packages pyproject.toml installs ([tool.setuptools.packages.find])
COMPILE_OWN := $(BIN)/python -m compileall -q marketwh dagster_project expectations >/dev/null

.PHONY: refresh check test browser lint validate ui status site superset superset-export bench bench-extraction docs clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv  # then uv installs the rest (and pins itself)
	$(UV_INSTALL) -e ".[test,lint,bench]"
	@$(COMPILE_OWN)
	@touch $(INSTALLED)

refresh: $(INSTALLED)  ## full refresh through Dagster -> build/warehouse.duckdb (or $$WAREHOUSE_DB)
	$(BIN)/marketwh refresh

# pytest-xdist workers; each test module runs whole on one worker (its module fixtures are built once).
# Four on two cores: the tests wait on processes, servers and locks part of the time, so a fourth worker
# fills that time (clean clone, make test: 17:33 with four, 18:34 with three; every worker ends within
# 90 s of the others, tests/timeline.py)
TEST_WORKERS ?= 4
# The tests' scratch projects (Dagster's SQLite instance, DuckDB files, dbt targets) live in memory when
# /dev/shm has 4 GB free: a refresh there costs ~7 % less CPU and ~15 % less time than on disk, where
# every SQLite commit and DuckDB checkpoint waits for the disk. One folder per checkout and per command;
# removed after a green run, kept (and named) after a red one. TEST_TMP= (empty) uses pytest's default.
TEST_TMP ?= $(shell [ -d /dev/shm ] && [ "$$(df --output=avail -k /dev/shm 2>/dev/null | tail -1)" -gt 4000000 ] 2>/dev/null \
	&& echo /dev/shm/marketwh-tests-$$(id -u)-$$(pwd | cksum | cut -d' ' -f1))
pytest_in = $(if $(TEST_TMP),mkdir -p $(TEST_TMP) && )$(3) $(BIN)/python -m pytest $(if $(TEST_TMP),--basetemp=$(TEST_TMP)/$(1)) $(2) \
	$(if $(TEST_TMP),&& rm -rf $(TEST_TMP)/$(1) || { echo "the failed run's scratch projects are in $(TEST_TMP)/$(1)" >&2; exit 1; })

# The inner loop, and the first stage of .ci/run: ruff, then every test not marked `slow` (tests/unit:
# validators and bad inputs, every dbt unit test on an empty build cached by the dbt sources' digest,
# the Dagster definitions loaded in process) on the xdist workers. No refresh, no full dbt build.
check: $(INSTALLED)  ## under a minute: ruff, unit tests, dbt unit tests, the Dagster definitions loaded
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(call pytest_in,check,-m "not slow" -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -q --durations=10)

test: $(INSTALLED) browser  ## pytest, everything: unit, integration, faults and the environment tests (Spark, Superset, Chromium, ...)
	@mkdir -p build/tests && rm -f build/tests/timeline.jsonl
	$(call pytest_in,test,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25,MARKETWH_TEST_TIMELINE=$(CURDIR)/build/tests/timeline.jsonl)
	@$(BIN)/python -m tests.timeline  # each worker's busy and idle time, the longest modules

# The browser test drives Debian's chromium through chromium-driver: install them when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:  ## Debian chromium + chromium-driver for the browser test (installed once, with apt-get)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		echo "installing Debian's chromium and chromium-driver for the browser test (apt-get)"; \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; } || { \
			echo "cannot install chromium + chromium-driver (apt-get needs root and Debian's package index)." >&2; \
			echo "Install them yourself, or run the rest of the suite: $(BIN)/python -m pytest -m 'not browser'" >&2; exit 1; }; }

lint: $(INSTALLED)  ## ruff (Python) and sqlfluff (dbt SQL), both configured in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DBT_TARGET_PATH=$(CURDIR)/build/lint/target DBT_LOG_PATH=$(CURDIR)/build/lint/logs \
		$(BIN)/sqlfluff lint dbt/models dbt/macros dbt/tests

validate: $(INSTALLED)  ## check seeds and report documents, no build
	$(BIN)/marketwh validate

ui: $(INSTALLED)  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/marketwh ui

site: $(INSTALLED) docs  ## build the report site (build/site/) and serve it on http://127.0.0.1:8000
	$(BIN)/marketwh site --serve

superset: $(INSTALLED)  ## Superset on http://127.0.0.1:8088 (or $$SUPERSET_PORT) with the dashboard in serving/superset/, own venv under build/superset
	$(BIN)/python serving/superset/run.py

superset-export: $(INSTALLED)  ## write the running Superset's dashboard back into serving/superset/ (after editing it in the UI)
	$(BIN)/python serving/superset/run.py export

status: $(INSTALLED)  ## which run and commit built the served file
	$(BIN)/marketwh status

bench: $(INSTALLED)  ## refresh cost at N = 10..10,000 reports (and on Spark at 1,000) -> bench/results.json, results.png, the table in docs/scale.md; then bench-extraction's table
	$(BIN)/python bench/run.py

bench-extraction: $(INSTALLED)  ## marketwh extract on tests/extraction_corpus/: precision and recall per text -> stdout and docs/adding-a-report.md
	$(BIN)/python bench/extraction.py

# The docs' tools (mkdocs-material) go into .venv only when the docs are built.
DOCS_INSTALLED := $(VENV)/.docs-installed
$(DOCS_INSTALLED): $(INSTALLED)
	$(UV_INSTALL) -e ".[docs]"
	@touch $(DOCS_INSTALLED)

docs: $(DOCS_INSTALLED)  ## docs/ as a site, offline, strict (a broken link fails) -> build/docs/index.html
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/docs

clean:  ## remove everything generated (keeps .venv)
	rm -rf build
