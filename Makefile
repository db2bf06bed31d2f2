# genesyscloud.cx developer entry points. `make demo` and `make test` are the two that matter.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
BUILD := build
DIST := $(BUILD)/dist
TARBALL := $(DIST)/genesyscloud-cx-$(VERSION).tar.gz
# The built tarball is installed here; integration tests and the demo use this copy.
INSTALLED := $(abspath $(BUILD)/collections)
# ansible-test insists on .../ansible_collections/<namespace>/<name> and resolves symlinks: a copy.
SANITY_ROOT := $(BUILD)/sanity/ansible_collections/genesyscloud/cx
# ansible-test integration runs tests/integration/targets/ from a copy of its own.
TARGETS_ROOT := $(BUILD)/targets/ansible_collections/genesyscloud/cx
SANITY_PYTHON ?= 3.11
# The other Pythons ansible-core 2.19 runs modules on; checked where this machine has them.
SANITY_TARGET_PYTHONS ?= 3.8 3.9 3.10 3.12 3.13
PYTEST_WORKERS ?= 2

# Three ansible-core releases. .venv holds the main one, 2.19: lint, docs, the EE, sanity, and every
# integration test. The oldest we support (2.16, meta/runtime.yml's requires_ansible) and the newest (2.21,
# what the current `ansible` package installs) run the integration tests too, all but those marked `once`
# (ONCE_MARKER, registered in pytest.ini): suites that exercise the collection's own logic under load (chaos,
# benchmark-like) and would prove nothing more on another release. 2.21 also runs ansible-test sanity.
ONCE_MARKER := once
COMPAT_VENV := .venv-ansible-2.16
COMPAT_INSTALLED := $(abspath $(BUILD)/collections-ansible-2.16)
NEWEST_VENV := .venv-ansible-2.21
NEWEST_INSTALLED := $(abspath $(BUILD)/collections-ansible-2.21)
NEWEST_SANITY_ROOT := $(BUILD)/sanity-2.21/ansible_collections/genesyscloud/cx
# ansible-core 2.21 needs Python 3.12 or newer: the first of these hacking/find-python.sh finds builds its venv.
NEWEST_PYTHONS ?= 3.12 3.13 3.14
# The documentation tools (antsibull-docs, Sphinx) in a venv of their own; the site goes to DOCS_SITE (not committed).
DOCS_VENV := .venv-docs
DOCS_SITE := $(BUILD)/docs

