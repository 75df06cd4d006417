# Set-up, tests and demo. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLES := $(wildcard resources/examples/*.ashr)

.PHONY: all venv test lint demo clean bench schema package package-test

all: test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml setup.py engine/data/_hashscan.c
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check engine designer tests bench
	$(BIN)/ruff format --check engine designer tests bench
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

demo: $(STAMP)
	mkdir -p out
	$(BIN)/python -m engine validate $(EXAMPLES)
	@for f in $(EXAMPLES); do \
	  n=$$(basename $$f .ashr); \
	  $(BIN)/python -m engine render $$f -o out/$$n.pdf || exit 1; \
	  $(BIN)/python -c "import sys, pymupdf; pymupdf.open(sys.argv[1])[0].get_pixmap(dpi=110).save(sys.argv[2])" out/$$n.pdf out/$$n-page1.png || exit 1; \
	  echo "rendered out/$$n.pdf and out/$$n-page1.png"; \
	done
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "opening the designer"; \
	  $(BIN)/python -m designer resources/examples/invoices_by_country.ashr & \
	else \
	  echo "no display: not opening the designer (run: $(BIN)/python -m designer FILE)"; \
	fi

# Installers (docs/packaging.md): the PyInstaller folder dist/bundle/ashreports/, the portable
# dist/ashreports-*.tar.gz and the Debian package dist/ashreports_*.deb.
PACKAGE_STAMP := $(VENV)/.installed-package

$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	$(BIN)/python packaging/make_package.py all

# the slow tests: frozen programs, the .deb (lintian, install into a throw-away root)
package-test: $(PACKAGE_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m slow tests/packaging

# the peers' pinned libraries (bench/requirements.txt); the JasperReports comparison also
# needs java, javac and the SQLite JDBC driver, which pip cannot install (Debian/Ubuntu:
# apt-get install -y default-jdk-headless libxerial-sqlite-jdbc-java); without them the
# bench skips that comparison and says why
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python -m bench

clean:
	rm -rf out build dist .pytest_cache .ruff_cache .mypy_cache
