# Regional Network Planner: `make run` opens the app, `make test` runs every test offscreen.
# Both create .venv and install what they need on a fresh Debian machine (as root or not).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SAMPLE ?= sample_regions/yorkshire_and_humber.json

# OS libraries Qt needs: offscreen (tests) and on a desktop (xcb), plus fonts so text is drawn.
QT_OFFSCREEN_DEBS := libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 fonts-dejavu-core
QT_DESKTOP_DEBS   := $(QT_OFFSCREEN_DEBS) libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
                     libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0

.PHONY: run test lint format screenshot bench dist dist-check clean os-deps-offscreen os-deps-desktop

run: $(VENV)/.installed-run os-deps-desktop
	$(VENV)/bin/planner $(SAMPLE)

test: $(VENV)/.installed-test os-deps-offscreen
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	$(PY) -m ruff check planner tests bench

lint: $(VENV)/.installed-test
	$(PY) -m ruff check planner tests bench
	$(PY) -m ruff format --check planner tests bench

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix planner tests bench
	$(PY) -m ruff format planner tests bench

bench: $(VENV)/.installed-test
	$(PY) bench/speed.py

screenshot: $(VENV)/.installed-test os-deps-offscreen
	QT_QPA_PLATFORM=offscreen $(PY) -m planner.ui.screenshot docs/screenshot.png

# The one-folder desktop build, dist/planner/planner (PyInstaller, planner.spec). The X11 libraries Qt needs are
# installed first (as root) so that they are bundled: the folder then starts on a desktop that lacks them.
# PyInstaller reads and strips binaries with binutils (objdump, strip).
dist: $(VENV)/.installed-dist os-deps-desktop
	@$(MAKE) -s --no-print-directory _os-deps DEBS="binutils"
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller planner.spec

# Builds, then runs the built program headless: --version, design, export, the window; its size and start time.
dist-check: dist
	$(PY) bench/dist_check.py dist/planner

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	    $(PYTHON) -m venv $(VENV); \
	  else echo "Cannot create a virtual environment: install python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-dist: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[dist]'
	touch $@ $(VENV)/.installed-run

os-deps-offscreen:
	@$(MAKE) -s --no-print-directory _os-deps DEBS="$(QT_OFFSCREEN_DEBS)"

os-deps-desktop:
	@$(MAKE) -s --no-print-directory _os-deps DEBS="$(QT_DESKTOP_DEBS)"

# Installs the missing Debian packages when root; otherwise says which to install.
_os-deps:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing OS libraries for Qt:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "Qt may need these OS packages:$$missing (sudo apt-get install$$missing)"; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info
