# osce-kg: `make run` builds the knowledge graph from the bundled releases and serves it;
# `make test` runs the whole suite. Both install what they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8080
HOST   ?= 127.0.0.1
WORKERS ?= 2
STORE  ?= var/store-$(PORT)
BASE   ?= http://$(HOST):$(PORT)/
export OSCE_KG_STORE := $(abspath $(STORE))
export OSCE_KG_BASE := $(BASE)

.PHONY: run test build validate bench clean .venv deps-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

.venv: $(VENV)/.installed

# The store is rebuilt only when the inputs change (releases, ontology, code of the pipeline).
$(STORE)/.built: $(VENV)/.installed $(wildcard data/releases/*) $(wildcard ontology/*.ttl ontology/refdata/*.tsv) $(wildcard kg/*.py kg/*/*.py)
	@mkdir -p $(STORE)
	$(VENV)/bin/osce-kg ingest data/releases --store $(STORE) --base $(BASE)
	@echo "$(BASE)" > $@

build: $(STORE)/.built

run: build
	$(VENV)/bin/osce-kg serve --store $(STORE) --base $(BASE) --host $(HOST) --port $(PORT) --workers $(WORKERS)

validate: build
	$(VENV)/bin/osce-kg validate --store $(STORE) --base $(BASE)

deps-test: $(VENV)/.installed
	@bash scripts/install-system-deps.sh

test: deps-test
	$(PY) -m pytest

clean:
	rm -rf var $(VENV)

# Benchmarks (bench/out holds generated pages, stores and raw results; N = number of releases)
N ?= 10000
.PHONY: bench-ingest bench-workload bench-load fuzz resilience
bench-ingest: $(VENV)/.installed
	$(PY) -m bench.ingest_speed $(N)
bench-workload: $(VENV)/.installed  # needs bench/out/store-$(N) from bench-ingest
	@test -d bench/out/store-$(N) || { echo "run 'make bench-ingest N=$(N)' first"; exit 2; }
	$(PY) -m bench.workload --store bench/out/store-$(N) --systems $(or $(SYSTEMS),ours,virtuoso,rdflib)
bench-load: $(VENV)/.installed
	RESILIENCE_FULL=1 $(PY) -m pytest -q -s tests/test_resilience.py
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=2500 $(PY) -m pytest -q tests/test_fuzz.py
