# Routine tasks. `make help` lists them.
PY ?= .venv/bin/python

.PHONY: help install dev lint typecheck layers test bench train eval clean
help:
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

install: ## create .venv and install starcoach
	python3 -m venv .venv && .venv/bin/pip install -q -e .

dev: ## install with test, web, plot and voice extras
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test,web,plot,voice]'

lint: ## ruff
	$(PY) -m ruff check src tests bench training

typecheck: ## mypy --strict on the package
	$(PY) -m mypy

layers: ## import-linter layer contract
	.venv/bin/lint-imports

test: ## the whole suite (includes lint, types and layers)
	$(PY) -m pytest

bench: ## print performance figures
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

train: ## retrain the STAR labeler from data/star
	$(PY) training/train_star.py

eval: ## held-out STAR figures
	$(PY) training/eval_star.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
