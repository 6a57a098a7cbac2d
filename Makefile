# Two commands from a fresh clone: `make run` and `make test`. Both bootstrap uv (with pip, if it
# is missing) and install the locked environment; nothing else is needed but Python 3.11+.
SHELL := /bin/bash
PYTHON ?= python3
# uv on PATH, else the one pip installs for $(PYTHON) (run as a module, wherever pip put it).
UV ?= $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export SCARF_ANALYTICS := false

.PHONY: help setup run serve ui test dq-report bench distributed-check clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup:  ## install uv if missing, then the locked environment (.venv) from uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen

run: setup  ## run the whole pipeline through Airflow on the bundled samples (INPUT=dir for your own)
	$(UV) run --frozen chanye run $(if $(INPUT),--input "$(INPUT)")

serve: setup  ## Airflow's scheduler and UI on this machine (PORT=8080); scheduled runs read data/inbox; Ctrl-C stops
	$(UV) run --frozen chanye serve --port $(or $(PORT),8080)

ui: setup  ## the analysts' web app on http://127.0.0.1:8501 (PORT=… to change), on the published warehouse
	$(UV) run --frozen chanye ui $(if $(PORT),--port $(PORT))

test: setup  ## run the whole test suite (installs Chromium and CJK fonts for the browser tests when absent), then print the data-quality report
	bash scripts/ensure_browser.sh
	$(UV) run --frozen pytest
	$(UV) run --frozen chanye dq-report

dq-report: setup  ## data-quality report on the samples (and ../shared/seeds when present)
	$(UV) run --frozen chanye dq-report

bench: setup  ## benchmarks (writes bench/results/)
	$(UV) run --frozen python bench/run_bench.py

distributed-check: setup  ## the DAG on Celery with two workers (installs Redis/PostgreSQL from Debian when absent; ARGS=--s3-lake: the lake on S3)
	$(UV) run --frozen --extra distributed python scripts/distributed_check.py $(ARGS)

clean:  ## remove everything runs wrote (lake, warehouse, Airflow DB, reports)
	rm -rf data/lake data/warehouse data/airflow data/gx data/reports data/logs data/spill dbt_project/target
