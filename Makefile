# potenzial – two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TEST_DB ?= potenzial_test
export POTENZIAL_REQUIRE_POSTGIS := 1
export POTENZIAL_TEST_DB ?= postgresql://postgres@127.0.0.1:5432/$(TEST_DB)

.PHONY: demo test test-fast lint venv web system db bench bench-first-request bench-scenarios test-scenarios-exact bench-mastr reliability bench-scale bench-roof-tiles clean help

help:
	@echo "make demo   – install, run the default region into the embedded store, serve http://127.0.0.1:8000"
	@echo "make test   – install (incl. PostGIS, Chromium), start PostgreSQL, lint, run the whole test suite"
	@echo "make lint   – ruff, mypy, import contracts and the architecture test"
	@echo "make test-fast – the unit tests: no PostGIS, no browser, no whole-region run"
	@echo "make mutation – mutation score of the kernels, the publish path and the error mapping (slow)"
	@echo "make test-county – region create + demo run + serve of a whole other county (Nordsachsen; minutes)"
	@echo "make bench  – time and peak memory of 'potenzial run' on the default region"
	@echo "make bench-scale – wall, CPU and peak memory per step on synthetic regions of 1× and 4× the county"
	@echo "make bench-roof-tiles – build time and size of the z10 roof tiles on PostGIS and the embedded store"
	@echo "make bench-first-request – first tile, GeoPackage and fact sheet right after 'potenzial run' publishes"
	@echo "make bench-mastr – time and peak memory of reading synthetic MaStR exports of 50,000 and 200,000 solar units"
	@echo "make reliability – 50 clients x 60 s x 3 against serve --workers 2, random kill times, PostgreSQL stopped under load (loads the machine)"

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

# two workers (pytest-xdist), a test file per worker at a time: its module fixtures are computed once;
# each worker has its own test database (…_gw0, …_gw1), both share the session's whole-region run
TEST_WORKERS ?= 2
test: venv web db
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

test-fast: venv
	$(PY) -m pytest -q -p no:cacheprovider -m "not postgis and not slow"

# A whole other county: `region create --county 14730`, `potenzial run` of its 30 municipalities
# into an embedded store, the API serving them. Skipped by `make test` (tests/test_region_create.py).
.PHONY: test-county
test-county: venv
	POTENZIAL_COUNTY_RUN=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_region_create.py -k whole_region

bench: venv web system
	scripts/ensure-testdb.sh potenzial_bench --fresh
	$(PY) bench/bench_run.py --postgis postgresql://postgres@127.0.0.1:5432/potenzial_bench

# The first request of a raster tile, a GeoPackage and a fact sheet right after `potenzial run`
# publishes (a fresh embedded store; port 8150). Not run by `make test`.
bench-first-request: venv web
	$(PY) bench/bench_first_request.py

# Scenarios: the fast path against the exclusion engine evaluated again on the whole default region (minutes)
test-scenarios-exact: venv web
	POTENZIAL_SCENARIOS_EXACT=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_scenarios_region.py

# POST /api/scenarios/evaluate, >= 200 random scenarios: p50/p99 (STORE=… for an existing run)
bench-scenarios: venv web
	$(PY) bench/bench_scenarios.py $(if $(STORE),--store $(STORE))

# Reading a MaStR bulk export: synthetic exports of 50,000 and 200,000 solar units, each read in a fresh
# process (wall time, peak RSS; bench/results/mastr_import.json). Not run by `make test`.
bench-mastr: venv
	$(PY) bench/bench_mastr_import.py --units 50000 200000

# Load (bench/bench_load.py, port 8241) and random kill times on both stores: not in `make test`.
reliability: venv web db
	$(PY) -m pytest -q -p no:cacheprovider -s -m reliability tests/test_load.py tests/test_publish_hazards.py tests/test_outage.py

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
