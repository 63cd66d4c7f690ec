# Greenlight: `make run` serves the app with demo data, `make test` runs lint and the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test smoke lint format install lock migrate demo clean totp loadtest

# Every dependency, transitive ones included, comes from the hashed lock in requirements/;
# pyproject.toml only names the direct pins. `make lock` regenerates the lock from it.
LOCK := requirements/base.txt requirements/dev.txt
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" --quiet $(LOCK_FLAGS)

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit("Greenlight needs Python 3.11+") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# LOCK_FLAGS=--upgrade also moves transitive dependencies to their newest allowed versions.
lock: install
	$(UV_COMPILE) -o requirements/base.txt
	$(UV_COMPILE) --extra dev -o requirements/dev.txt

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The demo clinician's and admin's current two-factor code (their key is public, like the password).
totp: install
	@$(PY) manage.py demo_totp

# Links in emails (invitations, reminders) lead to the server that `make run` starts.
run: export SITE_URL ?= http://$(HOST):$(PORT)

# The reminder worker (with its embedded scheduler) runs next to the web server and stops with it.
run: demo
	@mkdir -p var
	@echo "Greenlight at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(VENV)/bin/celery -A config worker --beat -Q celery,scheduler --loglevel INFO --concurrency 1 \
		--schedule var/celerybeat-schedule --without-mingle --without-gossip & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy apps config

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest
	$(MAKE) smoke

# The production smoke test: a fresh virtualenv with the project installed non-editable from the
# lock, as the Docker image has it; production settings, gunicorn and a Celery worker, every page.
SMOKE_VENV ?= var/smoke/venv
smoke: install
	rm -rf $(SMOKE_VENV) build
	$(PYTHON) -m venv $(SMOKE_VENV)
	$(SMOKE_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/base.txt
	$(SMOKE_VENV)/bin/python -m pip install --quiet --no-deps .
	SMOKE_PYTHON=$(SMOKE_VENV)/bin/python $(PY) -m pytest -m smoke tests/smoke -p no:cacheprovider -s

# The load test (not part of `make test`): gunicorn with production settings on PostgreSQL,
# Locust headless, a workout-logging mix then a clinician-reading mix. It drops and recreates
# LOADTEST_DATABASE_URL (default gl_load); settings in README, Benchmarks.
loadtest: install
	$(PY) loadtest/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
