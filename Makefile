# Two commands: `make run` (the whole platform with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)/platform:$(CURDIR)

.PHONY: run test test-deps lint venv bench clean stream-url

# Quiet: one line, then only what needs attention (pip's errors).
PIP := $(BIN)/python -m pip -qq --disable-pip-version-check --no-input
$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	@echo "Installing the pinned requirements into $(VENV)/ (the first time takes a few minutes)…"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --progress-bar off --upgrade pip
	@$(PIP) install --progress-bar off -r requirements-dev.txt
	@touch $@

venv: $(BIN)/.installed

# The real OpenID Connect provider the single sign-on tests start (npm oidc-provider, run with node).
OIDC := tests/fixtures/oidc
$(OIDC)/node_modules/.installed: $(OIDC)/package.json $(OIDC)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund --prefix $(OIDC) && touch $@; \
	else echo "npm not found: the single sign-on tests will be skipped (apt-get install nodejs npm)"; fi

test-deps: venv $(OIDC)/node_modules/.installed

run: venv
	@VENV=$(VENV) bin/run-local

# The RTMP URL (with its key) of the demo's live session, on the port `make run` is using:
#   URL=$$(make -s stream-url)
stream-url: venv
	@set -a; if [ -f var/run-local.env ]; then . var/run-local.env; fi; set +a; \
	  CONFERENCE_DEBUG=$${CONFERENCE_DEBUG:-1} $(BIN)/python manage.py stream_demo

test: lint test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy platform rooms chat streaming matchmaking captions
	$(BIN)/lint-imports --no-cache  # the import layers of docs/architecture.md

# A short fan-out benchmark (under 2 minutes): hub and baseline in the same run.
bench: venv
	mkdir -p bench/results
	$(BIN)/python bench/fanout.py --sizes 200,400 --duration 6 --output bench/results/fanout.json

clean:
	rm -rf $(VENV) var $(OIDC)/node_modules
