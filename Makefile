# Ripple's task runner. `make demo` and `make test` are the README's two commands.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_KEY := .ripple/demo.key
SAMPLE_CONFIG := data/sample/ripple.yml
PORT ?= 8501

.PHONY: install demo run-sample test lint bench sample clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

$(DEMO_KEY): | $(STAMP)
	@mkdir -p $(dir $(DEMO_KEY))
	$(BIN)/ripple keygen -o $(DEMO_KEY)
	@echo "Created a DEMO pseudonymisation key at $(DEMO_KEY) (git-ignored). Never use it for real data: run 'ripple keygen' and keep that key safe."

run-sample: $(STAMP) $(DEMO_KEY)
	RIPPLE_KEY_FILE=$(DEMO_KEY) $(BIN)/ripple run -c $(SAMPLE_CONFIG) --rebuild

demo: run-sample
	$(BIN)/ripple dashboard -c $(SAMPLE_CONFIG) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py
	$(BIN)/python bench/dashboard_bench.py

# Regenerate the committed sample exports (seeded, so the output is identical each time).
sample: $(STAMP)
	$(BIN)/python data/sample/generate.py

clean:
	rm -rf out .pytest_cache .ruff_cache
