# The public interface of the project: `make run`, `make check`, `make test`, `make bench`.
# Everything a command needs is installed by that command (uv from PyPI, then the locked
# environment from uv.lock), so both work on a fresh clone with only Python 3.11 present.
# The environment is installed with compiled bytecode: where PYTHONDONTWRITEBYTECODE is set
# (this machine, many containers) every process would otherwise compile Streamlit, Altair and
# polars from source at start, 2 s per process (the app, each SQL-werkbank worker, each test
# worker).

PYTHON ?= python3
UV := $(PYTHON) -m uv
LAKE ?= lake
SAMPLE := $(LAKE)/sample
SCALE ?= 1
SEED ?= 2026

.PHONY: install browser pdftools run lake check test lint bench clean

install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet --compile-bytecode

# The browser tests drive Debian's chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "chromium installeren (Debian-pakket) voor de browsertests ..."; \
		apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }

# The report tests read the PDFs back with poppler (pdftotext, pdfinfo, pdftoppm); the report
# itself needs none of it (docs/rapport.md).
pdftools:
	@command -v pdftotext >/dev/null 2>&1 || { \
		echo "poppler-utils installeren (Debian-pakket) voor de rapporttests ..."; \
		apt-get update -qq >/dev/null && apt-get install -y -qq poppler-utils >/dev/null; }

# The demo lake: the bundled sample generator's exports, loaded like real ones. The sample is
# written once (deterministic per seed); loading it again is a no-op that says so.
$(SAMPLE)/.klaar:
	$(UV) run vthmonitor sample --out $(SAMPLE) --scale $(SCALE) --seed $(SEED)
	@touch $@

lake: install $(SAMPLE)/.klaar
	$(UV) run vthmonitor load $(SAMPLE) --lake $(LAKE)
	@echo "De voorbeelddata bevatten met opzet fouten (onbekende deelnemers, onmogelijke datums, dubbele sleutels ...): de regels in quarantaine zijn bedoeld en staan op de pagina Datakwaliteit."

# Demo mode (fixed demo users, no login) unless .streamlit/secrets.toml configures a provider.
run: lake
	VTHMONITOR_DEMO=1 $(UV) run vthmonitor serve --lake $(LAKE) --port 8501

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

# The fast lane (docs/testen.md): lint, then every test not marked slow or browser, on both cores;
# a file's tests stay in one worker, so its module-scoped loads are built once.
check: lint pdftools
	$(UV) run pytest -n 2 --dist loadfile -m "not slow and not browser" -q

test: lint browser pdftools
	$(UV) run pytest

bench: install browser
	$(UV) run python -m tests.bench

clean:
	rm -rf $(LAKE)/landing $(LAKE)/raw $(LAKE)/warehouse $(LAKE)/CURRENT $(LAKE)/.tmp $(SAMPLE)
