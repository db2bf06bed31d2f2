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
SANITY_PYTHON ?= 3.11
# The other Pythons ansible-core 2.19 runs modules on; checked where this machine has them.
SANITY_TARGET_PYTHONS ?= 3.8 3.9 3.10 3.12 3.13
PYTEST_WORKERS ?= 2
# The oldest ansible-core we support gets the integration tests too.
COMPAT_VENV := .venv-ansible-2.16
COMPAT_INSTALLED := $(abspath $(BUILD)/collections-ansible-2.16)
MODULES = $(sort $(basename $(notdir $(wildcard plugins/modules/*.py))))
FILTERS = $(sort $(basename $(notdir $(wildcard plugins/filter/*.yml))))

export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
export PY_COLORS := 0

.PHONY: help venv collection test test-emulator test-unit test-integration test-compat sanity lint docs \
	build-check ee-check changelog-lint demo bench clean

help:
	@echo "make demo   build .venv, start the emulator with three demo orgs, run audit/remediate/rollback"
	@echo "make test   build .venv and run every test and quality gate (what CI runs)"
	@echo "make bench  run the benchmarks in tests/bench, about 25 minutes (the figures: docs/benchmarks.md)"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Build the tarball users would install, then install it: the tests run against what we ship.
collection: venv
	rm -rf $(DIST) $(INSTALLED)
	$(BIN)/ansible-galaxy collection build --force --output-path $(DIST) .
	$(BIN)/ansible-galaxy collection install --force --offline -p $(INSTALLED) $(TARBALL)
	test -f $(INSTALLED)/ansible_collections/genesyscloud/cx/MANIFEST.json

test: venv
	$(MAKE) --no-print-directory changelog-lint
	$(MAKE) --no-print-directory build-check
	$(MAKE) --no-print-directory ee-check
	$(MAKE) --no-print-directory docs
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory sanity
	$(MAKE) --no-print-directory test-emulator
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-integration
	$(MAKE) --no-print-directory test-compat
	@echo "make test: every test and quality gate passed"

test-emulator: venv
	$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests/emulator/tests

test-unit: venv
	$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests/unit

test-integration: collection
	GENESYSCLOUD_CX_COLLECTIONS_PATH=$(INSTALLED) PATH="$(abspath $(BIN)):$$PATH" \
		$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests/integration

$(COMPAT_VENV)/.installed: tests/requirements-ansible-2.16.txt
	test -x $(COMPAT_VENV)/bin/python || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-ansible-2.16.txt
	touch $@

# The integration tests again, with ansible-core 2.16 building, installing and running the collection.
test-compat: $(COMPAT_VENV)/.installed
	rm -rf $(COMPAT_INSTALLED)
	$(COMPAT_VENV)/bin/ansible-galaxy collection build --force --output-path $(COMPAT_INSTALLED)/dist .
	$(COMPAT_VENV)/bin/ansible-galaxy collection install --force --offline -p $(COMPAT_INSTALLED) \
		$(COMPAT_INSTALLED)/dist/genesyscloud-cx-$(VERSION).tar.gz
	$(COMPAT_VENV)/bin/ansible --version | head -n 1
	GENESYSCLOUD_CX_COLLECTIONS_PATH=$(COMPAT_INSTALLED) PATH="$(abspath $(COMPAT_VENV)/bin):$$PATH" \
		$(COMPAT_VENV)/bin/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests/integration

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

docs: collection
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

# Linted against the installed build, so FQCN references to our own modules and role resolve.
lint: collection
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
		$(BIN)/ansible-lint --offline --profile production

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# ansible-test needs the collection under ansible_collections/<ns>/<name>; copy exactly the files git
# would ship (tracked, plus new files that are not ignored), so generated files never reach sanity.
sanity: venv get-pip-standin
	rm -rf $(BUILD)/sanity
	mkdir -p $(SANITY_ROOT)
	git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && echo "{}"' \
		| tar -cf - -T - | tar -xf - -C $(SANITY_ROOT)
	# Inside our checkout ansible-test would list files from the outer git repo (which ignores build/).
	cd $(SANITY_ROOT) && git init -q && git add -A
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

# ansible-test --venv downloads a pip bootstrap script from a host not every network reaches. Put our
# offline stand-in where ansible-test caches that download; where the real one is cached, keep it.
.PHONY: get-pip-standin
get-pip-standin: venv
	@pip_version=$$($(BIN)/python -c "import re, ansible_test, pathlib; \
		src = pathlib.Path(ansible_test.__file__).parent.joinpath('_internal', 'python_requirements.py').read_text(); \
		print(re.search(r\"pip='([0-9.]+)'\", src).group(1))"); \
	cache=$$HOME/.ansible/test/cache/get_pip_$${pip_version//./_}.py; \
	if [ ! -f "$$cache" ]; then mkdir -p "$$(dirname "$$cache")"; cp hacking/get_pip_standin.py "$$cache"; \
		echo "installed the offline pip bootstrap stand-in at $$cache"; fi

demo: collection
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) bash tests/demo/run-demo.sh

# The four benchmarks of issue 8 and the defaults sweep; BENCH_ROUNDS=1 for a quick look, BENCH_ALL=1 adds
# the emulator's own benchmarks. Verdicts are printed, never asserted.
bench: collection
	PATH="$(abspath $(BIN)):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
		GENESYSCLOUD_CX_COLLECTIONS_PATH=$(INSTALLED) bash tests/bench/run.sh

clean:
	rm -rf $(BUILD) reports tests/output .pytest_cache $(COMPAT_VENV)
