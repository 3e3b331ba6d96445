# potenzial – two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TEST_DB ?= potenzial_test
export POTENZIAL_REQUIRE_POSTGIS := 1
export POTENZIAL_TEST_DB ?= postgresql://postgres@127.0.0.1:5432/$(TEST_DB)

.PHONY: demo test test-fast lint venv web system db bench bench-first-request bench-scale bench-roof-tiles clean help

help:
	@echo "make demo   – install, run the default region into the embedded store, serve http://127.0.0.1:8000"
	@echo "make test   – install (incl. PostGIS, Chromium), start PostgreSQL, lint, run the whole test suite"
	@echo "make lint   – ruff, mypy, import contracts and the architecture test"
	@echo "make test-fast – the unit tests: no PostGIS, no browser, no whole-region run"
	@echo "make mutation – mutation score of the kernels, the publish path and the error mapping (slow)"
	@echo "make bench  – time and peak memory of 'potenzial run' on the default region"
	@echo "make bench-scale – wall, CPU and peak memory per step on synthetic regions of 1× and 4× the county"
	@echo "make bench-roof-tiles – build time and size of the z10 roof tiles on PostGIS and the embedded store"
	@echo "make bench-first-request – first tile, GeoPackage and fact sheet right after 'potenzial run' publishes"

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

web: web/node_modules/.installed
web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --silent
	touch $@

system:
	scripts/ensure-system.sh

db: system
	scripts/ensure-testdb.sh $(TEST_DB)

demo: venv web
	$(VENV)/bin/potenzial demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -p no:cacheprovider tests/test_architecture.py

test: venv web db
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: venv
	$(PY) -m pytest -q -p no:cacheprovider -m "not postgis and not slow"

bench: venv web system
	scripts/ensure-testdb.sh potenzial_bench --fresh
	$(PY) bench/bench_run.py --postgis postgresql://postgres@127.0.0.1:5432/potenzial_bench

# The first request of a raster tile, a GeoPackage and a fact sheet right after `potenzial run`
# publishes (a fresh embedded store; port 8150). Not run by `make test`.
bench-first-request: venv web
	$(PY) bench/bench_first_request.py

bench-scale: venv
	$(PY) bench/bench_scale.py --scales 1 4

bench-roof-tiles: venv system
	scripts/ensure-testdb.sh potenzial_bench --fresh
	$(PY) bench/bench_roof_tiles.py --postgis postgresql://postgres@127.0.0.1:5432/potenzial_bench

# Mutation testing of the targets listed in scripts/mutation_score.py, with the tests of
# [tool.mutmut] in pyproject.toml (a fresh mutants/ folder; 37 min on 2 busy cores). Not run by `make test`.
.PHONY: mutation
mutation: venv web db
	$(PY) scripts/mutation_score.py --run

clean:
	rm -rf $(VENV) web/node_modules data test-artifacts; find raster_cache -mindepth 1 ! -name .gitkeep -delete
