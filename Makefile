# make site: create .venv, install pinned dependencies, build site/ from dossiers/
# make test: install the test extras (and the npm checkers when npm is present), run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := .tools
WHEELHOUSE := .wheelhouse
PIP    := $(BIN)/python -m pip install -q --disable-pip-version-check

.PHONY: site test check stats schema bench clean

site: $(VENV)/.site-installed
	$(BIN)/python build.py

check: $(VENV)/.site-installed
	$(BIN)/python build.py check --strict

stats: $(VENV)/.site-installed
	$(BIN)/python build.py stats

schema: $(VENV)/.site-installed
	$(BIN)/python build.py schema --settings-doc docs/settings.md

test: $(VENV)/.test-installed $(WHEELHOUSE)/.filled web-tools
	$(BIN)/python -m pytest

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

$(VENV)/.bench-installed: requirements-bench.lock $(VENV)/.test-installed
	$(PIP) -r requirements-bench.lock
	touch $@

$(VENV)/.site-installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.lock
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-installed: requirements-test.lock $(VENV)/.site-installed
	$(PIP) -r requirements-test.lock
	touch $@

# The runtime lock's wheels, fetched once: tests/test_wheel.py installs the built wheel into a
# fresh virtual environment from here, --no-index, so that test needs no network.
$(WHEELHOUSE)/.filled: requirements.lock
	$(BIN)/python -m pip download -q --disable-pip-version-check --only-binary=:all: -d $(WHEELHOUSE) -r requirements.lock
	touch $@

# axe-core and the Nu Html Checker for the reader-side tests; skipped (and
# those tests skip) where npm is missing. Never calls apt.
.PHONY: web-tools
web-tools:
	@if [ -f $(TOOLS)/node_modules/axe-core/axe.min.js ] && [ -f $(TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(TOOLS) && npm install --prefix $(TOOLS) --no-save --no-audit --no-fund --ignore-scripts \
	    --loglevel=error axe-core@4.14.1 vnu-jar@26.9.27 || echo "npm install failed: axe/vnu tests will skip"; \
	else echo "npm not found: axe-core and vnu tests will skip"; fi

clean:
	rm -rf site .pytest_cache .hypothesis benchmarks/work build dist $(WHEELHOUSE)
