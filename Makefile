# Weft — `make run` opens the desktop app, `make test` runs every test layer.
# Both install what is missing first (Debian packages, npm packages, cargo tools) and are quick
# when nothing changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(HOME)/.cache/weft/target
export CARGO_TERM_COLOR ?= never
CACHE := $(HOME)/.cache/weft
BIN := $(CARGO_TARGET_DIR)/debug
WEFT := $(BIN)/weft
APP := $(BIN)/weft-desktop
export PATH := $(HOME)/.cargo/bin:$(PATH)

APT_PACKAGES := libwebkit2gtk-4.1-dev libsoup-3.0-dev libayatana-appindicator3-dev librsvg2-dev \
	libssl-dev libxdo-dev webkit2gtk-driver xvfb xauth imagemagick xclip build-essential pkg-config \
	chromium procps postgresql
# The installed-package test: find and drive the window (xdotool, xwininfo), and a session bus
# for the single-instance hand-over (dbus-run-session).
APT_PACKAGE_TEST := xdotool x11-utils dbus-daemon

# Packaging (`make package`): the release build bundled by Tauri's CLI (an npm package with its
# binary inside) into a .deb and an .rpm. Generated icons and the configuration overlay go to $(PKG).
RELEASE := $(CARGO_TARGET_DIR)/release
PKG := $(CACHE)/package
TAURI := $(CURDIR)/packaging/node_modules/.bin/tauri
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
DEB := $(RELEASE)/bundle/deb/Weft_$(VERSION)_amd64.deb
RPM := $(RELEASE)/bundle/rpm/Weft-$(VERSION)-1.x86_64.rpm
DEB_MAX_BYTES := 10000000
# What a package is made of: when none of these changed, `make package` does nothing.
PACKAGE_INPUTS := Cargo.toml Cargo.lock crates src-tauri ui/src ui/index.html ui/package-lock.json \
	ui/vite.config.ts workflows-templates assets packaging
# What the installed-package test checks beyond the code: `make test` runs it when these change.
PACKAGING_FILES := assets packaging src-tauri/tauri.conf.json src-tauri/Cargo.toml tests/package
# A short hash of the files (tracked or new, not ignored) under the paths given.
hash_of = git ls-files -co --exclude-standard -- $(1) | LC_ALL=C sort | \
	while IFS= read -r f; do [ -f "$$f" ] && echo "$$f"; done | xargs -d '\n' sha256sum | sha256sum | cut -c1-16


.PHONY: bench-canvas bench-runs bench-fleet run-fleet package package-build deps-package test-package test-package-if-changed \
	bench-footprint icons
.PHONY: help run test deps deps-apt deps-npm deps-tools build build-ui build-app fmt fmt-check lint \
	test-engine test-cli gen gen-check test-ui test-browser test-e2e bench screenshots clean

help:
	@echo "make run    — install what is missing, build, open the desktop app"
	@echo "make test   — install what is missing, run every test layer"
	@echo "layers: fmt-check lint test-engine test-ui test-browser test-e2e test-package; make bench for benchmarks"
	@echo "make package — the .deb and .rpm; make test-package — install, try and remove the .deb"

## ---- set-up ---------------------------------------------------------------------------------

deps: deps-apt deps-npm deps-tools

deps-apt:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# npm install only when the lock file changed since the last install.
deps-npm: ui/node_modules/.weft-installed
ui/node_modules/.weft-installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps-tools:
	@command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

## ---- build ----------------------------------------------------------------------------------

build: build-ui
	cargo build --workspace --bins

build-ui: deps-npm
	cd ui && npm run --silent build

build-app: build-ui
	cargo build -p weft-desktop -p weft-cli

## ---- run --------------------------------------------------------------------------------------

run: deps build-app
	@if [ -z "$${DISPLAY:-}" ]; then \
		echo "No DISPLAY: starting a virtual display :99 (Xvfb). Screenshot it with: DISPLAY=:99 import -window root shot.png"; \
		[ -S /tmp/.X11-unix/X99 ] || (Xvfb :99 -screen 0 1280x800x24 >/dev/null 2>&1 &); \
		for i in $$(seq 50); do [ -S /tmp/.X11-unix/X99 ] && break; sleep 0.2; done; \
		export DISPLAY=:99; \
	fi; \
	WEFT_TEMPLATES=$(CURDIR)/workflows-templates WEBKIT_DISABLE_DMABUF_RENDERER=1 $(APP)

## ---- test layers ------------------------------------------------------------------------------

test: deps fmt-check lint test-engine test-ui test-browser test-e2e test-package-if-changed
	@echo "make test: every layer passed"

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

# Clippy compiles the desktop shell, which embeds ui/dist: build the UI first.
lint: deps-npm build-ui
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run --silent lint

# Engine and CLI: unit, integration, property and end-to-end CLI tests (incl. kill -9 recovery),
# plus the check that committed schemas and TypeScript types are not stale. A throwaway
# PostgreSQL cluster (Debian's server, a temporary folder, a loopback port) runs beside them for
# the PostgreSQL conformance cases and the fleet tests; it is stopped and deleted afterwards.
test-engine: deps-apt
	@pgdir=$$(mktemp -d /tmp/weft-pg.XXXXXX); \
	trap 'tests/pg/cluster.sh stop '"$$pgdir" EXIT; \
	url=$$(tests/pg/cluster.sh start "$$pgdir" auto); \
	echo "PostgreSQL for the tests: $$url"; \
	WEFT_TEST_PG=$$url WEFT_TEST_PG_REQUIRED=1 \
		cargo nextest run --workspace --exclude weft-desktop --no-fail-fast

