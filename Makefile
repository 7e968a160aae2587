# Reparto: `make demo` to try it, `make test` to check it. Only Python 3.11 needs to be on the machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# Public VRP instances with best-known solutions; point elsewhere with `make bench BENCH_DIR=...`.
BENCH_DIR ?= ../shared/benchmarks/vrp
BENCH_TIME_LIMIT ?= 10
BENCH_OBJECTIVE ?= distance

# Development defaults; production sets DJANGO_DEBUG=0 and its own SECRET_KEY (see README).
export DJANGO_DEBUG ?= 1

# Tests that need PostgreSQL or a real broker run only when DATABASE_URL points at a server (CI does both).
SERVICE_TESTS := $(if $(DATABASE_URL),,-m "not postgres and not broker")
# Test processes side by side (pytest-xdist); `make test TEST_WORKERS=0` runs them in one.
TEST_WORKERS ?= 2

.PHONY: install messages migrate demo demo-data plan serve serve-prod backup restore restore-drill load test lint bench bench-vans bench-driver makemessages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	$(VENV)/bin/pybabel -q compile --domain django --directory locale

migrate: install messages
	$(PY) manage.py migrate --verbosity 0

demo-data: migrate
	$(PY) manage.py seed_demo

plan: demo-data
	-$(PY) manage.py plan_day
	$(PY) manage.py check_stock

serve:
	@echo "Reparto on http://$(HOST)/ — sign in as operadora, trabajadora, planificador, conductor1, conductor2,"
	@echo "conductor3, proveedores, gerente or admin; password 'reparto-demo'. Ctrl-C stops it."
	$(PY) manage.py runserver $(HOST) --noreload

demo: plan serve

# The production stack locally: gunicorn + whitenoise, a Celery worker and beat, PostgreSQL and Redis (docs/deploy.md).
serve-prod: install messages
	scripts/serve-prod.sh

# Backups of whichever database DATABASE_URL names (the SQLite file when unset), with the proof-of-delivery files.
backup: install
	$(PY) manage.py backup

# `make restore FILE=var/backups/reparto-….dump` replaces the database with that backup.
restore: install
	$(PY) manage.py restore $(FILE)

# The city load test on PostgreSQL (docs/load.md): seeds reparto_load with 100,000 households once (seed_city),
# serves it with gunicorn under production settings and drives seven pages from a second process.
load: install messages
	$(PY) -m loadtest $(LOAD_ARGS)

# Back up, restore into a fresh database, compare every table and check the restored ledger.
restore-drill: install
	$(PY) manage.py restore_drill

test: install messages
	$(PY) -m pytest -n $(TEST_WORKERS) $(SERVICE_TESTS) $(ARGS)

# What CI enforces: lint rules, formatting, no model change without its migration, and the import contracts in
# pyproject.toml (lint-imports).
lint: install messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

# Our engine against the BKS, stock OR-Tools and PyVRP alone, same time limit; about 6 minutes at 10 s per solve.
bench: install
	$(PY) -m routing.bench $(BENCH_DIR) --time-limit $(BENCH_TIME_LIMIT) --objective $(BENCH_OBJECTIVE) --csv benchmarks/results.csv --baseline --pyvrp
	$(PY) -m routing.bench.city | tee benchmarks/city.txt
	$(if $(DATABASE_URL),DATABASE_URL=$(DATABASE_URL) )$(PY) -m inventory.bench
	$(if $(DATABASE_URL),DATABASE_URL=$(DATABASE_URL) )$(PY) -m requests_intake.bench
	$(if $(DATABASE_URL),DATABASE_URL=$(DATABASE_URL) )$(PY) -m delivery.bench
	$(MAKE) bench-driver

# Fewest vans at 30 s on the VRPTW instances, against the best known van counts (benchmarks/results_vans.md).
bench-vans: install
	$(PY) -m routing.bench $(wildcard $(BENCH_DIR)/[CR]*[0-9].txt) $(wildcard $(BENCH_DIR)/[cr]*_*_*.txt) --time-limit 30 \
		--objective vans --csv benchmarks/results_vans.csv --markdown benchmarks/results_vans.md

# The driver's page on the demo town under Chrome's slow 3G: bytes by kind and first paint (targets 150 KB, 1 s).
# Its own SQLite file and gunicorn; needs /usr/bin/chromium and chromedriver, like the browser tests.
bench-driver: install messages
	$(PY) -m loadtest.driver_page | tee benchmarks/driver_page.txt

makemessages: install
	$(PY) manage.py makemessages --locale es --locale en --locale ca --no-obsolete --ignore ".venv/*"

clean:
	rm -rf $(VENV) var staticfiles
