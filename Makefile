# Two commands for a newcomer:  make run  (start the app)  and  make test  (every test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ASSETS := static/vendor/.complete
TEST_ASSETS := build/test-vendor/.complete

.PHONY: run test test-fast lint bench data clean

run: $(VENV)/.runtime $(ASSETS)
	$(BIN)/python -m streamlit run streamlit_app.py

test: $(VENV)/.dev $(ASSETS) $(TEST_ASSETS)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -n 2

# The edit-and-test loop: no browser, no server processes (replicas, nginx, PostgreSQL); `make test` runs all.
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -n 2 -m "not browser and not servers"

bench: $(VENV)/.dev $(ASSETS)
	$(BIN)/python -m bench

data: $(VENV)/.runtime
	$(BIN)/python -m dashboard build-data

lint: $(VENV)/.dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# Leaflet and friends come from the npm registry at install time (checked against pinned hashes).
$(ASSETS): dashboard/assets.py | $(VENV)/bin/python
	$(BIN)/python -m dashboard.assets

# Test-only tools (axe-core, LHC-Forms, the FHIR R4 JSON Schema), never served by the app.
$(TEST_ASSETS): dashboard/assets.py | $(VENV)/bin/python
	$(BIN)/python -m dashboard.assets --test

clean:
	rm -rf $(VENV) static/vendor build/test-vendor .pytest_cache .ruff_cache .hypothesis