MODULES = $(sort $(basename $(notdir $(wildcard plugins/modules/*.py))))
FILTERS = $(sort $(basename $(notdir $(wildcard plugins/filter/*.yml))))

export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
export PY_COLORS := 0

.PHONY: help venv venvs collection test test-emulator test-unit test-integration test-targets test-compat test-newest \
	sanity sanity-newest lint docs docs-lint build-check ee-check changelog-lint demo bench clean

help:
	@echo "make demo   build .venv, start the emulator with three demo orgs, run audit/remediate/rollback"
	@echo "make test   build the venvs and run every test and quality gate (what CI runs), in about 20 minutes"
	@echo "make bench  run the benchmarks in tests/bench, about 25 minutes (the figures: docs/benchmarks.md)"
	@echo "make docs   build the collection's HTML documentation site (antsibull-docs, Sphinx) into $(DOCS_SITE)/build/html"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(COMPAT_VENV)/.installed: tests/requirements-ansible-2.16.txt
	test -x $(COMPAT_VENV)/bin/python || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-ansible-2.16.txt
	touch $@

# Where no Python 3.12+ exists, say so and stop: make test does not pass without the newest ansible-core.
$(NEWEST_VENV)/.installed: tests/requirements-ansible-2.21.txt
	@if ! test -x $(NEWEST_VENV)/bin/python; then \
		interpreter=; \
		for version in $(NEWEST_PYTHONS); do \
			interpreter=$$(bash hacking/find-python.sh $$version); [ -z "$$interpreter" ] || break; \
		done; \
		if [ -z "$$interpreter" ]; then \
			echo "$(NEWEST_VENV): ansible-core 2.21 needs Python 3.12 or newer, and this machine has none" \
				"(looked for python$(subst $() ,/,$(NEWEST_PYTHONS)) on PATH and under $${PYENV_ROOT:-$$HOME/.pyenv}/versions)." \
				"Install one (e.g. pyenv install 3.12) and run make test again." >&2; \
			exit 1; \
		fi; \
		echo "$(NEWEST_VENV): ansible-core 2.21 on $$interpreter"; \
		"$$interpreter" -m venv $(NEWEST_VENV); \
	fi
	$(NEWEST_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-ansible-2.21.txt
	touch $@

$(DOCS_VENV)/.installed: docs/requirements.txt
	test -x $(DOCS_VENV)/bin/python || $(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r docs/requirements.txt
	touch $@

venvs: venv $(COMPAT_VENV)/.installed $(NEWEST_VENV)/.installed $(DOCS_VENV)/.installed

# Build the tarball users would install, then install it: the tests run against what we ship. Within make
# test the parts share the one build it made first (COLLECTION_BUILT=1).
ifeq ($(COLLECTION_BUILT),1)
collection:
	test -f $(INSTALLED)/ansible_collections/genesyscloud/cx/MANIFEST.json
else
collection: venv
	rm -rf $(DIST) $(INSTALLED)
	$(BIN)/ansible-galaxy collection build --force --output-path $(DIST) .
	$(BIN)/ansible-galaxy collection install --force --offline -p $(INSTALLED) $(TARBALL)
	test -f $(INSTALLED)/ansible_collections/genesyscloud/cx/MANIFEST.json
endif

# make test: the venvs (in parallel) and the collection first; then its parts, TEST_JOBS at a time, longest
# first. Each part's output goes to build/test-logs/<part>.log and is printed in one block when the part ends,
# closed by "== <part>: passed|FAILED in N s". A failed part does not stop the others: the table at the end
# names every part that failed. Measured on the 2-core development machine (a fresh clone, CI=true bash .ci/run,
# 2026-12-04): 1,058 s in all; the longest parts test-integration 717 s, test-newest 471 s, test-compat 383 s.
TEST_JOBS ?= 2
TEST_PARTS := test-newest test-integration test-compat sanity sanity-newest test-emulator lint docs-lint docs test-unit \
	test-targets ee-check changelog-lint build-check
TEST_LOGS := $(BUILD)/test-logs
TEST_STARTED := $(shell date +%s)
# The two parts' blocks never interleave (flock where the machine has it).
LOCKED = $(if $(shell command -v flock),flock $(TEST_LOGS)/.lock)

test:
	@echo "make test: started $$(date +%T), load $$(cut -d' ' -f1-3 /proc/loadavg)"
	$(MAKE) --no-print-directory -j$(TEST_JOBS) venvs
	$(MAKE) --no-print-directory collection
	@rm -rf $(TEST_LOGS) && mkdir -p $(TEST_LOGS)
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) $(addprefix part-,$(TEST_PARTS))
	@echo; echo "make test: its parts, in the order they ended (load now $$(cut -d' ' -f1-3 /proc/loadavg)):"
	@cat $(TEST_LOGS)/parts.txt
	@failed=$$(awk '$$1 == "FAILED" {print $$2}' $(TEST_LOGS)/parts.txt | xargs); \
	if [ -n "$$failed" ]; then \
		echo "make test: FAILED after $$(( $$(date +%s) - $(TEST_STARTED) )) s: $$failed" \
			"(the output of each is above, and in $(TEST_LOGS)/<part>.log)"; \
		exit 1; \
	fi
	@echo "make test: every test and quality gate passed in $$(( $$(date +%s) - $(TEST_STARTED) )) s"

# One part of make test, with the collection make test built. It never fails itself, so that the other parts
# still run; its outcome and time go to $(TEST_LOGS)/parts.txt.
part-%:
	@mkdir -p $(TEST_LOGS); start=$$(date +%s); log=$(TEST_LOGS)/$*.log; \
	$(LOCKED) echo "== $*: started $$(date +%T), load $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	if $(MAKE) --no-print-directory $* COLLECTION_BUILT=1 > $$log 2>&1; then status=passed; else status=FAILED; fi; \
	seconds=$$(( $$(date +%s) - start )); \
	$(LOCKED) bash -c 'echo "== $$1: output"; cat "$$2"; echo "== $$1: $$3 in $$4 s"; echo' - $* $$log $$status $$seconds; \
	printf '  %-7s %-17s %5d s\n' $$status $* $$seconds >> $(TEST_LOGS)/parts.txt

# The two ansible-test runs never overlap: they share ~/.ansible/test (its venvs and pip bootstrap).
part-sanity-newest: | part-sanity

test-emulator: venv
	$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests/emulator/tests

test-unit: venv
	$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests/unit

# The integration tests with ansible-core $(1)'s venv building, installing (into $(2)) and running the
# collection; $(3): a pytest -m expression.
define integration-tests
	rm -rf $(2)
	$(1)/bin/ansible-galaxy collection build --force --output-path $(2)/dist .
	$(1)/bin/ansible-galaxy collection install --force --offline -p $(2) $(2)/dist/genesyscloud-cx-$(VERSION).tar.gz
	$(call integration-pytest,$(1),$(2),$(3))
endef
define integration-pytest
	@echo "integration tests: $$($(1)/bin/ansible --version | sed -n 1p), $$($(1)/bin/python -V)$(if $(3), (-m '$(3)'))"
	GENESYSCLOUD_CX_COLLECTIONS_PATH=$(2) PATH="$(abspath $(1)/bin):$$PATH" \
		$(1)/bin/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --durations=5 $(if $(3),-m '$(3)') \
		tests/integration
endef

# The ansible-test integration targets (tests/integration/targets/: the role's audit and a check-mode remediation
# against the emulator), as a contributor who knows the standard layout runs them. --local: .venv has the
# collection's runtime requirement (requests) and the emulator's (aiohttp), which an ansible-test --venv would have
# to fetch; so no pip bootstrap either (the stand-in above is for --venv).
test-targets: venv
	$(call sanity-tree,$(TARGETS_ROOT))
	cd $(TARGETS_ROOT) && PATH="$(abspath $(BIN)):$$PATH" $(abspath $(BIN))/ansible-test integration \
		--local --python $(SANITY_PYTHON) --color no

# ansible-core 2.19, every integration test, including those marked $(ONCE_MARKER).
test-integration: collection
	$(call integration-pytest,$(VENV),$(INSTALLED),)

# The oldest ansible-core we support.
test-compat: $(COMPAT_VENV)/.installed
	$(call integration-tests,$(COMPAT_VENV),$(COMPAT_INSTALLED),not $(ONCE_MARKER))

# The newest ansible-core.
test-newest: $(NEWEST_VENV)/.installed
	$(call integration-tests,$(NEWEST_VENV),$(NEWEST_INSTALLED),not $(ONCE_MARKER))

build-check: collection
	@echo "collection built and installed: $(TARBALL) -> $(INSTALLED)"

# The execution environment AWX / Automation Platform would run the collection in: ansible-builder reads
# the installed collection's meta/execution-environment.yml, and creates the build context of an image
# holding it (building the image itself needs a container engine, which CI does not have).
ee-check: collection
	$(BIN)/ansible-builder introspect $(INSTALLED) | tee $(BUILD)/ee-introspect.txt
	grep -q "requests.*from collection genesyscloud.cx" $(BUILD)/ee-introspect.txt
	cp $(TARBALL) $(DIST)/genesyscloud-cx.tar.gz
	rm -rf $(BUILD)/ee
	$(BIN)/ansible-builder create -f tests/ee/execution-environment.yml --context $(BUILD)/ee
	test -f $(BUILD)/ee/_build/collections/genesyscloud-cx.tar.gz

# Every plugin's and the role's documentation renders with ansible-doc, and passes antsibull-docs' lint (markup,
# references such as O(...) and M(...), the schema docs.ansible.com renders), as the installed build has it.
docs-lint: collection $(DOCS_VENV)/.installed
	@for module in $(MODULES); do \
		ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/ansible-doc -t module genesyscloud.cx.$$module > /dev/null \
			|| { echo "ansible-doc failed for module $$module"; exit 1; }; \
		echo "ansible-doc renders genesyscloud.cx.$$module"; \
	done
	@for filter in $(FILTERS); do \
		ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/ansible-doc -t filter genesyscloud.cx.$$filter > /dev/null \
			|| { echo "ansible-doc failed for filter $$filter"; exit 1; }; \
		echo "ansible-doc renders filter genesyscloud.cx.$$filter"; \
	done
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/ansible-doc -t role genesyscloud.cx.data_action_timeouts > /dev/null
	PATH="$(abspath $(BIN)):$$PATH" $(DOCS_VENV)/bin/antsibull-docs lint-collection-docs --plugin-docs \
		$(INSTALLED)/ansible_collections/genesyscloud/cx
	@echo "antsibull-docs lint-collection-docs --plugin-docs: no finding"

# The collection's HTML documentation site, as docs.ansible.com renders collections: antsibull-docs writes the
# Sphinx project (sphinx-init) and the plugins' pages from the installed build, Sphinx builds it with warnings as
# errors. Offline (docs/sphinx-offline.conf): references into docs.ansible.com are left as plain text.
docs: collection $(DOCS_VENV)/.installed
	rm -rf $(DOCS_SITE)
	mkdir -p -m 0755 $(DOCS_SITE)
	PATH="$(abspath $(DOCS_VENV)/bin):$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
		$(DOCS_VENV)/bin/antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir $(DOCS_SITE) \
		--project genesyscloud.cx --copyright "genesyscloud.cx contributors" --title "genesyscloud.cx" \
		genesyscloud.cx
	cat docs/sphinx-offline.conf >> $(DOCS_SITE)/conf.py
	PATH="$(abspath $(DOCS_VENV)/bin):$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
		$(DOCS_SITE)/build.sh
	test -f $(DOCS_SITE)/build/html/collections/genesyscloud/cx/index.html
	@echo "docs: $(DOCS_SITE)/build/html/index.html"

# Linted against the installed build, so FQCN references to our own modules and role resolve.
lint: collection
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
		$(BIN)/ansible-lint --offline --profile production

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# ansible-test needs the collection under ansible_collections/<ns>/<name>; copy exactly the files git
# would ship (tracked, plus new files that are not ignored), so generated files never reach sanity.
# Inside our checkout ansible-test would list files from the outer git repo (which ignores build/): the
# copy gets its own git index.
define sanity-tree
	rm -rf $(1)
	mkdir -p $(1)
	git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && echo "{}"' \
		| tar -cf - -T - | tar -xf - -C $(1)
	cd $(1) && git init -q && git add -A
endef

# ansible-test --venv downloads a pip bootstrap script from a host not every network reaches. Put our
# offline stand-in where ansible-test caches that download (named after the pip version that venv's
# ansible-test pins); where the real one is cached, keep it.
define pip-standin
	@pip_version=$$($(1)/bin/python -c "import re, ansible_test, pathlib; \
		src = pathlib.Path(ansible_test.__file__).parent.joinpath('_internal', 'python_requirements.py').read_text(); \
		print(re.search(r\"pip='([0-9.]+)'\", src).group(1))"); \
	cache=$$HOME/.ansible/test/cache/get_pip_$${pip_version//./_}.py; \
	if [ ! -f "$$cache" ]; then mkdir -p "$$(dirname "$$cache")"; cp hacking/get_pip_standin.py "$$cache"; \
		echo "installed the offline pip bootstrap stand-in at $$cache"; fi
endef

sanity: venv
	$(call pip-standin,$(VENV))
	$(call sanity-tree,$(SANITY_ROOT))
	cd $(SANITY_ROOT) && PATH="$(abspath $(BIN)):$$PATH" $(abspath $(BIN))/ansible-test sanity \
		--venv --python $(SANITY_PYTHON) --color no
	@# Modules run on the managed host's Python: compile and import them on every target version here.
	@for version in $(SANITY_TARGET_PYTHONS); do \
		interpreter=$$(bash hacking/find-python.sh $$version); \
		if [ -z "$$interpreter" ]; then echo "sanity: no Python $$version on this machine, compile/import on it not checked"; continue; fi; \
		echo "sanity: compile and import on Python $$version ($$interpreter)"; \
		(cd $(SANITY_ROOT) && PATH="$$(dirname $$interpreter):$(abspath $(BIN)):$$PATH" $(abspath $(BIN))/ansible-test sanity \
			--venv --python $$version --test compile --test import --color no) || exit 1; \
	done

# ansible-test sanity of the newest ansible-core (no ignore files either), on its venv's Python.
sanity-newest: $(NEWEST_VENV)/.installed
	$(call pip-standin,$(NEWEST_VENV))
	$(call sanity-tree,$(NEWEST_SANITY_ROOT))
	@version=$$($(NEWEST_VENV)/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	echo "sanity: $$($(NEWEST_VENV)/bin/ansible --version | sed -n 1p), Python $$version"; \
	cd $(NEWEST_SANITY_ROOT) && PATH="$(abspath $(NEWEST_VENV)/bin):$$PATH" $(abspath $(NEWEST_VENV))/bin/ansible-test sanity \
		--venv --python $$version --color no

demo: collection
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) bash tests/demo/run-demo.sh

# The four benchmarks of issue 8 and the defaults sweep; BENCH_ROUNDS=1 for a quick look, BENCH_ALL=1 adds
# the emulator's own benchmarks. Verdicts are printed, never asserted.
bench: collection
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
		GENESYSCLOUD_CX_COLLECTIONS_PATH=$(INSTALLED) bash tests/bench/run.sh

clean:
	rm -rf $(BUILD) reports tests/output .pytest_cache $(COMPAT_VENV) $(NEWEST_VENV) $(DOCS_VENV)
