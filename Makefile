# Two commands on a fresh machine: `make app` (the web app on the default scenario)
# and `make test` (the whole suite). Each bootstraps .venv with Python 3.12 by itself.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app run adoption test chromium benchmark clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "adoption needs Python >= 3.12 (Mesa 3.5); found " + sys.version.split()[0] + " at $(PYTHON). Install 3.12 (pyenv install 3.12) or run make PYTHON=/path/to/python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m adoption.compiled  # compile the numba kernels once, into their on-disk cache
	@touch $(STAMP)

app: $(STAMP)
	$(BIN)/adoption app

run: $(STAMP)
	$(BIN)/adoption run

# any command without activating .venv: make adoption ARGS="compare --strategies leaders,random"
adoption: $(STAMP)
	$(BIN)/adoption $(ARGS)

# Browser tests drive Debian's Chromium; install it when it is missing (as root, no prompt).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest -n 2 --dist loadgroup

benchmark: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
