# Greenlight: `make run` serves the app with demo data, `make test` runs lint and the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install migrate demo clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Greenlight needs Python 3.11+") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

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

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
