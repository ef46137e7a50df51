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

# What a release checks, before pytest, so that nothing is verified twice and pytest's summary
# stays the last line: (1) every cpu snippet prints the same on an imitated older CPU (this runs
# each snippet natively and once more on the imitated CPU, caching both in build/verify/);
# (2) deck.lock is exactly what `deck build` would write, note hashes included (verifies through
# that cache, writes nothing); (3) pytest, whose card items are cache hits by then. All three
# run even when one fails, so one `make test` reports everything; the exit status is the worst.
# --dist loadgroup: the browser tests share one group, so one worker (one Chromium) runs them.
test: $(STAMP)
	@status=0; \
	$(BIN)/deck verify --portability -m cpu -q || status=1; \
	$(BIN)/deck plan --locked || status=1; \
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see the portability, lock or pytest report above)"; fi; \
	exit $$status

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
