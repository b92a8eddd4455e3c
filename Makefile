# make site: create .venv, install pinned dependencies, build site/ from dossiers/
#            (make site BASE_URL=https://example.org/dossiers/ for where it is published; OUT=DIR for elsewhere)
# make check: validate the dossiers, failing on warnings too (FORMAT=github: as pull-request annotations)
# make test: install the test extras (and the npm checkers when npm is present, and the runtime
#            wheels for the offline wheel and pre-commit tests), run the whole suite
# The GitHub Pages workflow (.github/workflows/pages.yml) runs `make check` and `make site`; so does the suite.
# make diff-demo: the report `diff` prints for a small temporary repository (the one README.md shows)
# make screenshots: regenerate docs/screenshots/ (home and company pages, phone and desktop, light and dark; the graph on a desktop)
PYTHON ?= python3
OUT      ?= site
BASE_URL ?=
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := .tools
WHEELHOUSE := .wheelhouse
PIP    := $(BIN)/python -m pip install -q --disable-pip-version-check

.PHONY: site install test check stats schema bench diff-demo screenshots clean

site: $(VENV)/.site-installed
	$(BIN)/python build.py --out '$(OUT)'$(if $(BASE_URL), --base-url '$(BASE_URL)')

install: $(VENV)/.site-installed

check: $(VENV)/.site-installed
	$(BIN)/python build.py check --strict $(if $(FORMAT),--format $(FORMAT))

stats: $(VENV)/.site-installed
	$(BIN)/python build.py stats

schema: $(VENV)/.site-installed
	$(BIN)/python build.py schema --settings-doc docs/settings.md

test: $(VENV)/.test-installed $(WHEELHOUSE)/.filled web-tools
	$(BIN)/python -m pytest

diff-demo: $(VENV)/.site-installed
	@$(BIN)/python scripts/diff_demo.py

screenshots: $(VENV)/.test-installed
	$(BIN)/python scripts/screenshots.py

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

# The runtime lock's wheels, fetched once, so two tests need no network: tests/test_wheel.py
# installs the built wheel into a fresh virtual environment from here (--no-index), and
# tests/test_precommit.py lets pre-commit install the hook (language: python) from here.
$(WHEELHOUSE)/.filled: requirements.lock
	$(BIN)/python -m pip download -q --disable-pip-version-check --only-binary=:all: -d $(WHEELHOUSE) -r requirements.lock
	touch $@

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
	rm -rf site .pytest_cache .hypothesis benchmarks/work build dist $(WHEELHOUSE)