gen: build-ui
	cargo run -q -p weft-cli -- schema --out docs/schema
	cargo run -q -p weft-cli -- gen-ts --out ui/src/bridge/generated

test-ui: deps-npm
	cd ui && npm run --silent test

# The built UI in Debian's Chromium (@playwright/test) against the real engine: each test gets a
# fresh store and its own `weft serve --http 127.0.0.1:0` with an access token. Screenshots in
# docs/screenshots come from these runs.
test-browser: deps-npm build-ui
	cargo build -p weft-cli
	cd ui && WEFT_SKIP_BUILD=1 npm run --silent test:browser

# The desktop shell's own tests (bridge types up to date), then the real app under Xvfb driven
# through tauri-driver and WebKitWebDriver.
test-e2e: deps build-app
	cargo nextest run -p weft-desktop
	node tests/e2e/desktop.mjs

bench:
	cargo bench -p weft-engine

# Servers sharing a PostgreSQL store: 1, 2 and 4 `weft serve` (8 slots each) on a throwaway
# cluster, 10-step runs whose steps wait 50 ms on a local HTTP server, then with instant steps;
# runs per second and claim latency (see README). Not part of make test.
bench-fleet: deps-apt
	cargo build -p weft-cli
	WEFT=$(WEFT) tests/bench/fleet.sh

# A PostgreSQL database and three `weft serve` on it, to try by hand; Ctrl-C stops them all.
run-fleet: deps-apt
	cargo build -p weft-cli
	WEFT=$(WEFT) tests/bench/run-fleet.sh

# Runs history over a 1,000,000-run store in the real app (the store is made by `make bench`).
bench-runs: build-app
	node tests/bench/runs-history-1m.mjs

# Canvas: 1,000 and 5,000 activities all in view, opened, panned and zoomed in the desktop app's
# own webview (WebKitGTK through tauri-driver) and in Debian's Chromium (on a real `weft serve
# --http`), each beside a bare @xyflow/react page of the same file (ui/bench/). Not part of make test.
bench-canvas: deps build-app
	cd ui && npx vite build --config vite.bench.config.ts --logLevel error
	node ui/tests/bench/canvas-stress.mjs

## ---- packages -----------------------------------------------------------------------------

deps-package: packaging/node_modules/.weft-installed
packaging/node_modules/.weft-installed: packaging/package.json packaging/package-lock.json
	cd packaging && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Builds both packages unless they were built from exactly these inputs.
package: deps-apt deps-npm deps-package
	@h=$$($(call hash_of,$(PACKAGE_INPUTS))); \
	if [ -f $(DEB) ] && [ -f $(RPM) ] && [ "$$(cat $(PKG)/package.stamp 2>/dev/null)" = "$$h" ]; then \
		echo "packages up to date (inputs $$h):"; ls -l $(DEB) $(RPM); \
	else \
		$(MAKE) --no-print-directory package-build && echo "$$h" > $(PKG)/package.stamp; \
	fi

package-build: build-ui
	mkdir -p $(PKG)
	rm -rf $(PKG)/icons && $(TAURI) icon assets/icon.svg -o $(PKG)/icons >/dev/null
	node packaging/overlay.mjs $(PKG)/tauri.package.json $(PKG)/icons
	rm -f $(RELEASE)/bundle/deb/*.deb $(RELEASE)/bundle/rpm/*.rpm
	cd src-tauri && $(TAURI) build --ci --bundles deb,rpm --config $(PKG)/tauri.package.json
	packaging/xz-deb.sh $(DEB)
	@ls -l $(DEB) $(RPM)
	@size=$$(stat -c %s $(DEB)); if [ $$size -ge $(DEB_MAX_BYTES) ]; then \
		echo "the .deb is $$size bytes: over the $(DEB_MAX_BYTES) limit"; exit 1; fi

# The app icons of a development build (src-tauri/icons), from the same drawing as the packages'.
icons: deps-package
	$(TAURI) icon assets/icon.svg -o $(PKG)/icons-dev >/dev/null
	cp $(PKG)/icons-dev/{32x32.png,128x128.png,128x128@2x.png,icon.png,icon.ico} src-tauri/icons/

# Installs the .deb on this machine, tries the installed app and CLI as a person would, removes
# it (tests/package/installed.mjs). Needs root: it runs dpkg.
test-package: deps-tools package
	@missing=""; for p in $(APT_PACKAGE_TEST); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	dbus-run-session -- node tests/package/installed.mjs $(DEB)
	@mkdir -p $(CACHE) && $(call hash_of,$(PACKAGING_FILES)) > $(CACHE)/test-package.stamp

# `make test` runs the installed-package test only when the packaging files changed since it
# last passed on this machine (WEFT_TEST_PACKAGE=always or never overrides): it costs a release
# build.
test-package-if-changed:
	@h=$$($(call hash_of,$(PACKAGING_FILES))); mode=$${WEFT_TEST_PACKAGE:-changed}; \
	if [ "$$mode" = never ]; then echo "test-package: skipped (WEFT_TEST_PACKAGE=never)"; \
	elif [ "$$mode" != always ] && [ "$$(cat $(CACHE)/test-package.stamp 2>/dev/null)" = "$$h" ]; then \
		echo "test-package: packaging files unchanged since it last passed here ($$h); make test-package runs it"; \
	else $(MAKE) --no-print-directory test-package; fi

# Footprint of the release app beside a bare Tauri shell of the same version (tests/footprint/).
bench-footprint: package
	node tests/footprint/measure.mjs

clean:
	rm -rf ui/dist
