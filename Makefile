# Two commands set everything up on a fresh machine (python3 + make):
#   make demo   score the Mali 2015 fixture and print its explanation
#   make test   run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup bytecode demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

# Byte-compile the package even where PYTHONDONTWRITEBYTECODE is set (~40 ms per CLI call).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q scoring benchmarks

setup: $(STAMP) bytecode

demo: setup
	$(BIN)/tipscore score fixtures/mali/2015.yaml

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
