# Two commands on a fresh machine: `make deck` and `make test`.
# Each (re)creates .venv when it is missing or older than pyproject.toml / constraints.txt.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.stamp
BIN    := $(VENV)/bin

.PHONY: deck test check stats verify plan preview release-notes clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# DECK_FLAGS: extra `deck build` options, e.g. --locked --version 1.2.0 (the release job).
deck: $(STAMP)
	$(BIN)/deck build $(DECK_FLAGS)

# --dist loadgroup: the browser tests share one group, so one worker (one Chromium) runs them.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider

check: $(STAMP)
	$(BIN)/deck check

stats: $(STAMP)
	$(BIN)/deck stats

verify: $(STAMP)
	$(BIN)/deck verify

# build/preview/index.html: every card as Anki shows it (phone/desktop, light/night, search)
preview: $(STAMP)
	$(BIN)/deck preview

plan: $(STAMP)
	$(BIN)/deck plan

# Markdown release notes: what changed in deck.lock since SINCE (default: the latest v* tag).
release-notes: $(STAMP)
	@$(BIN)/deck plan --markdown --since "$(or $(SINCE),$(shell git describe --tags --abbrev=0 --match 'v*' 2>/dev/null))" $(if $(VERSION),--version $(VERSION))

clean:
	rm -rf build
