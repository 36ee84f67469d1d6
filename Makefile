# The two commands: `make review` opens the TUI on the bundled article, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: review test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The review TUI is not built yet: until it lands, `make review` sets everything up,
# seeds the default database and shows the term base, and says so.
review: $(STAMP)
	$(BIN)/glossary init
	$(BIN)/glossary terms list
	@echo "The review TUI (glossary review) is not built yet; the commands above are what works today."

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

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
