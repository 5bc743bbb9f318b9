# Lägesbild: `make run` starts the app on the demo store, `make test` runs every suite.
# Only python3.11 (and, for the browser suite, Debian's chromium) are needed outside .venv/.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="tests/e2e -x"` (default: tests)
PYTEST_ARGS ?=

.PHONY: venv venv-dev run bench browser pdftools test

# The venv itself; the stamp files below reinstall only when a requirements file changes.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.stamp-requirements: requirements.txt | $(PY)
	$(PY) -m pip install -r requirements.txt
	touch $@

$(VENV)/.stamp-requirements-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install -r requirements-dev.txt
	touch $@ $(VENV)/.stamp-requirements

venv: $(VENV)/.stamp-requirements

venv-dev: $(VENV)/.stamp-requirements-dev

run: venv
	$(PY) -m data_layer init
	$(PY) -m data_layer demo --if-empty
	$(PY) scripts/serve.py

# Every page timed on a demo store of SCALE × the demo volume (125 ≈ 7.5 M incidents, built once into the temporary
# directory and reused); DB=URL measures that store instead. See README, "How fast".
SCALE ?= 1
bench: venv
	$(PY) -m data_layer $(if $(DB),--db $(DB)) bench --scale $(SCALE)

# Chromium for the browser suite (tests/e2e). Playwright's own browser download does not work here:
# the tests drive Debian's /usr/bin/chromium.
browser:
	@if command -v chromium >/dev/null 2>&1; then \
		echo "browser: using $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "browser: chromium not found, installing Debian's package"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "browser: chromium NOT found and not running as root, so it cannot be installed here."; \
		echo "browser: the browser suite (tests/e2e) will be SKIPPED (and fails the run under CI=true)."; \
		echo "browser: install it with: sudo apt-get install -y chromium"; \
	fi

# poppler's pdftoppm/pdfinfo: the report tests render every PDF page to check that it opens.
pdftools:
	@if command -v pdftoppm >/dev/null 2>&1; then \
		echo "pdftools: using $$(command -v pdftoppm)"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "pdftools: pdftoppm not found, installing Debian's poppler-utils"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils; \
	else \
		echo "pdftools: pdftoppm NOT found; install it with: sudo apt-get install -y poppler-utils"; \
	fi

test: venv-dev browser pdftools
	$(PY) scripts/run_tests.py $(PYTEST_ARGS)
