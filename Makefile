# Two commands on a fresh machine (README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test lint typecheck bench fuzz fuzz-install clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e .
	$(BIN)/python -m compileall -q ipclaims
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'
	$(BIN)/python -m compileall -q ipclaims
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Letters need Pango and fonts (WeasyPrint). Installed here when we can (root with apt); otherwise the one command is
# printed and the server still starts: a letter that cannot be rendered answers 503 saying why.
LETTER_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-packages:
	@missing=$$(for p in $(LETTER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done 2>/dev/null); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing system packages for letters: $$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	    || echo "Could not install $$missing; letters will answer 503 until they are installed"; \
	else \
	  echo "Letters need system packages; run:  sudo apt-get install -y $$missing  (the server starts without them)"; \
	fi

run: install system-packages
	$(BIN)/ipclaims migrate
	$(BIN)/ipclaims demo
	@echo "Serving on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/docs)"
	$(BIN)/ipclaims serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install-test
	$(BIN)/ruff check ipclaims tests bench
	$(BIN)/ruff format --check ipclaims tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install-test
	$(UV) pip install --quiet --python $(BIN)/python -e '.[test,bench]'
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/match_speed.py
	$(BIN)/python bench/match_quality.py

# A bounded schemathesis run (tests/fuzz/run.py): a served instance, a rights holder's and a specialist's key; fails on
# any 5xx or response that contradicts the OpenAPI document. SQLite by default; FUZZ_DATABASE_URL=postgresql+psycopg://…
# runs it on that PostgreSQL database, which is wiped first. FUZZ_MAX_EXAMPLES bounds the cases per operation.
fuzz: fuzz-install
	$(BIN)/python -m tests.fuzz.run

fuzz-install: install-test
	$(UV) pip install --quiet --python $(BIN)/python -e '.[test,fuzz]'

clean:
	rm -rf $(VENV) ipclaims.db ipclaims.db-wal ipclaims.db-shm ipclaims.db.writer-lock data .pytest_cache .mypy_cache .ruff_cache .hypothesis .schemathesis
