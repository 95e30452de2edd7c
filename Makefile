# BPSA: the two commands are `make demo` (the scenario on a local chain) and
# `make test` (lint, type-check, tests). Each sets up what is missing first:
# .venv (pinned by constraints.txt) and node_modules (pinned by package-lock.json),
# with vyper and anvil on PATH. With both in place, set-up takes well under a second.
# Both run with the project's IPFS daemon (js-ipfs, offline, loopback; tools/ipfs.sh);
# `make test` also with a private PostgreSQL server (loopback; tools/postgres.sh).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# The suite starts hundreds of Python processes (test workers, oracle nodes, CLI runs,
# servers), each importing ape, web3 and the project's modules: their compiled bytecode
# is kept (`__pycache__/`, git-ignored here) even where the environment says not to
# write it, and so are pytest's rewritten test modules: one process's compile serves
# the rest. (Importing ape and web3 from source takes 4.6 s, compiled 2.1 s.)
export PYTHONDONTWRITEBYTECODE :=

PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup demo test test-build test-fast lint bench chain chain-stop ipfs ipfs-stop pg pg-stop constraints clean

# Independent steps run side by side: npm's install beside the Python one, and once the
# venv is there, lint and the contracts' compile beside npm's install (both need only
# Python). Three jobs on two cores: npm's install waits on the network and the disk much
# of its time. Goals named together run side by side too: run `make clean` on its own.
MAKEFLAGS += -j3

setup: $(PY_STAMP) $(NODE_STAMP)
	@test -x $(VENV)/bin/anvil || \
	  ln -sf "$$(ls -d $(CURDIR)/node_modules/@foundry-rs/anvil-*/bin/anvil | head -n1)" $(VENV)/bin/anvil

