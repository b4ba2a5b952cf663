# Two commands set everything up on a fresh machine (python3 + make):
#   make demo   score the Mali 2015 fixture and print its explanation
#   make test   run the whole test suite (in parallel)
# The virtual environment gets exactly the versions in requirements/*.lock (with hashes);
# `make lock` refreshes them from the ranges in pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
LOCKS  := requirements/build.lock requirements/test.lock

.PHONY: setup bytecode demo test bench docs lock clean

$(STAMP): pyproject.toml $(LOCKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r requirements/build.lock
	$(PIP) install --require-hashes --no-build-isolation -r requirements/test.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Byte-compile the package even where PYTHONDONTWRITEBYTECODE is set (~40 ms per CLI call).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q scoring benchmarks

setup: $(STAMP) bytecode

demo: setup
	$(BIN)/tipscore score fixtures/mali/2015.yaml

# The rulesets' own cases and the fixtures' expectations first (their coverage figures, per era).
test: setup
	$(BIN)/tipscore test rulesets/tests fixtures --coverage --threshold 100 --quiet
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/throughput.py

# Regenerate docs/law/ (the law beside the rules) from the shipped rulesets; commit the result.
# tests/rulesets/test_law_map.py fails while the committed pages are out of date.
docs: setup
	env -u TIPSCORE_RULESETS $(BIN)/tipscore docs --out docs/law

# Refresh the locks (pip-tools in a throwaway environment); commit the result.
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	build/lock-venv/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements/build.lock requirements/build.in
	build/lock-venv/bin/pip-compile --quiet --upgrade --extra test --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/test.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
