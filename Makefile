# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: translations screenshots run test lint typecheck imports pytest bench sysdeps-run sysdeps-test venv clean package

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dvc-desk needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,package,sandbox]'
	touch $(STAMP)

venv: $(STAMP)

sysdeps-run:
	DVC_DESK_OCR=$(DVC_DESK_OCR) bash scripts/system-deps.sh run

sysdeps-test:
	bash scripts/system-deps.sh test

# UI translations: the .ts sources (Qt Linguist) are committed, the .qm files are built.
TS_FILES := $(wildcard resources/translations/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# After changing strings in ui/: refresh the .ts files, then translate the new entries.
translations: $(STAMP)
	for ts in $(TS_FILES); do \
	  $(BIN)/pyside6-lupdate -silent -no-obsolete -locations none $$(find ui -name '*.py' | sort) -ts $$ts || exit 1; \
	done

run: sysdeps-run $(STAMP) $(QM_FILES)
	$(BIN)/dvc-desk

# PNGs of the main screens with realistic Vietnamese data, for README.md and docs/ui.md.
screenshots: sysdeps-run $(STAMP) $(QM_FILES)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict desktop
	$(BIN)/mypy --strict ui
	$(BIN)/mypy --strict portal_sandbox

imports: $(STAMP)
	$(BIN)/lint-imports

# pytest exits 5 when it collected no test: for this project that is a broken suite.
pytest: $(STAMP)
	@QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; exit 1; fi; \
	exit $$rc

test: sysdeps-test $(STAMP) lint typecheck imports pytest

# The one-folder app in dist/dvc-desk/ (PyInstaller, from the `package` extra that the
# venv gets with the test tools; docs/packaging.md). About a minute on 2 cores.
package: $(STAMP) $(QM_FILES)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/dvc-desk.spec
	@du -sh dist/dvc-desk

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
