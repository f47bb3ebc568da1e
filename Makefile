# Woonoverlast: `make run` starts the app on its defaults, `make test` runs every test.
# Both create .venv and install what they need first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format migrate demo worker clean bench screenshots stack-test restore-drill \
	mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(APP_STAMP)

migrate: $(APP_STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo_laden

run: demo
	@echo ""
	@echo "Woonoverlast draait op http://127.0.0.1:8000/ (stoppen met Ctrl+C)."
	@echo "Log in met een van de gebruikers hierboven."
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

# Refresh the README's screenshots in docs/screenshots/ (needs Chromium: see README). The test
# of the published table is selected too: it makes pytest-django create the test database.
screenshots: $(DEV_STAMP)
	WOONOVERLAST_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -n0 tests/browser \
		-k "screenshots or published_table"

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Development: a worker with the beat scheduler against CELERY_BROKER_URL.
worker: $(APP_STAMP)
	$(BIN)/celery -A woonoverlast worker -B --loglevel=info

# The benchmark (docs/performance.md) on its own database, from nothing: creates and migrates
# woonoverlast_bench (BENCH_DATABASE_URL), generates N cases (replacing earlier benchmark
# data), then measures. Needs PostgreSQL; the load test runs Locust (the `bench` extra).
# N=1000000 make bench for the full size; BENCH_ARGS="--skip-load" leaves out the load tests
# (the working day, bench/locustfile.py, and the throughput mix, bench/locustfile_mix.py, each
# with PASS/FAIL per target); BENCH_ARGS="--only mix --profile mix.txt" runs the mix alone and
# profiles the workers (py-spy); IMPORT_ROWS=0 leaves out the import (100,000 rows by default:
# about a minute in bulk).
N ?= 100000
IMPORT_ROWS ?= 100000
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@ $(APP_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.generate --cases $(N) --replace
	$(BIN)/python -m bench.run --import-rows $(IMPORT_ROWS) --json bench-results-$(N).json $(BENCH_ARGS)

# Mutation testing of the core rules (mutation/modules.toml: each module with its own test
# files; docs/testing.md): prints every surviving mutant and the score per module. Slow (an
# hour or more for all modules on two cores): MODULES="reports/tabel51.py" runs one. On
# PostgreSQL (DATABASE_URL) the test database is made once and kept, much faster than SQLite.
MODULES ?=
MUTATION_STAMP := $(VENV)/.installed-mutation
$(MUTATION_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,mutation]"
	touch $@ $(APP_STAMP) $(DEV_STAMP)

mutation: $(MUTATION_STAMP)
	$(BIN)/python mutation/run.py $(MODULES)

# The whole production stack on this machine with faults (deploy/stack_test.py; docs/deployment.md):
# nginx, two gunicorn instances, a PostgreSQL primary and streaming replica of its own (ports
# 5434/5435), Redis, a Celery worker and beat. Installs nginx when missing (as root).
stack-test: $(DEV_STAMP)
	$(BIN)/python deploy/stack_test.py

# Restore drill on DATABASE_URL: dump, restore into a new database, compare every Tabel 5.1
# and the audit log, drop the copy (deploy/restore_drill.py).
restore-drill: $(APP_STAMP)
	$(BIN)/python deploy/restore_drill.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
