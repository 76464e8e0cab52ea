# FiberNode Internet — developer entry points. `make run` and `make test` work on a fresh Debian
# machine (python3.11, node 20, npm) with no Docker: embedded PostgreSQL and Valkey are started
# by scripts/devenv/ unless DATABASE_URL / REDIS_URL are set. `make run` supervises the group: a process
# that exits is restarted with back-off; `make status` shows what runs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

UV_VERSION := 0.13.8
PYTHON ?= python3
UV_HOME := .tools/uv
UV := $(UV_HOME)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
DEVENV := $(PY) -m scripts.devenv
FRONTEND := frontend
# CHROMIUM_PATH is also read by the browser tests (frontend/e2e).
CHROMIUM := $(or $(CHROMIUM_PATH),/usr/bin/chromium)

export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

HAS_FRONTEND := $(wildcard $(FRONTEND)/package-lock.json)
# Everything the frontend build reads; generated and installed folders are left out.
FRONTEND_SOURCES = $(shell find $(FRONTEND) \( -name node_modules -o -name dist -o -name dev-dist \
	-o -name test-results -o -name playwright-report -o -name coverage -o -name e2e \) -prune \
	-o -type f -print 2>/dev/null)

# `$(QUIET) cmd...` runs cmd and shows its output only if it fails.
QUIET := bash -c 'log=$$(mktemp); if "$$@" >"$$log" 2>&1; then rm -f "$$log"; \
	else rc=$$?; cat "$$log"; rm -f "$$log"; exit $$rc; fi' quiet
step = @printf '\033[1m==>\033[0m %s\n' "$(1)"
# `$(call has_npm_script,name)` is true when frontend/package.json defines that script.
has_npm_script = [ -f $(FRONTEND)/package.json ] && node -e \
	'process.exit(require("./$(FRONTEND)/package.json").scripts?.["$(1)"] ? 0 : 1)'

.PHONY: help setup run test test-python test-frontend test-e2e check-api lint migrate seed rotate-encryption-key \
	openapi bench soak soak-ci fuzz clean reset-data services status backup restore next-version

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- setup -----------------------------------------------------------------------------------

setup: $(VENV)/.synced $(if $(HAS_FRONTEND),$(FRONTEND)/dist/.built) ## install Python and Node deps, build the PWA (fast when done)

$(UV_HOME)/.version-$(UV_VERSION):
	$(call step,uv $(UV_VERSION) in $(UV_HOME))
	@rm -rf $(UV_HOME)
	@$(QUIET) $(PYTHON) -m venv $(UV_HOME)
	@$(QUIET) $(UV_HOME)/bin/pip install --disable-pip-version-check uv==$(UV_VERSION)
	@touch $@

$(VENV)/.synced: uv.lock pyproject.toml $(UV_HOME)/.version-$(UV_VERSION)
	$(call step,Python dependencies (uv sync --frozen))
	@$(QUIET) $(UV) sync --frozen
	@touch $@

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	$(call step,Node dependencies (npm install --no-save from package-lock.json))
	@# Not `npm ci`: the registry reachable here lacks some foreign-platform optional packages
	@# (android/darwin/win builds of rollup and tailwind oxide), which npm ci insists on finding in
	@# the lock. `npm install --no-save` installs the locked versions and never rewrites the lock.
	@cd $(FRONTEND) && $(QUIET) npm install --no-save --no-audit --no-fund
	@touch $@

$(FRONTEND)/dist/.built: $(FRONTEND)/node_modules/.installed $(FRONTEND_SOURCES)
	$(call step,frontend build)
	@cd $(FRONTEND) && $(QUIET) npm run build
	@touch $@

# --- run -------------------------------------------------------------------------------------

run: setup ## start the whole product on http://localhost:8000, restarting what exits (Ctrl-C stops it)
	@$(DEVENV) run

status: ## what `make run` supervises: state, pid, restarts, last exit of each process
	@$(DEVENV) status

services: setup ## only the embedded PostgreSQL and Valkey; prints `export` lines
	@$(DEVENV) services

migrate: setup ## alembic upgrade head on the development database
	@$(DEVENV) migrate

seed: setup ## load the development seed (idempotent)
	@$(DEVENV) seed

rotate-encryption-key: setup ## re-encrypt every NIK under ENCRYPTION_KEY (old keys in ENCRYPTION_KEY_PREVIOUS); CHECK=1 only reports
	@$(DEVENV) exec -- $(PY) -m shared.rotate_encryption_key $(if $(CHECK),--check)

# --- tests -----------------------------------------------------------------------------------

test: setup ## every suite: Python, API client freshness, frontend unit, browser
	@$(MAKE) test-python
	@$(MAKE) check-api
	@$(MAKE) test-frontend
	@$(MAKE) test-e2e
	@$(MAKE) soak-ci
	$(call step,all suites passed)

test-python: setup
	$(call step,Python tests (pytest))
	@rc=0; $(VENV)/bin/pytest -q || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; exit $$rc

