# The two commands: `make demo` and `make test`. Everything else is a step they share.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
TOOLS := $(CURDIR)/.tools/bin
export PATH := $(BIN):$(TOOLS):$(PATH)

.PHONY: demo test venv engine stripe-mock lint bench clean

## demo: set up, run `pulumi up` for the dev stack (emulator unless STRIPE_API_KEY is set)
demo: venv engine
	bash examples/demo.sh

## test: set up everything and run the whole suite (lint, unit, emulator, engine, conformance)
test: venv engine stripe-mock lint
	$(BIN)/python -m pytest

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,emulator]'
	touch $@

## engine: the Pulumi CLI and Python language host in .tools/bin (cached in ~/.cache)
engine:
	bash tests/engine/build-engine.sh

## stripe-mock: Stripe's official mock in .tools/bin (cached in ~/.cache)
stripe-mock:
	bash tests/conformance/install-stripe-mock.sh

lint: venv
	$(BIN)/ruff check provider tests examples
	$(BIN)/ruff format --check provider tests examples

## bench: ours against a do-nothing resource on the real engine: table + .bench/bench.png
## (BENCH_ARGS=--quick for N = 1, 10; see tests/bench/bench.py --help)
bench: venv engine $(VENV)/.bench-installed
	$(BIN)/python tests/bench/bench.py $(BENCH_ARGS)

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,emulator,bench]'
	touch $@

clean:
	rm -rf .tools .demo .bench .pytest_cache .ruff_cache
