# Every target makes .venv itself when it is missing: a fresh machine
# needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest docs bench fix clean mutation fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/quintet.py

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -n -q -b html docs docs/_build/html

bench: $(STAMP)
	$(BIN)/python -m bench

# Coverage-guided fuzzing of every parser (fuzz/, issue 8): each target runs
# under atheris for FUZZ_SECONDS; a finding is written to fuzz/findings/
# and fails the run. `make test` replays the seeds and regressions, and runs
# one target for a second to check the runner.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python -c 'import atheris' 2>/dev/null \
		|| $(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	$(BIN)/python -m fuzz --seconds $(FUZZ_SECONDS)

# Mutation testing of the core modules (issue 8), configured in
# pyproject.toml's [tool.mutmut]. Results are kept in mutants/, so a second
# run re-tests only the functions that changed; delete mutants/ to start
# afresh. MUTATION_FLOOR is the score it must reach.
MUTATION_FLOOR ?= 90
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python tools/mutation_score.py --fail-under $(MUTATION_FLOOR)

fix: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage mutants
