# The front door. `make serve` runs the whole product locally; `make test` runs every test.
# Both create .venv/ from the pinned lock file on first use.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: feedback serve test unit integration e2e docs docs-serve docs-check translations bench lighthouse lint deploy clean browser node tools

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $@

# Infrastructure tools, each in its own virtual environment from its own lock (checkov pins an old
# boto3; the SAM CLI pins its own aws-sam-translator).
TOOLS := .local/tools
CHECKOV_STAMP := $(TOOLS)/checkov/.installed
SAM_STAMP := $(TOOLS)/sam/.installed

$(TOOLS)/%/.installed: infra/tools/%.txt | $(VENV)/.installed
	rm -rf $(TOOLS)/$*
	$(PYTHON) -m venv $(TOOLS)/$*
	$(VENV)/bin/uv pip sync --quiet --python $(TOOLS)/$*/bin/python $<
	touch $@

## tools: checkov and the SAM CLI for the infrastructure checks (make test and make lint install them)
tools: $(CHECKOV_STAMP) $(SAM_STAMP)

## serve: the site, the API and a local DynamoDB with demo data on http://127.0.0.1:$(PORT)
##   PAYMENT_PROVIDER=stripe: card payments against the local Stripe stand-in (not Stripe) instead of the sandbox
serve: $(VENV)/.installed
	$(PY) -m devstack --port $(PORT) $(DATA)

## test: the lint, then every test (unit, docs, integration, browser) with coverage; installs Chromium and Node if missing
test: $(VENV)/.installed browser node tools lint
	$(PY) -m pytest --cov --cov-report=term:skip-covered tests

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit tests/docs

integration: $(VENV)/.installed tools
	$(PY) -m pytest tests/integration

e2e: $(VENV)/.installed browser
	$(PY) -m pytest tests/e2e

# Node.js runs the search engine, the CloudFront functions and Lighthouse in the tests.
node:
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  echo "Installing Debian's nodejs and npm for the JavaScript tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium and fonts for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium fonts-noto-core fonts-thai-tlwg >/dev/null; \
	fi

## docs: build the static site into site/ (strict: broken links and warnings fail)
docs: $(VENV)/.installed
	$(PY) -m mkdocs build --strict

## docs-serve: live-reloading preview for writers on http://127.0.0.1:8001
docs-serve: $(VENV)/.installed
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8001 --livereload

docs-check: $(VENV)/.installed
	$(PY) -m mkdocs build --strict --site-dir .local/site-check
	$(PY) -m pytest tests/docs

## translations: per language, which pages are missing or stale (English changed since, by git history)
translations: $(VENV)/.installed
	$(PY) tools/translation_status.py

## feedback: writers' report of "Was this helpful?" votes, comments and searches that found nothing
##   from the running `make serve` on $(PORT); `make feedback AWS=1` reads TABLE_NAME in your AWS account
feedback: $(VENV)/.installed
	$(PY) tools/feedback_report.py $(if $(AWS),,--local http://127.0.0.1:$(PORT))

## bench: cold start, first request and warm cost of every HTTP handler; site build; local stack under load; search hit rate and scale
bench: $(VENV)/.installed browser
	$(PY) benchmarks/handlers.py
	/usr/bin/time -f "Site build: %e s wall, %U s CPU (target <= 15 s)" $(PY) -m mkdocs build --quiet --site-dir .local/site-bench
	$(PY) benchmarks/load.py --site-dir .local/site-bench
	$(PY) benchmarks/search.py .local/site-bench
	$(PY) benchmarks/search.py --scale

## lighthouse: mobile Lighthouse scores and page weight of every page of every language (~10 min)
lighthouse: $(VENV)/.installed browser docs
	$(PY) benchmarks/lighthouse.py site

## lint: ruff, mypy (functions/, devstack/, importer/, hooks/, tools/, benchmarks/, tests/), then the template: cfn-lint on it and
##   its SAM translation, checkov on the translation, sam validate --lint
lint: $(VENV)/.installed tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) tools/template_scan.py
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=us-east-1 $(TOOLS)/sam/bin/sam validate --lint --template-file infra/template.yaml

## deploy: build the functions (with .pyc files) and deploy with the SAM CLI (needs AWS credentials);
##   SANDBOX_DEMO=yes deploys a demo (sandbox provider, demo banner and test cards on the site)
deploy: $(VENV)/.installed docs
	@case "$${SITE_URL:-}" in https://*/) ;; *) echo "Set SITE_URL to the site's public address, e.g. SITE_URL=https://help.example.com/"; exit 1;; esac
	@# the same address builds the site (hreflang, sitemap) and every e-mail link (SiteDomainName -> SITE_URL)
	sam build --template-file infra/template.yaml
	$(PY) -m compileall -q --invalidation-mode unchecked-hash .aws-sam/build
	sam deploy --guided --parameter-overrides SiteDomainName=$$(echo "$${SITE_URL}" | cut -d/ -f3) \
	  $(if $(filter yes,$(SANDBOX_DEMO)),PaymentProvider=sandbox SandboxDemo=yes)
	$(PY) infra/publish_site.py --stack $${STACK:-helpcenter}

clean:
	rm -rf site .local .aws-sam .pytest_cache .hypothesis .benchmarks
