# fiscalpdf. Every target builds its own environment first: .venv/ in this folder, pinned by constraints.txt,
# so a fresh machine with only Python builds what CI tested.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The environment is rebuilt when what it is built from changes: the stamp is named by the hash of
# pyproject.toml and constraints.txt, not by file dates, so a fresh clone that reuses a built environment
# (`make test VENV=/path/to/.venv`, as .ci/run does) finds it up to date instead of reinstalling into it. The C
# source of the page reader is hashed too: the editable install compiles it once, and a changed source must rebuild.
DEPS_HASH := $(shell cat pyproject.toml constraints.txt extract/_page_reader.c | $(PYTHON) -c "import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:12])")
STAMP := $(VENV)/.installed-$(DEPS_HASH)
# The batch over a year's PDFs: `make year YEAR=2020` (or `make 2020`) reads $(PDF_ROOT)/2020 and writes $(OUT).
PDF_ROOT ?= pdfs
OUT ?= out
WORKERS ?=
YEAR ?=

.PHONY: setup run test lint samples clean year bench ocr-bench fuzz docs

# $(call make_venv,DIR,EXTRAS): DIR/ created with fiscalpdf installed editable with EXTRAS, pinned by constraints.txt.
# Set-up is quiet: pip's output goes to DIR/setup.log, printed only when a step fails.
COMMA := ,
define make_venv
	@rm -f $(1)/.installed*
	@$(PYTHON) -m venv $(1)
	@$(1)/bin/python -m pip install --quiet --disable-pip-version-check "pip==26.3" > $(1)/setup.log 2>&1 \
		|| { cat $(1)/setup.log; echo "set-up failed (log: $(1)/setup.log)"; exit 1; }
	@PIP_CONSTRAINT="$(CURDIR)/constraints.txt" $(1)/bin/python -m pip install --quiet --disable-pip-version-check \
		-e ".[$(2)]" >> $(1)/setup.log 2>&1 || { cat $(1)/setup.log; echo "set-up failed (log: $(1)/setup.log)"; exit 1; }
endef

$(STAMP):
	@echo "setting up $(VENV)/ with the pinned versions of constraints.txt (a few minutes, once)"
	$(call make_venv,$(VENV),samples$(COMMA)test$(COMMA)ocr)
	@touch $(STAMP)

# The benchmarks measure fiscalpdf as a user installs it (`pip install fiscalpdf[ocr]`; the samples extra rasterises
# the samples for OCR), in an environment of their own: the test and notebook extras add matplotlib, which camelot
# imports when it is there (camelot.plotting) and a user's install lacks — ~0.3 s more in every process that runs a
# fallback, charged to fiscalpdf and to the camelot baseline alike.
BENCH_VENV ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-$(DEPS_HASH)
$(BENCH_STAMP):
	@echo "setting up $(BENCH_VENV)/ for the benchmarks: fiscalpdf with its ocr and samples extras (once)"
	$(call make_venv,$(BENCH_VENV),samples$(COMMA)ocr)
	@touch $(BENCH_STAMP)

setup: $(STAMP)

## make run: set up, then extract the bundled samples into out/ and print what was found, then what out/ holds
## (a second `make run` skips what is done and still shows what out/ holds)
run: setup
	@$(BIN)/fiscalpdf run samples --out $(OUT)
	@$(BIN)/fiscalpdf report --out $(OUT) --totals

## make test: set up, the lint gate, then the test suite (slowest tests are printed)
test: setup lint
	$(BIN)/python -m pytest

## make lint: ruff (pyflakes, pycodestyle, import order; settings in pyproject.toml)
lint: setup
	$(BIN)/ruff check .

## make year YEAR=2020: the batch over $(PDF_ROOT)/2020 into $(OUT) (resumable: a rerun skips what is done)
year: setup
	@test -n "$(YEAR)" || { echo "usage: make year YEAR=2020 [PDF_ROOT=pdfs] [OUT=out] [WORKERS=n]"; exit 2; }
	@test -d "$(PDF_ROOT)/$(YEAR)" || { echo "no folder $(PDF_ROOT)/$(YEAR): put that year's PDFs there or set PDF_ROOT"; exit 2; }
	$(BIN)/fiscalpdf run "$(PDF_ROOT)/$(YEAR)" --out "$(OUT)" $(if $(WORKERS),--workers $(WORKERS))
	$(BIN)/fiscalpdf report --out "$(OUT)" --totals

## make 2020 (any year 2000-2099): the same as make year YEAR=2020
20%:
	$(MAKE) year YEAR=$@

## make bench: the benchmarks (not tests): figures printed and written to benchmarks/results/; the batch and speed
## figures are of text layers (OCR off), OCR's seconds per page and peak memory come apart (the samples at 200 dpi)
bench: $(BENCH_STAMP)
	mkdir -p benchmarks/results
	$(BENCH_VENV)/bin/python benchmarks/batch.py --json benchmarks/results/batch.json
	$(BENCH_VENV)/bin/python benchmarks/speed.py --json benchmarks/results/speed-latest.json
	$(BENCH_VENV)/bin/python benchmarks/ocr_matrix.py --dpi 200 --corpus none --json benchmarks/results/ocr-bench.json

## make ocr-bench: OCR's accuracy and cost (not a test; ~25 minutes on two cores): the samples rasterised at 150,
## 200 and 300 dpi and the corpus's golden pages at 200 dpi, read by OCR; prints the share of amounts read exactly per
## resolution and every amount not read exactly, with whether an identity caught it (written to benchmarks/results/)
ocr-bench: $(BENCH_STAMP)
	mkdir -p benchmarks/results
	$(BENCH_VENV)/bin/python benchmarks/ocr_matrix.py --json benchmarks/results/ocr-matrix.json

## make fuzz: mutate the samples byte-wise for FUZZ_SECONDS (default 600) and check every mutant ends classified
FUZZ_SECONDS ?= 600
fuzz: setup
	$(BIN)/python -m tests.fuzz.fuzz_pdfs --seconds $(FUZZ_SECONDS)

## make docs: regenerate docs/DATA_DICTIONARY.md from the code (a test fails while it is out of date)
docs: setup
	$(BIN)/python -m fiscalpdf.dictionary docs/DATA_DICTIONARY.md

## make samples: regenerate samples/*.pdf, their truth files and tests/data (deterministic)
samples: setup
	$(BIN)/python samples/generate.py

clean:
	rm -rf $(VENV) build out .pytest_cache
