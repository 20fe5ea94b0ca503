# ChinaBio bot — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint format validate bench image-check teams-package clean

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
	$(BIN)/mypy handlers knowledge
	$(BIN)/lint-imports

test: $(TEST_STAMP) lint
	$(BIN)/python -m pytest --cov --cov-report=term

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix bot handlers knowledge tests bench
	$(BIN)/ruff format bot handlers knowledge tests bench

validate: $(STAMP)
	$(BIN)/chinabio validate

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

# The Dockerfile's steps without Docker: wheel, fresh venv, validate, serve, HEALTHCHECK, SIGTERM.
image-check: $(BIN)/python
	bash scripts/check_image_steps.sh

teams-package: $(STAMP)
	$(BIN)/python -m bot.teams.package --out deploy/teams/chinabio-teams.zip

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
