# The two commands: `make review` opens the TUI on the bundled article, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDED := $(VENV)/.seeded

.PHONY: review test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The default database (or $$GLOSSARY_DB) is seeded once, as part of setting up, so the review
# screen opens at once; a database removed later is seeded again by the app itself.
$(SEEDED): $(STAMP)
	$(BIN)/glossary init
	touch $(SEEDED)

review: $(SEEDED)
	$(BIN)/glossary review

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/bench_recognize.py
	$(BIN)/python bench/bench_tm.py --sizes 10000,100000
	$(BIN)/python bench/bench_po.py --entries 100000
	$(BIN)/python bench/bench_tui.py --segments 100000

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
