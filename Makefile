# Routine tasks. `make help` lists them.
PY ?= .venv/bin/python

.PHONY: help install dev lock lint typecheck layers test bench train eval eval-labelers eval-knowledge eval-qtypes train-qtypes rx-cache clean
help:
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

install: ## create .venv and install starcoach
	python3 -m venv .venv && .venv/bin/pip install -q -c constraints.txt -e .

dev: ## install with test, web, plot and voice extras
	python3 -m venv .venv && .venv/bin/pip install -q -c constraints.txt -e '.[test,web,plot,voice]'

lock: ## refresh constraints.txt from a fresh venv with every extra (then review, test, commit)
	python3 scripts/lock.py

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

rx-cache: ## rewrite src/starcoach/rx_cache.marshal after changing a cue pattern (tests/test_rx_cache.py says when)
	$(PY) scripts/build_rx_cache.py

train: ## retrain the STAR labeler (data/star + ../shared public answers)
	$(PY) training/train_labeler.py

eval: ## one accuracy report: public answers leave-repository-out, ratings, our held-out split, then the shared tools
	$(PY) training/eval_report.py
	$(PY) ../shared/tools/star_eval.py ../shared/data/public_star_answers.jsonl -- .venv/bin/starcoach
	$(PY) ../shared/tools/rating_eval.py -- .venv/bin/starcoach

eval-labelers: ## compare labeler families on the same leave-repository-out folds (slow)
	$(PY) training/compare_labelers.py

eval-knowledge: ## knowledge answers graded by the model answer's points (reads ../shared/seeds/series)
	$(PY) training/eval_knowledge.py

eval-qtypes: ## question types: held-out phrasings, real questions and bank, classifier next to the old rules
	$(PY) training/eval_question_types.py

train-qtypes: ## retrain the question-type classifier (data/question_types/dev)
	$(PY) training/train_question_types.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
