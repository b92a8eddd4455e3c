# make site: create .venv, install pinned dependencies, build site/ from dossiers/
# make test: install the test extras (and the npm checkers when npm is present, and the runtime
#            wheels for the offline pre-commit test), run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := .tools
PIP    := $(BIN)/python -m pip install -q --disable-pip-version-check

.PHONY: site test check stats schema bench clean

site: $(VENV)/.site-installed
	$(BIN)/python build.py

check: $(VENV)/.site-installed
	$(BIN)/python build.py check --strict

stats: $(VENV)/.site-installed
	$(BIN)/python build.py stats

schema: $(VENV)/.site-installed
	$(BIN)/python build.py schema

test: $(VENV)/.test-installed web-tools $(TOOLS)/wheelhouse/.downloaded
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

# The runtime wheels, so tests/test_precommit.py can let pre-commit install the
# hook (language: python) with no network: pip reads them with --no-index.
$(TOOLS)/wheelhouse/.downloaded: requirements.lock $(VENV)/.site-installed
	$(BIN)/python -m pip download -q --disable-pip-version-check -d $(TOOLS)/wheelhouse -r requirements.lock \
	  && touch $@ || echo "pip download failed: the pre-commit test will skip"

# The npm checkers, pinned: axe-core and the Nu Html Checker for the reader-side
# tests; yaml-language-server (what VS Code's YAML extension runs) with the npm
# `yaml` package and ajv it uses, for the editor-side tests (yaml and ajv are
# named so that their exact versions are the ones it gets). Installed in one
# npm call, since npm removes packages a later call does not name; skipped
# (and those tests skip) where npm is missing. Never calls apt.
NPM_TOOLS := axe-core@4.14.1 vnu-jar@26.9.27 yaml-language-server@1.19.2 yaml@2.7.1 ajv@8.17.1
.PHONY: web-tools
web-tools:
	@if [ "$$(cat $(TOOLS)/.npm-tools 2>/dev/null)" = "$(NPM_TOOLS)" ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(TOOLS) && npm install --prefix $(TOOLS) --no-save --no-audit --no-fund --ignore-scripts \
	    --loglevel=error $(NPM_TOOLS) && echo "$(NPM_TOOLS)" > $(TOOLS)/.npm-tools \
	  || echo "npm install failed: the axe, vnu and editor tests will skip"; \
	else echo "npm not found: the axe, vnu and editor tests will skip"; fi

clean:
	rm -rf site .pytest_cache .hypothesis benchmarks/work
