# `make build` and `make test` set everything up on a fresh Debian machine, then work.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# System packages: Pango for WeasyPrint; Noto fonts for every script the handouts use
# (Latin/Greek/Cyrillic/Vietnamese, Arabic, Hebrew, Devanagari, CJK); poppler-utils
# (pdftoppm, pdftotext), Debian's chromium and GNU gettext (msgfmt, msgmerge) for the tests;
# OpenSSH's ssh-keygen signs and verifies reviews (publisher review --sign); liblouis,
# its tables and its Python binding (python3-louis) write the braille files.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
	fonts-noto-core fonts-noto-cjk fonts-noto-mono poppler-utils chromium gettext \
	openssh-client liblouis20 liblouis-data python3-louis
APT_STAMP := $(VENV)/.apt-installed
# Exact versions of every Python dependency (runtime and test), as CI tested them:
# `make lock` refreshes it to the newest releases pyproject.toml allows (pip-tools).
LOCK := requirements.lock
LOCK_TOOLS := $(VENV)/lock-tools
# Readers we did not write, from npm with a lock: pdf.js, the CommonMark spec.
NODE_STAMP := node_modules/.installed

.PHONY: build test bench fuzz kill-test setup system node clean lock

build: setup
	$(VENV)/bin/publisher build

# pytest exits 5 when it collected no test: that is a failure, not a pass.
test: setup node
	@$(PY) -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; \
	exit $$status

bench: setup
	$(PY) benchmarks/run.py

# Long campaigns, beside the bounded ones in `make test`: Hypothesis on front matter,
# Markdown and PO files (4,000 cases each), and builds killed at 40 random points.
fuzz: setup node
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_fuzz.py

kill-test: setup node
	KILL_POINTS=$${KILL_POINTS:-40} $(PY) -m pytest -q -s tests/test_crash_safety.py -k kill_at_random

setup: $(STAMP)

node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: Node.js and npm are needed for the tests (pdf.js)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system: $(APT_STAMP)

$(APT_STAMP): Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages: $$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(VENV) && touch $@

$(STAMP): $(APT_STAMP) pyproject.toml $(LOCK)
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c $(LOCK) -e '.[test]'
	@touch $@

# pip-tools lives in its own environment so it never shows up in the project's.
lock:
	@test -x $(LOCK_TOOLS)/bin/python || python3 -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install -q --upgrade pip-tools
	$(LOCK_TOOLS)/bin/pip-compile --quiet --upgrade --all-extras --strip-extras \
		--no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		--output-file $(LOCK) pyproject.toml

clean:
	rm -rf dist .pytest_cache node_modules