check-api: setup
ifneq ($(HAS_FRONTEND),)
	$(call step,OpenAPI document and generated client are up to date)
	@tmp=$$(mktemp); trap 'rm -f $$tmp' EXIT; $(PY) -m api.openapi > $$tmp; \
	if ! cmp -s $$tmp $(FRONTEND)/openapi.json; then \
		echo "frontend/openapi.json is stale: run \`make openapi\` and commit the result" >&2; exit 1; fi
	@if $(call has_npm_script,check:api); then cd $(FRONTEND) && $(QUIET) npm run check:api; fi
endif

test-frontend: setup
	@if $(call has_npm_script,test); then \
		printf '\033[1m==>\033[0m %s\n' "frontend unit tests (vitest)"; cd $(FRONTEND) && npm test --silent; \
	else echo "no frontend unit tests (frontend/package.json has no test script): skipped"; fi

test-e2e: setup
	@if ! $(call has_npm_script,test:e2e); then \
		echo "no browser tests (frontend/package.json has no test:e2e script): skipped"; exit 0; fi; \
	if [ ! -x $(CHROMIUM) ]; then \
		if [ "$${CI:-}" = "true" ]; then echo "$(CHROMIUM) is missing and CI=true: browser tests cannot run" >&2; exit 1; fi; \
		echo "SKIPPED browser tests: $(CHROMIUM) is missing (apt-get install chromium, or set CHROMIUM_PATH)"; exit 0; fi; \
	printf '\033[1m==>\033[0m %s\n' "browser tests (headless Chromium)"; \
	$(DEVENV) e2e -- npm --prefix $(FRONTEND) run --silent test:e2e

# SOAK_MINUTES sets the length of `make soak`; the CI-sized run is longer than beat's old 300 s death.
SOAK_MINUTES ?= 30
SOAK_CI_MINUTES ?= 7.5

soak: setup ## the whole stack under an operator workload and faults for $(SOAK_MINUTES) min; prints the figures
	$(call step,soak test ($(SOAK_MINUTES) min))
	@$(PY) -m scripts.soak --minutes $(SOAK_MINUTES)

soak-ci: setup
	$(call step,soak test (CI-sized: $(SOAK_CI_MINUTES) min))
	@$(PY) -m scripts.soak --minutes $(SOAK_CI_MINUTES)

# FUZZ_EXAMPLES sets the fuzzing phase's examples per operation and role in `make fuzz`; the bounded run in
# `make test` (tests/fuzz/, collected by pytest) uses 3.
FUZZ_EXAMPLES ?= 200

fuzz: setup ## schemathesis over the whole OpenAPI document (FUZZ_EXAMPLES per operation, default 200); prints the figures
	$(call step,API fuzz: schemathesis with $(FUZZ_EXAMPLES) examples per operation and role)
	@FUZZ_MAX_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -q -p no:cacheprovider -o timeout=0 tests/fuzz

# --- other -----------------------------------------------------------------------------------

# Every Dockerfile in the tree (compose/*.Dockerfile and any other), so a new one is linted without a Makefile edit.
DOCKERFILES = $(shell find . \( -name node_modules -o -name .venv -o -name .tools -o -name .data -o -name .git \) \
	-prune -o -type f \( -name Dockerfile -o -name '*.Dockerfile' -o -name 'Dockerfile.*' \) -print | sort)

lint: setup ## ruff, the frontend typecheck, actionlint + zizmor (workflows), hadolint (Dockerfiles)
	$(call step,ruff)
	@$(VENV)/bin/ruff check .
	@if $(call has_npm_script,lint); then printf '\033[1m==>\033[0m %s\n' "frontend lint (npm run lint)"; \
		cd $(FRONTEND) && npm run --silent lint; fi
	$(call step,actionlint + zizmor (.github/workflows))
	@$(VENV)/bin/actionlint
	@$(VENV)/bin/zizmor --offline --quiet .github/workflows
	$(call step,hadolint ($(DOCKERFILES)))
	@$(VENV)/bin/hadolint $(DOCKERFILES)

next-version: setup ## dry run of the release job: the version HEAD would be released as on main (changes nothing)
	@scripts/next-version.sh

openapi: setup ## regenerate frontend/openapi.json and the typed client from the backend
	$(call step,OpenAPI document and typed client)
	@tmp=$$(mktemp); $(PY) -m api.openapi > $$tmp && mv $$tmp $(FRONTEND)/openapi.json
	@cd $(FRONTEND) && $(QUIET) npm run gen:api

bench: setup ## run every bench script in order (bench/__main__.py); all run, then it fails if any failed
	@$(DEVENV) exec -- $(PY) -m bench

# --- backup (README, "Backups") ------------------------------------------------------------------

backup: setup ## dump the database and the uploaded logos into .data/backups/ (BACKUP_KEEP_DAYS, BACKUP_RCLONE_REMOTE)
	@$(DEVENV) backup

restore: setup ## restore a set from `make backup` or compose: make restore FILE=.data/backups/x.dump [YES=1]
	@$(DEVENV) restore -- $(FILE) $(if $(YES),--yes)

clean: ## remove installed and built things (keeps .data)
	rm -rf $(VENV) .tools $(FRONTEND)/node_modules $(FRONTEND)/dist $(FRONTEND)/dev-dist

reset-data: ## stop embedded services and delete .data (all local data!)
	@if [ -x $(PY) ] && [ -d .data ]; then $(DEVENV) stop; fi
	rm -rf .data
