"""The prose against the tables over ../shared/corpus and ../shared/wild (the session's runs): every fact.* check
that fails is a known disagreement of the document (known_disagreements.csv), and each of those is shown to be
printed so — the sentence on its page, the number in the sentence, the cell on its page (pdfium text) — and to
differ by more than the tolerance (validate/facts.py): a figure against its cell within half a unit of the last
printed digit of the coarser of the two; a stated percentage against the one its sentence's own figures give,
within one unit of its last printed digit (or a stated change against the difference of the figures it
compares, within half a unit of the last digit of each of the three): `formula` gives the sentence's figures as
the check combines them.

Written by reading the pages, never from fiscalpdf's output; `why` says what the pages show.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fiscalpdf.normalize.facts import money_factor
from tests.corpus.confirm_goldens import stands_on_page
from tests.facts.test_facts_truth import PAGE_NUMBER, flat
from tests.paths import shared_dir

HERE = Path(__file__).resolve().parent
KNOWN = list(csv.DictReader(open(HERE / "known_disagreements.csv", encoding="utf-8")))
# the agreement of the prose's figures with the table figures they restate (fact.<fact_id> checks), measured
AGREEMENT = {"corpus": 0.95, "wild": 0.99}  # 299 of 314, 341 of 344


@pytest.fixture(scope="module")
def runs(corpus_results, wild_run):
    return {"corpus": corpus_results, "wild": wild_run[1]}


def failing(runs) -> list[tuple[str, str, str, int, str]]:
    return sorted((source, name, c.rule, *_sentence(r, c)) for source, results in runs.items()
                  for name, r in results.items() for c in r.fact_checks if not c.holds)


def _sentence(r, check) -> tuple[int, str]:
    fact = r.facts[int(check.terms[0][1:]) - 1]
    return fact.page, flat(fact.text)


def test_every_failing_fact_check_is_a_known_disagreement(runs):
    known = sorted((k["source"], k["file"], k["rule"], int(k["sentence_page"]), flat(k["sentence"])) for k in KNOWN)
    got = failing(runs)
    assert [g for g in got if g not in known] == [], "failing fact checks not in known_disagreements.csv"
    assert [k for k in known if k not in got] == [], "known disagreements that no longer fail: remove them"
    assert got == known


@pytest.mark.parametrize("source", sorted(AGREEMENT))
def test_agreement_with_the_tables(runs, source):
    checks = [c for r in runs[source].values() for c in r.fact_checks if c.rule.count(".") == 1]
    held = sum(c.holds for c in checks)
    assert len(checks) > 100 and held / len(checks) >= AGREEMENT[source], f"{held}/{len(checks)}"


def _page_text(pdf, page: int) -> str:
    raw = pdf[page - 1].get_textpage().get_text_range()
    return "\n".join(ln for ln in raw.splitlines() if not PAGE_NUMBER.match(ln))


def _half_unit(printed: str, unit: str = "") -> Decimal:
    """Half a unit of the last printed digit, in 元 for money ('236.63', 万元 → 50)."""
    number = Decimal(printed.replace(",", ""))
    return Decimal("0.5") * Decimal(1).scaleb(number.as_tuple().exponent) * (money_factor(unit) or 1)


_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _evaluate(formula: str) -> Decimal:
    """'5834.37 / (22066.59 − 5834.37) × 100' in exact decimals: figures, + − × / and brackets only."""
    python = _FIGURE.sub(lambda m: f"Decimal('{m.group().replace(',', '')}')",
                         formula.replace("−", "-").replace("×", "*"))
    assert re.fullmatch(r"(?:Decimal\('[\d.]+'\)|[-+*/() ])+", python), formula
    return eval(python, {"__builtins__": {}, "Decimal": Decimal})  # noqa: S307 - checked to be arithmetic only


@pytest.mark.parametrize("row", KNOWN, ids=[f"{k['file'][:28]}-{k['rule']}-{i}" for i, k in enumerate(KNOWN)])
def test_a_known_disagreement_is_printed_so(row):
    pdf = pdfium.PdfDocument(str(shared_dir(row["source"]) / row["file"]))
    try:
        page = int(row["sentence_page"])
        window = flat("".join(_page_text(pdf, p) for p in (page, page + 1) if p <= len(pdf)))
        sentence = flat(row["sentence"])
        assert sentence in window, f"the sentence is not on page {page}"
        stated = Decimal(row["stated"].replace(",", ""))
        assert stands_on_page(row["stated"], sentence), f"{row['stated']} is not in the sentence"
        if row["cell"]:  # fact.<fact_id>: the figure against the table's cell
            assert stands_on_page(row["cell"], _page_text(pdf, int(row["cell_page"]))), \
                f"{row['cell']} is not on page {row['cell_page']}"
            cell = Decimal(row["cell"].replace(",", "")) * money_factor(row["cell_unit"])
            tolerance = max(_half_unit(row["stated"], row["unit"]), _half_unit(row["cell"], row["cell_unit"]))
            assert abs(stated * money_factor(row["unit"]) - cell) > tolerance, "the figure restates its cell"
        else:  # fact.<fact_id>.change / .change_pct: the stated change against the sentence's own figures
            figures = _FIGURE.findall(row["formula"])
            assert all(stands_on_page(f, sentence) or f == "100" for f in figures), row["formula"]
            expected = _evaluate(row["formula"])
            if row["rule"].endswith(".change_pct"):
                tolerance = 2 * _half_unit(row["stated"])  # one unit of its last printed digit
            else:
                tolerance = sum(_half_unit(f) for f in figures + [row["stated"]])
            assert abs(stated - abs(expected)) > tolerance, f"{row['formula']} = {expected:.4f}: it holds"
        assert row["why"].strip()
    finally:
        pdf.close()
