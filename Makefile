# ChinaBio bot — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint format validate bench eval lock image-check teams-package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/chinabio validate
	$(BIN)/chinabio run

lint: $(TEST_STAMP)
	$(BIN)/ruff check bot handlers knowledge tests bench
	$(BIN)/ruff format --check bot handlers knowledge tests bench
	$(BIN)/mypy bot handlers knowledge
	$(BIN)/lint-imports

# The suite on every core (pytest-xdist; PostgreSQL tests share one worker, see tests/conftest.py).
# `make test TEST_WORKERS=0` runs it in this one process.
TEST_WORKERS ?= auto
test: $(TEST_STAMP) lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --cov --cov-report=term

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix bot handlers knowledge tests bench
	$(BIN)/ruff format bot handlers knowledge tests bench

validate: $(STAMP)
	$(BIN)/chinabio validate

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

# The question bank (tests/questions/bank.yaml): shares right / wrong / honest-unknown, misses listed.
eval: $(TEST_STAMP)
	$(BIN)/python -m tests.questions.grade

# requirements.lock: pyproject's runtime dependencies pinned with hashes, for Python 3.11 on any
# platform (uv's universal resolution; linux x86_64 and aarch64 wheels included). Keeps the pins
# it has unless pyproject needs others; `make lock LOCK_FLAGS=--upgrade` moves them all forward.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --quiet $(LOCK_FLAGS) -o requirements.lock

# The Dockerfile's steps without Docker: locked venv, wheel, validate, serve, HEALTHCHECK, SIGTERM.
image-check: $(BIN)/python
	bash scripts/check_image_steps.sh

teams-package: $(STAMP)
	$(BIN)/python -m bot.teams.package --out deploy/teams/chinabio-teams.zip

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