# uv (pinned in constraints.txt like everything else) installs the pinned set in about
# 20 s where pip takes about 110 s on this machine, downloads included; where uv cannot
# run or reach its index, pip installs the same set from the same constraints. uv does
# not compile the packages' bytecode at install (asked to, it takes 17 s more): the first
# process that imports a module writes it (PYTHONDONTWRITEBYTECODE is cleared above).
$(PY_STAMP): pyproject.toml constraints.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -c constraints.txt uv
	$(VENV)/bin/uv pip install --quiet --native-tls --python $(VENV)/bin/python -c constraints.txt -e '.[dev]' || \
	  { echo "make: uv could not install the Python packages: pip installs them" >&2; \
	    $(VENV)/bin/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'; }
	@touch $@

# The npm package ships anvil's binary for this platform; `setup` links it into the
# venv's bin so that one PATH entry serves both tools.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@bin=$$(ls -d $(CURDIR)/node_modules/@foundry-rs/anvil-*/bin/anvil | head -n1); \
	  test -x "$$bin" || { echo "anvil binary missing under node_modules/@foundry-rs" >&2; exit 1; }
	@test -f node_modules/ipfs/src/cli.js || { echo "js-ipfs missing under node_modules/ipfs" >&2; exit 1; }
	@touch $@

# $(call with_services,SERVICES,COMMAND) runs COMMAND with each of SERVICES up and its
# address exported. A service already running (`make ipfs`, `make pg`) is used and left
# running; otherwise it is started here and stopped afterwards, whether COMMAND passes,
# fails or is interrupted. Services: $(ipfs_up) (BPSA_IPFS_API), $(pg_up) (BPSA_PG_URL).
define with_services
@stops=; trap 'eval "$$stops"' EXIT; trap 'exit 130' INT TERM; $(1) $(2)
endef

# $(call service_up,SCRIPT,VAR,ADDRESS): the shell that brings up SCRIPT's service
# (its subcommands status, start, stop) and exports `SCRIPT ADDRESS` as VAR.
service_up = if ! $(1) status >/dev/null 2>&1; then \
	  stops="$(1) stop; $$stops"; $(1) start || exit 1; fi; \
	export $(2)="$$($(1) $(3))";

IPFS := tools/ipfs.sh
ipfs_up = $(call service_up,$(IPFS),BPSA_IPFS_API,api)

# PostgreSQL where it can be had (`ensure` installs it as root with apt-get); elsewhere
# COMMAND runs without BPSA_PG_URL and the PostgreSQL tests skip, saying so.
PG := tools/postgres.sh
pg_up = if $(PG) ensure >/dev/null; then $(call service_up,$(PG),BPSA_PG_URL,url) \
	else echo "make: no PostgreSQL server here: its tests skip" >&2; fi;

demo: setup
	$(call with_services,$(ipfs_up),ape run demo)

# mypy and import-linter run through tools/: they name each folder by its import name
# (frontend-api/ is bpsa.api), as the installed package does.
lint: $(PY_STAMP)
	ruff check .
	ruff format --check .
	python tools/typecheck.py
	python tools/layers.py

# The suite runs on every core (pytest-xdist): each worker is an ape session with its own
# anvil on a free port, and takes whole test files (--dist loadfile), so a file's module
# fixtures deploy once. TEST_WORKERS=0 runs it in one process; TEST_ARGS adds pytest's
# options (TEST_ARGS=--durations=30). The contracts are compiled once before the workers
# start: each would otherwise compile into the same .build at once.
TEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# HYPOTHESIS_PROFILE=long make test runs the stateful tests far longer.
# Chromium for the page's browser test, where it can be had (as PostgreSQL above).
# Lint (mypy takes one core for half a minute) runs beside what the suite needs built.
test: lint test-build setup
	$(call with_services,$(ipfs_up) $(pg_up),ape test tests -q $(PYTEST_PARALLEL) $(TEST_ARGS))

test-build: $(PY_STAMP)
	@tools/chromium.sh ensure >/dev/null || echo "make: no Chromium here: the browser test skips" >&2
	ape compile

# The inner loop: the tests that need no service (pure Python, and the contract unit
# tests and access matrix on titanoboa), marked `fast` by tests/conftest.py, less the
# `slow` ones (the state machines and long property runs: `make test` runs them). No
# lint, no IPFS, no PostgreSQL.
test-fast: setup
	ape compile
	ape test tests -q -m "fast and not slow" $(PYTEST_PARALLEL) $(TEST_ARGS)

bench: setup
	$(call with_services,$(ipfs_up),python bench/run.py)

# A local chain that outlives one command, for `ape run admin ...` and the console:
#   ape run deploy --network ethereum:local:foundry --provider-settings '{"host": "http://127.0.0.1:8545"}'
ANVIL_PORT ?= 8545
chain: setup
	@if [ -f .anvil.pid ] && kill -0 "$$(cat .anvil.pid)" 2>/dev/null; then \
	  echo "anvil already running (pid $$(cat .anvil.pid))"; \
	else \
	  nohup anvil --host 127.0.0.1 --port $(ANVIL_PORT) > .anvil.log 2>&1 & echo $$! > .anvil.pid; \
	  echo "anvil on http://127.0.0.1:$(ANVIL_PORT) (pid $$(cat .anvil.pid)); stop it with make chain-stop"; \
	fi

chain-stop:
	@if [ -f .anvil.pid ]; then kill "$$(cat .anvil.pid)" 2>/dev/null || true; rm -f .anvil.pid; echo "anvil stopped"; fi

# The IPFS daemon that outlives one command (repo in .ipfs/, pid in .ipfs.pid, log in
# .ipfs.log); `make test` and `make demo` use it when it runs.
ipfs: setup
	@$(IPFS) start
	@echo "export BPSA_IPFS_API=$$($(IPFS) api)   # stop it with: make ipfs-stop"

ipfs-stop:
	@$(IPFS) stop

# The PostgreSQL server that outlives one command (cluster in .pgdata/, pid in .pg.pid,
# log in .pg.log); `make test` uses it when it runs.
pg:
	@$(PG) ensure >/dev/null
	@$(PG) start
	@echo "export BPSA_PG_URL=$$($(PG) url)   # stop it with: make pg-stop"

pg-stop:
	@$(PG) stop

constraints:
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^bpsa' > constraints.txt.new
	@{ head -n2 constraints.txt; cat constraints.txt.new; } > constraints.txt.tmp
	@mv constraints.txt.tmp constraints.txt; rm -f constraints.txt.new

clean:
	rm -rf .build .mypy_cache .ruff_cache .hypothesis deployments/local.json bench/.work .anvil.log
