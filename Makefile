# mtorgraph — every target sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= build

.PHONY: run test bench lint schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	# the Biolink model YAML that tests/test_kgx.py checks exports against (data only: no linkml runtime)
	$(BIN)/pip install --quiet --no-deps "biolink-model==4.4.6"
	# INDRA's Statement classes for tests/test_indra.py: indra.statements needs only future and networkx,
	# and INDRA's full requirements pin an ndex2 without the CX2 reader tests/test_cx2.py uses
	$(BIN)/pip install --quiet --no-deps "indra==1.24.0" "future>=0.18"
	touch $(STAMP)

## run: the main job on the bundled graph: validate, build, print the short answer and the files
## (the full audit is one command away: .venv/bin/mtorgraph audit)
run: $(STAMP)
	$(BIN)/mtorgraph build --out $(OUT)

## test: the whole test suite (a real Chromium drives the HTML tests)
test: $(STAMP)
	$(BIN)/python -m pytest

## bench: benchmarks with synthetic large graphs; prints figures
## (E2E_ARGS go to bench/e2e.py, e.g. E2E_ARGS="--max-edges 1000000" adds 1M edges)
E2E_ARGS ?=
bench: $(STAMP)
	@test -f $(VENV)/.bench-installed || ($(BIN)/pip install --quiet -e ".[test,bench]" && touch $(VENV)/.bench-installed)
	@for script in bench/*.py; do echo "== $$script"; \
	  if [ "$$script" = bench/e2e.py ]; then $(BIN)/python $$script $(E2E_ARGS) || exit 1; \
	  else $(BIN)/python $$script || exit 1; fi; done

## schema: regenerate graphs/schema.json from the models
schema: $(STAMP)
	$(BIN)/python -m mtorgraph.io.schema > graphs/schema.json

clean:
	rm -rf $(VENV) $(OUT) dist .pytest_cache
