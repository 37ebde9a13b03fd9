# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint fmt vendor bench bench-quick clean logs

setup: $(VENV)/.installed vendor

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

# htmx, its SSE extension and uPlot (charts) come from the npm registry and are vendored into static/vendor (no CDN
# at run time). The copies are committed, so a machine without npm still gets a working page.
vendor:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent && \
		cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js && \
		cp node_modules/htmx-ext-sse/dist/sse.js static/vendor/htmx-ext-sse.js && \
		cp node_modules/uplot/dist/uPlot.iife.min.js static/vendor/uplot.iife.min.js && \
		cp node_modules/uplot/dist/uPlot.min.css static/vendor/uplot.min.css && \
		cp node_modules/uplot/LICENSE static/vendor/uplot.LICENSE; \
	else echo "npm not found: using the committed static/vendor files"; fi

run: setup
	$(BIN)/python bin/run.py

# `make run` on the recorded sample responses (no network, no credentials), labelled "demo data";
# its own database and Redis under var/demo/.
demo: setup
	$(BIN)/python bin/demo.py

# Follow the logs of a running `make run` (bin/run.py writes each process's output to var/log/ so the
# URL and login stay the last lines of its terminal). `make logs KP_VAR_DIR=var/demo` for `make demo`.
LOG_DIR = $(or $(KP_VAR_DIR),var)/log
logs:
	@mkdir -p $(LOG_DIR)
	tail -n 50 -F $(LOG_DIR)/web.log $(LOG_DIR)/worker.log $(LOG_DIR)/beat.log $(LOG_DIR)/system.log

test: setup
	$(BIN)/python bin/test.py $(ARGS)

# Figures, not assertions (not part of `make test` or CI). Needs DATABASE_URL=postgres://… : the
# suite creates and drops its own database (bench_kalshi_predictions) on that server and writes
# bench/results/<date>-<scale>.json. bench-quick is a tenth of the data and takes a few minutes.
# Its own Redis database too (db 14 on the local Redis unless REDIS_URL says otherwise): without one, the
# pages would be timed on the cache's database fallback.
bench bench-quick: export REDIS_URL ?= redis://127.0.0.1:6379/14
bench: setup
	$(BIN)/python manage.py bench_backtest
	$(BIN)/python manage.py bench --scale full

bench-quick: setup
	$(BIN)/python manage.py bench --scale quick

# ruff, then the import-linter contracts of pyproject.toml (the one-way app layers).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var node_modules
