# Harapan: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
FAMILIES ?= 60000
BENCH_FAMILIES ?= 100000

.PHONY: run test venv lint typecheck bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e ".[test]"
	touch $@

venv: $(VENV)/.installed

## make run: migrate an SQLite database, load the demo district (families, kelompok, this year's meetings held
## up to today with attendance, flags and products; the programme year: verification and sanctions, the tahap paid,
## dana sharing, graduations, complaints, referrals, training), print the demo logins, serve on :8000
run: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo --families $(FAMILIES) --if-empty
	$(PY) manage.py form_groups --user operator --kabupaten 35.11 --valid-from $$(date +%Y)-01-01
	$(PY) manage.py plan_meetings --user operator --kabupaten 35.11 --year $$(date +%Y)
	$(PY) manage.py seed_field_year --user operator --kabupaten 35.11 --if-empty
	$(PY) manage.py seed_programme_year --user operator --kabupaten 35.11 --if-empty
	$(PY) manage.py refresh_figures --region 35.11
	@echo "Task worker (imports) starts in the background; web on http://$(HOST):$(PORT)/"
	$(PY) manage.py db_worker >var/worker.log 2>&1 & echo $$! > var/worker.pid; \
	trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## make test: lint, type-check, then the whole suite on SQLite and on a private PostgreSQL
test: $(VENV)/.test-installed
	scripts/install-system-deps.sh
	$(MAKE) lint typecheck
	scripts/run-tests.sh

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check harapan bench
	$(VENV)/bin/ruff format --check harapan bench

typecheck: $(VENV)/.test-installed
	$(VENV)/bin/mypy harapan bench

## make bench: the benchmarks of bench/ on SQLite and on a private PostgreSQL (FAMILIES=100000)
bench: $(VENV)/.test-installed
	FAMILIES=$(BENCH_FAMILIES) scripts/bench.sh

clean:
	rm -rf var/harapan.sqlite3* var/media var/static
