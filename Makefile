# The one command surface for people and CI. `make build` and `make test` set up everything
# they need on a fresh machine (a virtual environment in .venv, Chromium, Java, Node tools).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
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
# The content editor at /admin/, vendored into psp_static/admin (its local backend is in tools/cms).
DECAP_VERSION := 3.16.3
CMS_TOOLS := tools/cms
CMS_STAMP := $(CMS_TOOLS)/node_modules/.installed-$(shell cat $(CMS_TOOLS)/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
# ESLint for the site's own scripts, pinned by tools/lint/package-lock.json.
LINT_TOOLS := tools/lint
LINT_STAMP := $(LINT_TOOLS)/node_modules/.installed-$(shell cat $(LINT_TOOLS)/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: help setup build check check-site link-report links-issue content-style push-style changes test test-fast golden lint fmt clean vendor serve cms bench audit schemas system-deps

help:
	@echo "make build   - set up and build the site into output/ (STRICT=1, BASE_URL=...)"
	@echo "make schemas - write .schemas/ for editors' tools (make build and make serve do it too)"
	@echo "make check   - check the content without building (warnings count, as in pull requests)"
	@echo "make changes - what this branch changes against BASE=origin/main: pages, text diffs, screenshots"
	@echo "make check-site - check the built site in output/ (EXTERNAL=1 for external links)"
	@echo "make link-report - request every external link of output/; Markdown report in LINK_REPORT"
	@echo "make test    - set up and run every test (browser tests included)"
	@echo "make serve   - live preview on http://127.0.0.1:8000/ (another port: make serve PORT=8001)"
	@echo "make cms     - the preview plus the content editor at /admin/, saving to this working copy"
	@echo "make lint    - ruff, mypy (strict), the size limits (radon) and ESLint"
	@echo "make golden  - regenerate the golden output of the test fixture site"
	@echo "make bench   - print build and search benchmarks"
	@echo "make audit   - Lighthouse scores for key pages"
	@echo "make vendor  - refresh vendored front-end files from the npm registry"
	@echo "make clean   - remove output/, caches and the virtual environment"

$(STAMP): pyproject.toml constraints.txt
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# STRICT=1 makes warnings errors; BASE_URL=https://... builds for another address.
build: $(STAMP) schemas
	$(BIN)/psp-static build $(if $(STRICT),--strict) $(if $(BASE_URL),--base-url "$(patsubst %/,%,$(BASE_URL))/")

# The schemas editors' tools read (VS Code's YAML extension, through each file's first line and
# .vscode/settings.json), with this site's cohorts, areas, types, sizes, sponsors and sites.
schemas: $(STAMP)
	@$(BIN)/psp-static schema --out .schemas

# Check the content alone (CI runs this first: its errors appear on the changed lines, and all of
# them in the job summary). Warnings are problems too, as in every pull request.
check: $(STAMP)
	$(BIN)/psp-static check --strict --content content

# The content files in the project's YAML style (fields unchanged since AGAINST keep their text);
# CHECK=1 changes nothing and fails when a file is not.
AGAINST ?= HEAD
content-style: $(STAMP)
	$(BIN)/psp-static fmt $(if $(CHECK),--check) --content content --against "$(AGAINST)"

# (CI, on the content editor's cms/... branches) commit what `make content-style` changed, push it
# to HEAD_REF, and start the checks on that commit (a push made with the workflow token starts none).
push-style:
	@if git diff --quiet; then echo "The content files are in the project's YAML style."; exit 0; fi; \
	git config user.name "github-actions[bot]" && \
	git config user.email "41898282+github-actions[bot]@users.noreply.github.com" && \
	git commit -qam "psp-static fmt: the project's YAML style" && \
	git push origin "HEAD:$(HEAD_REF)" && \
	gh workflow run checks.yml --ref "$(HEAD_REF)"

# What a pull request changes, for its reviewers: builds BASE (a commit) beside output/ with this
# generator, then lists the pages added, removed and changed (with a text diff of each) in
# SUMMARY (the job summary in CI) and saves screenshots of them at 375 and 1280 px in changes/.
BASE ?= origin/main
SUMMARY ?= changes/summary.md
changes: $(STAMP) system-deps
	rm -rf .cache/base changes && mkdir -p .cache/base changes
	git archive "$(BASE)" content templates | tar -x -C .cache/base
	$(BIN)/psp-static build --content .cache/base/content --templates .cache/base/templates --output .cache/base/output
	$(BIN)/psp-static changes .cache/base/output output --summary "$(SUMMARY)" --screenshots changes

# Check the built site in output/: links, anchors, assets; EXTERNAL=1 requests every external link too.
check-site: $(STAMP)
	$(BIN)/psp-static check --output output $(if $(BASE_URL),--base-url "$(patsubst %/,%,$(BASE_URL))/") $(if $(EXTERNAL),--external)

# Nightly: request every external link of output/ and write what fails, with the content files and
# lines that hold it, as Markdown (an empty file when every link answers).
LINK_REPORT ?= broken-links.md
link-report: $(STAMP)
	$(BIN)/python -m psp_static.linkreport --output output --report $(LINK_REPORT)

# Nightly, in GitHub Actions (gh and GH_TOKEN): open, update or close the one broken-links issue.
links-issue:
	sh .github/scripts/broken-links-issue.sh $(LINK_REPORT)

PORT ?= 8000
serve: $(STAMP) schemas
	$(BIN)/psp-static serve --port $(PORT)

# The local backend of the content editor (decap-server), pinned by tools/cms/package-lock.json.
$(CMS_STAMP): $(CMS_TOOLS)/package.json $(CMS_TOOLS)/package-lock.json
	cd $(CMS_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@rm -f $(CMS_TOOLS)/node_modules/.installed-*
	@touch $@

cms: $(STAMP) system-deps $(CMS_STAMP)
	$(BIN)/psp-static serve --cms

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

# Only npm is needed here, so `make lint` does not wait for Chromium and Java.
$(LINT_STAMP): $(LINT_TOOLS)/package.json $(LINT_TOOLS)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd $(LINT_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@rm -f $(LINT_TOOLS)/node_modules/.installed-*
	@touch $@

# The tests' temporary folders, in memory where /dev/shm has room: a disk takes 5 to 10 s to
# delete the half gigabyte a run writes. A passed test's folder goes as it ends; a failed
# test's stays, until the next run, to be looked at.
TEST_TMP := $(shell avail=$$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $$4 }'); \
  [ "$${avail:-0}" -gt 4000000 ] && echo /dev/shm/psp-static-tests-$$(id -u))
PYTEST := $(BIN)/pytest -n 2 -q $(if $(TEST_TMP),--basetemp=$(TEST_TMP) -o tmp_path_retention_policy=failed)

# Every test, with the package's branch coverage reported at the end.
test: $(STAMP) system-deps $(TOOLS_STAMP) $(CMS_STAMP) lint
	$(PYTEST) --cov --cov-report=term

# Everything that needs neither Chromium, Java nor Node, nor much time: quick feedback while editing.
test-fast: $(STAMP)
	$(PYTEST) -m "not browser and not tools and not slow"

golden: $(STAMP)
	$(BIN)/python -m tests.golden

# Style, types, and size: no function over 60 lines or of complexity C or worse, no module
# over 300 lines (tests/sizes.py, with radon); ESLint's recommended rules over our own scripts.
lint: $(STAMP) $(LINT_STAMP)
	$(BIN)/ruff check psp_static tests build.py
	$(BIN)/ruff format --check psp_static tests build.py
	$(BIN)/mypy
	$(BIN)/python -m tests.sizes
	$(LINT_TOOLS)/node_modules/.bin/eslint --config $(LINT_TOOLS)/eslint.config.mjs psp_static/static/js

fmt: $(STAMP)
	$(BIN)/ruff format psp_static tests build.py
	$(BIN)/ruff check --fix psp_static tests build.py
	$(BIN)/psp-static fmt --content content

# Bytecode is compiled first, as an installed generator has it (this matters where
# PYTHONDONTWRITEBYTECODE is set: every run would compile the package again).
# Pelican and Hugo build the same content beside psp-static: Pelican in a virtual environment of
# its own (its pins never meet ours), Hugo from Debian.
PELICAN_VERSION := 4.12.0
bench: $(STAMP) system-deps
	@[ -x .cache/bench/pelican/bin/pelican ] || { $(PYTHON) -m venv .cache/bench/pelican && \
	  .cache/bench/pelican/bin/pip install --quiet 'pelican[markdown]==$(PELICAN_VERSION)'; }
	@command -v hugo >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
	$(BIN)/python -m compileall -q psp_static
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

LIGHTHOUSE_VERSION := 12.2.3
audit: $(STAMP) system-deps
	@[ -x .cache/lighthouse/node_modules/.bin/lighthouse ] || \
	  npm install --prefix .cache/lighthouse --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	$(BIN)/python -m tests.audit .cache/lighthouse/node_modules/.bin/lighthouse

clean:
	rm -rf output .output-* .cache .schemas $(VENV) $(TOOLS)/node_modules $(CMS_TOOLS)/node_modules $(LINT_TOOLS)/node_modules .pytest_cache .mypy_cache .ruff_cache

# Refresh vendored front-end files: USWDS (a compiled subset with system fonts), Leaflet, lunr.js
# and the U.S. state outlines. Needs npm and network access to the npm registry; the results are
# committed, so builds and tests never need npm for these.
VENDOR := psp_static/static/vendor
vendor:
	rm -rf .cache/vendor && mkdir -p .cache/vendor
	cd .cache/vendor && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
	  @uswds/uswds@$(USWDS_VERSION) leaflet@$(LEAFLET_VERSION) lunr@$(LUNR_VERSION) \
	  us-atlas@$(US_ATLAS_VERSION) topojson-client@$(TOPOJSON_VERSION) sass@$(SASS_VERSION) \
	  leaflet.markercluster@$(MARKERCLUSTER_VERSION) leaflet.featuregroup.subgroup@$(SUBGROUP_VERSION) \
	  decap-cms@$(DECAP_VERSION)
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
	rm -rf psp_static/admin/decap-cms && mkdir -p psp_static/admin/decap-cms
	D=.cache/vendor/node_modules/decap-cms; cp $$D/dist/decap-cms.js $$D/dist/[0-9]*.decap-cms.js $$D/dist/*.wasm \
	  psp_static/admin/decap-cms/ && cp $$D/dist/decap-cms.js.LICENSE.txt psp_static/admin/decap-cms/THIRD-PARTY-LICENSES.txt
	cp .cache/vendor/node_modules/decap-cms-lib-widgets/LICENSE psp_static/admin/decap-cms/LICENSE
	echo $(DECAP_VERSION) > psp_static/admin/decap-cms/VERSION
	printf 'uswds %s\nleaflet %s\nlunr %s\nus-atlas %s\ntopojson-client %s\nleaflet.markercluster %s\nleaflet.featuregroup.subgroup %s\n' \
	  $(USWDS_VERSION) $(LEAFLET_VERSION) $(LUNR_VERSION) $(US_ATLAS_VERSION) $(TOPOJSON_VERSION) \
	  $(MARKERCLUSTER_VERSION) $(SUBGROUP_VERSION) > $(VENDOR)/VERSIONS
