# Set-up and run targets. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8866

.PHONY: install demo test lint chromium system-packages db seed serve clean i18n axe

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

db: install
	$(BIN)/workbench db upgrade

seed: db
	$(BIN)/workbench demo seed
	$(BIN)/workbench demo council
	$(BIN)/workbench demo associations
	$(BIN)/workbench demo budget

demo: seed
	$(BIN)/workbench demo staff
	$(BIN)/workbench serve --host $(HOST) --port $(PORT)

# The tests' system parts, from Debian's packages: Chromium (browser tests) and HAProxy (the
# deployment's proxy in front of two public instances).
system-packages:
	@missing=""; test -x /usr/bin/chromium || missing="chromium"; \
	test -x /usr/sbin/haproxy || missing="$$missing haproxy"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing: run 'sudo apt-get install -y $$missing'" >&2; exit 1; fi; fi

chromium: system-packages

# axe-core (accessibility rules run by the browser tests), from the npm registry, pinned.
AXE_VERSION := 4.11.4
AXE := build/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE):
	mkdir -p build/axe
	npm install --prefix build/axe --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	test -f $(AXE)

test: seed system-packages axe
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) data/workbench.sqlite* reports/*

# Refresh the French catalogue after adding messages: fill the new msgstr, then run it again.
i18n: install
	mkdir -p build
	$(BIN)/pybabel extract -k _ -k ngettext:1,2 --no-location -o build/workbench.pot src/workbench
	$(BIN)/pybabel update -i build/workbench.pot -d src/workbench/locale -D workbench --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d src/workbench/locale -D "workbench click"
