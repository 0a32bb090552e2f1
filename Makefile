# The one command surface for people and CI. `make build` and `make test` set up everything
# they need on a fresh machine (a virtual environment in .venv, Chromium, Java, Node tools).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
TOOLS := tests/tools
TOOLS_STAMP := $(TOOLS)/node_modules/.installed-$(shell cat $(TOOLS)/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
# Run apt-get as root directly, otherwise through sudo (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Front-end versions vendored into psp_static/static/vendor (refresh with `make vendor`).
USWDS_VERSION := 3.14.0
LEAFLET_VERSION := 1.9.4
LUNR_VERSION := 2.3.9
US_ATLAS_VERSION := 3.0.1
TOPOJSON_VERSION := 3.1.0
MARKERCLUSTER_VERSION := 1.5.3
SUBGROUP_VERSION := 1.0.2
SASS_VERSION := 1.108.2

.PHONY: help setup build test test-fast golden lint fmt clean vendor serve bench audit schemas system-deps

help:
	@echo "make build   - set up and build the site into output/"
	@echo "make test    - set up and run every test (browser tests included)"
	@echo "make serve   - live preview on http://127.0.0.1:8000/ (another port: make serve PORT=8001)"
	@echo "make lint    - ruff and mypy (strict)"
	@echo "make golden  - regenerate the golden output of the test fixture site"
	@echo "make bench   - print build and search benchmarks"
	@echo "make audit   - Lighthouse scores for key pages"
	@echo "make vendor  - refresh vendored front-end files from the npm registry"
	@echo "make clean   - remove output/, caches and the virtual environment"

$(STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

build: $(STAMP)
	$(BIN)/psp-static build

PORT ?= 8000
serve: $(STAMP)
	$(BIN)/psp-static serve --port $(PORT)

# Chromium for the browser tests, Java for the HTML validator, npm for the Node tools.
system-deps:
	@missing=""; \
	command -v $(CHROMIUM) >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(TOOLS_STAMP): $(TOOLS)/package.json $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@rm -f $(TOOLS)/node_modules/.installed-*
	@touch $@

test: $(STAMP) system-deps $(TOOLS_STAMP) lint
	$(BIN)/pytest -n 2 -q

# Everything but the browser and validator tests: quick feedback while editing code.
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not browser and not slow"

golden: $(STAMP)
	$(BIN)/python -m tests.golden

lint: $(STAMP)
	$(BIN)/ruff check psp_static tests build.py
	$(BIN)/ruff format --check psp_static tests build.py
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format psp_static tests build.py
	$(BIN)/ruff check --fix psp_static tests build.py

# Bytecode is compiled first, as an installed generator has it (this matters where
# PYTHONDONTWRITEBYTECODE is set: every run would compile the package again).
bench: $(STAMP) system-deps
	$(BIN)/python -m compileall -q psp_static
	$(BIN)/python -m tests.bench

LIGHTHOUSE_VERSION := 12.2.3
audit: $(STAMP) system-deps
	@[ -x .cache/lighthouse/node_modules/.bin/lighthouse ] || \
	  npm install --prefix .cache/lighthouse --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	$(BIN)/python -m tests.audit .cache/lighthouse/node_modules/.bin/lighthouse

clean:
	rm -rf output .output-* .cache $(VENV) $(TOOLS)/node_modules .pytest_cache .mypy_cache .ruff_cache

# Refresh vendored front-end files: USWDS (a compiled subset with system fonts), Leaflet, lunr.js
# and the U.S. state outlines. Needs npm and network access to the npm registry; the results are
# committed, so builds and tests never need npm for these.
VENDOR := psp_static/static/vendor
vendor:
	rm -rf .cache/vendor && mkdir -p .cache/vendor
	cd .cache/vendor && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
	  @uswds/uswds@$(USWDS_VERSION) leaflet@$(LEAFLET_VERSION) lunr@$(LUNR_VERSION) \
	  us-atlas@$(US_ATLAS_VERSION) topojson-client@$(TOPOJSON_VERSION) sass@$(SASS_VERSION) \
	  leaflet.markercluster@$(MARKERCLUSTER_VERSION) leaflet.featuregroup.subgroup@$(SUBGROUP_VERSION)
	rm -rf $(VENDOR)/uswds/css $(VENDOR)/uswds/img $(VENDOR)/leaflet $(VENDOR)/lunr $(VENDOR)/us-atlas
	mkdir -p $(VENDOR)/uswds/css $(VENDOR)/uswds/img/usa-icons $(VENDOR)/uswds/img/usa-icons-bg $(VENDOR)/leaflet $(VENDOR)/lunr $(VENDOR)/us-atlas
	.cache/vendor/node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
	  --load-path=.cache/vendor/node_modules/@uswds/uswds/packages $(VENDOR)/uswds/uswds-theme.scss $(VENDOR)/uswds/css/uswds.min.css
	# Copy only the images the compiled CSS refers to, plus the banner's and identifier's.
	U=.cache/vendor/node_modules/@uswds/uswds/dist; \
	for f in $$(grep -o 'url("\.\./img/[^"]*")' $(VENDOR)/uswds/css/uswds.min.css | sed 's/url("\.\.\/img\///; s/")//' | sort -u) \
	  us_flag_small.png icon-dot-gov.svg icon-https.svg; do cp $$U/img/$$f $(VENDOR)/uswds/img/$$f; done; \
	cp .cache/vendor/node_modules/@uswds/uswds/LICENSE.md $(VENDOR)/uswds/LICENSE.md
	L=.cache/vendor/node_modules/leaflet; cp $$L/dist/leaflet.js $$L/dist/leaflet.css $$L/LICENSE $(VENDOR)/leaflet/ && cp -r $$L/dist/images $(VENDOR)/leaflet/images
	cp .cache/vendor/node_modules/lunr/lunr.min.js .cache/vendor/node_modules/lunr/LICENSE $(VENDOR)/lunr/
	A=.cache/vendor/node_modules/us-atlas; cp $$A/states-10m.json $$A/states-albers-10m.json $$A/LICENSE $(VENDOR)/us-atlas/
	rm -rf $(VENDOR)/topojson-client && mkdir -p $(VENDOR)/topojson-client
	T=.cache/vendor/node_modules/topojson-client; cp $$T/dist/topojson-client.min.js $$T/LICENSE $(VENDOR)/topojson-client/
	rm -rf $(VENDOR)/leaflet.markercluster $(VENDOR)/leaflet.featuregroup.subgroup
	mkdir -p $(VENDOR)/leaflet.markercluster $(VENDOR)/leaflet.featuregroup.subgroup
	M=.cache/vendor/node_modules/leaflet.markercluster; cp $$M/dist/leaflet.markercluster.js $$M/dist/MarkerCluster.css \
	  $(VENDOR)/leaflet.markercluster/ && cp $$M/MIT-LICENCE.txt $(VENDOR)/leaflet.markercluster/LICENSE
	S=.cache/vendor/node_modules/leaflet.featuregroup.subgroup; cp $$S/dist/leaflet.featuregroup.subgroup.js $$S/LICENSE \
	  $(VENDOR)/leaflet.featuregroup.subgroup/
	printf 'uswds %s\nleaflet %s\nlunr %s\nus-atlas %s\ntopojson-client %s\nleaflet.markercluster %s\nleaflet.featuregroup.subgroup %s\n' \
	  $(USWDS_VERSION) $(LEAFLET_VERSION) $(LUNR_VERSION) $(US_ATLAS_VERSION) $(TOPOJSON_VERSION) \
	  $(MARKERCLUSTER_VERSION) $(SUBGROUP_VERSION) > $(VENDOR)/VERSIONS
