# Two commands: `make run` (the whole platform with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)/platform:$(CURDIR)

WEB_HOST ?= 127.0.0.1
WEB_PORT ?= 8000
LOCAL_REDIS_PORT ?= 6390

.PHONY: run test lint venv demo clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

# Development defaults for `make run`; any CONFERENCE_* variable set in the environment wins.
run: export CONFERENCE_DEBUG ?= 1
run: export CONFERENCE_EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
run: export CONFERENCE_SITE_URL ?= http://$(WEB_HOST):$(WEB_PORT)
run: export CONFERENCE_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:$(LOCAL_REDIS_PORT)/0)
run: export WEB_HOST WEB_PORT LOCAL_REDIS_PORT
run: venv
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo
	@echo "  Conference platform: http://$(WEB_HOST):$(WEB_PORT)/   (Ctrl-C stops everything)"
	@echo "  Organiser pages:     http://$(WEB_HOST):$(WEB_PORT)/admin/"
	@echo "  Emails are printed below by the console mail backend."
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start $(if $(REDIS_URL),web worker beat,)

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy platform rooms chat streaming

clean:
	rm -rf $(VENV) var
