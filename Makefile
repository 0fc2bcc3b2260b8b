# The two commands: `make demo` and `make test`. Everything else is a step they share.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
TOOLS := $(CURDIR)/.tools/bin
# Every Python the project supports (pyproject's classifiers); .venv has one of them.
PYTHONS := 3.11 3.12 3.13
export PATH := $(BIN):$(TOOLS):$(PATH)
# The TypeScript and Go SDKs, from the package schema the models generate. GOPROXY is the
# environment's: on a fresh module cache the Go SDK's `go mod tidy` wants modules the engine's
# build did not fetch (golang.org/x/sys@v0.6.0), and GOPROXY=off failed there.
SDKGEN := $(TOOLS)/pulumi-stripe-portal-sdkgen \
	--schema provider/pulumi_stripe_portal/plugin/schema.json \
	--nodejs provider/sdk/nodejs --go provider/sdk/go

.PHONY: demo test test-pythons pythons venv engine langhosts sdkgen node-tools stripe-mock lint generate bench clean

## demo: set up, run `pulumi up` for the dev stack (emulator unless STRIPE_API_KEY is set)
demo: venv engine langhosts
	bash examples/demo.sh

## test: set up everything and run the whole suite (lint, unit, emulator, engine, conformance),
## then test-pythons
test: venv engine langhosts node-tools stripe-mock lint pythons
	$(BIN)/python -m pytest
	bash tests/pythons.sh test $(PYTHONS)

## test-pythons: on each of PYTHONS but .venv's, from the built wheel in .venv-<version>: the
## unit, lifecycle and CLI tests and one engine test (tests/pythons.sh)
test-pythons: venv engine pythons
	bash tests/pythons.sh test $(PYTHONS)

# pythons: every one of PYTHONS is on this machine, or one line names the missing one
pythons:
	bash tests/pythons.sh find $(PYTHONS)

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,emulator]'
	touch $@

## engine: the Pulumi CLI and Python language host in .tools/bin (cached in ~/.cache)
engine:
	bash tests/engine/build-engine.sh

## langhosts: the YAML, TypeScript and Go language hosts in .tools/bin (cached in ~/.cache)
langhosts:
	bash tests/engine/build-langhosts.sh

## sdkgen: the SDK generator (Pulumi's own, pkg/v3 at the engine's version) in .tools/bin
sdkgen:
	bash tests/engine/sdkgen/build.sh

## node-tools: @pulumi/pulumi and typescript from npm in .tools/node, the TypeScript SDK
## compiled there (cached in ~/.cache)
node-tools:
	bash tests/engine/node-tools/install.sh >/dev/null

## stripe-mock: Stripe's official mock in .tools/bin (cached in ~/.cache)
stripe-mock:
	bash tests/conformance/install-stripe-mock.sh

## lint: ruff, generated files fresh, and mypy over the package and every example program
lint: venv sdkgen
	$(BIN)/ruff check provider tests examples
	$(BIN)/ruff format --check provider tests examples
	PYTHONPATH=provider $(BIN)/python -m codegen --check
	$(SDKGEN) --check
	$(BIN)/mypy provider/pulumi_stripe_portal provider/codegen
	for program in examples/*/__main__.py; do $(BIN)/mypy "$$program" || exit 1; done

## generate: rewrite what is generated from the models (args, outputs, resource, names, the
## reference in provider/README.md)
generate: venv sdkgen
	PYTHONPATH=provider $(BIN)/python -m codegen
	$(SDKGEN)

## bench: ours against a do-nothing resource on the real engine: table + .bench/bench.png
## (BENCH_ARGS=--quick for N = 1, 10; see tests/bench/bench.py --help), then the plugin path
## under latency (tests/bench/plugin_bench.py)
bench: venv engine langhosts $(VENV)/.bench-installed
	$(BIN)/python tests/bench/bench.py $(BENCH_ARGS)
	$(BIN)/python tests/bench/plugin_bench.py

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,emulator,bench]'
	touch $@

clean:
	rm -rf .tools .demo .bench .pytest_cache .ruff_cache $(PYTHONS:%=.venv-%)
