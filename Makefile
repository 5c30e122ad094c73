# The two commands of the README. Each creates .venv if missing and installs the project into it.
#   make report   execute every notebook headless and write reports/<name>.html + reports/index.html, then the
#                 course book: every lesson executed into book/index.html (offline site) + book/reports/
#   make test     run the whole test suite (plus a NUMBA_DISABLE_JIT=1 coverage pass over the kernels)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.workbench-installed

.PHONY: setup report test test-fast bench chromium clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,evm,dask,app,book,tune,qec]"
	@touch $(STAMP)

setup: $(STAMP)

report: $(STAMP)
	$(BIN)/python -m workbench.report --out reports
	$(BIN)/python -m workbench.report.book --out book

# Debian's chromium for the offline-render test (Playwright drives it; no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update >/dev/null && $$SUDO apt-get install -y --no-install-recommends chromium >/dev/null; }; }
	@command -v chromium >/dev/null

# two pytest-xdist workers (the machines have 2 cores), whole modules each: the smoke-report tests share one
test: $(STAMP) chromium
	$(BIN)/ruff check workbench tests benchmarks
	$(BIN)/ruff format --check workbench tests benchmarks
	WORKBENCH_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n 2 --dist loadfile
	NUMBA_DISABLE_JIT=1 $(BIN)/python -m pytest -q -m kernel -p no:cacheprovider -n 2 \
	  --cov --cov-report=term --cov-fail-under=0 tests
	$(BIN)/python -m coverage report --include='*/_kernels.py,*/_kernels/*.py' --fail-under=95

# quick inner loop: everything but notebook execution and the browser
test-fast: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks
	$(BIN)/python -m pytest -m "not notebook"

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	cd benchmarks && ../$(BIN)/python bench_net.py
	cd benchmarks && ../$(BIN)/python bench_startup.py
	cd benchmarks && ../$(BIN)/python bench_cdn.py
	cd benchmarks && ../$(BIN)/python bench_edge.py
	cd benchmarks && ../$(BIN)/python bench_quantum.py
	cd benchmarks && ../$(BIN)/python bench_compiler.py
	cd benchmarks && ../$(BIN)/python bench_chain.py
	cd benchmarks && ../$(BIN)/python bench_ai.py

clean:
	rm -rf reports book book-student .book-source .book-student-source .pytest_cache .hypothesis .coverage htmlcov
