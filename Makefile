# Every entry point of the project. `make serve` and `make test` do all the set-up they need.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PORT  ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build test verify bench clean browser-deps corpus-update

$(VENV)/.installed: requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

serve: setup
	$(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:$(PORT)

build: setup
	$(VENV)/bin/mkdocs build --strict

test: setup browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

verify: setup
	$(PY) -m tools.verify

# Regenerate the corpus' expected findings and the report schema's facts part, for review with git diff.
corpus-update: setup
	$(PY) -m tools.corpus_update

bench: setup
	$(PY) -m tools.bench $(BENCH)

clean:
	rm -rf site .pytest_cache
