# Two commands on a fresh machine: `make deck` and `make test`.
# Each (re)creates .venv when it is missing or older than pyproject.toml / constraints.txt.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.stamp
BIN    := $(VENV)/bin

.PHONY: deck test check stats verify clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

deck: $(STAMP)
	$(BIN)/deck build

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

check: $(STAMP)
	$(BIN)/deck check

stats: $(STAMP)
	$(BIN)/deck stats

verify: $(STAMP)
	$(BIN)/deck verify

clean:
	rm -rf build
