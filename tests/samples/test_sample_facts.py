"""The samples' prose, through the pipeline: `process_document`'s facts equal samples/*.facts.csv exactly, every
fact.* check in its checks holds, and altering the number of a sentence that restates a table figure makes
exactly that fact's checks fail — in the document stage's own fact step (`prose_facts`, on the page texts the
pipeline reads), and end to end for one figure of each fact_id per sample (the PDF's page text altered as the
pipeline reads it).

The .facts.csv files are written by hand from the sentences of samples/src/*.toml (the 2020 sample's are the
seed's own sentences), with the page each figure is printed on; never from fiscalpdf's output."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from fiscalpdf.extract.pdf import PdfSource
from fiscalpdf.model import PageText
from fiscalpdf.pipelines.document import process_document, prose_facts
from tests.facts.test_facts_truth import FIELDS, as_row, fact_values, flat
from tests.paths import SAMPLE_PDFS, SAMPLES

NAMES = [p.name for p in SAMPLE_PDFS]


def truth(name: str) -> list[dict]:
    path = SAMPLES / name.replace(".pdf", ".facts.csv")
    return list(csv.DictReader(open(path, encoding="utf-8")))


def pages_of(name: str) -> list[PageText]:
    path = SAMPLES / name
    source = PdfSource.open(path, path.read_bytes())
    try:
        return [source.page_text(n) for n in range(1, source.page_count + 1)]
    finally:
        source.close()


@pytest.fixture(scope="module")
def sample_pages():
    return {name: pages_of(name) for name in NAMES}


def test_every_sample_has_its_facts_truth():
    assert sorted(p.name.replace(".facts.csv", ".pdf") for p in SAMPLES.glob("*.facts.csv")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_facts_equal_the_truth(results, name):
    got = [as_row(fact_values(f), True) for f in results[name].facts]
    want = [as_row(r, True) for r in truth(name)]
    missing = [w for w in want if w not in got]
    extra = [g for g in got if g not in want]
    assert not missing and not extra, "\n".join(
        [f"missing {dict(zip(FIELDS, w))}" for w in missing] + [f"extra {dict(zip(FIELDS, g))}" for g in extra])
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_every_check_holds(results, name):
    checks = results[name].fact_checks
    assert checks and all(c.rule.startswith("fact.") for c in checks)
    assert [(c.rule, c.terms, c.expected, c.actual) for c in checks if not c.holds] == []
    assert results[name].checks[-len(checks):] == checks  # after the identities


def test_the_pipelines_fact_step_is_what_it_wrote(results, sample_pages):
    for name in NAMES:
        facts, checks = prose_facts(sample_pages[name], results[name].tables, results[name])
        assert facts == results[name].facts and checks == results[name].fact_checks


def restating(result) -> list[int]:
    """fact_no of every fact whose sentence restates a table figure (a failable fact.<id> check)."""
    return sorted({int(c.terms[0][1:]) for c in result.fact_checks if c.rule.count(".") == 1})


SHARED_PHRASE = ({"income_total", "expenditure_total"}, {"fiscal_income_total", "fiscal_expenditure_total"})


def figure_of(fact, facts) -> list:
    """The facts of one printed figure: '收、支总计259.15万元' is income_total and expenditure_total."""
    return [f for f in facts if f is fact or ({f.fact_id, fact.fact_id} in SHARED_PHRASE and f.text == fact.text
                                              and f.value == fact.value and abs(f.fact_no - fact.fact_no) == 1)]


def altered(pages: list[PageText], fact, facts) -> list[PageText]:
    """The pages with the fact's printed number changed in its last digit (9 → 8, else + 1), in its sentence."""
    unit = fact.unit
    factor = {"万元": Decimal(10000), "元": Decimal(1)}[unit]
    printed = str(fact.value / factor)
    # which occurrence of this printed figure in the sentence is the fact's: count the figures before it
    firsts = sorted({figure_of(f, facts)[0].fact_no for f in facts if f.text == fact.text and f.value is not None
                     and f.unit == unit and str(f.value / factor) == printed})
    nth = firsts.index(figure_of(fact, facts)[0].fact_no)
    occurrences = [m.start() for m in re.finditer(rf"(?<![\d.]){re.escape(printed)}(?={unit})", flat(fact.text))]
    target = occurrences[nth]
    new_digit = "8" if printed[-1] == "9" else str(int(printed[-1]) + 1)
    # find the sentence on its pages (whitespace removed) and change that character
    lines = [(p, i, ln) for p in pages if abs(p.page_no - fact.page) <= 1 for i, ln in enumerate(p.lines)]
    text = "".join(flat(ln.text) for _, _, ln in lines)
    start = text.index(flat(fact.text)) + target + len(printed) - 1
    out = {p.page_no: list(p.lines) for p in pages}
    seen = 0
    for p, i, ln in lines:
        chars = flat(ln.text)
        if seen <= start < seen + len(chars):
            raw_index = [j for j, ch in enumerate(ln.text) if not ch.isspace()][start - seen]
            assert ln.text[raw_index] == printed[-1]
            out[p.page_no][i] = replace(ln, text=ln.text[:raw_index] + new_digit + ln.text[raw_index + 1:])
            break
        seen += len(chars)
    return [replace(p, lines=out[p.page_no]) for p in pages]


def fails_exactly_its_checks(fact, facts, changed: list, checks) -> bool:
    """The altered figure reads as another value, and the failing checks are its own fact.<id> check(s) only."""
    failing = [c for c in checks if not c.holds]
    own = {f.ref for f in figure_of(fact, facts)}
    return len(changed) == len(facts) and changed[fact.fact_no - 1].value != fact.value \
        and f"fact.{fact.fact_id}" in [c.rule for c in failing] and all(c.terms[0] in own for c in failing)


@pytest.mark.parametrize("name", NAMES)
def test_altering_a_restated_figure_fails_exactly_its_checks(results, sample_pages, name):
    result, pages = results[name], sample_pages[name]
    facts = result.facts
    restated = restating(result)
    assert restated, "the sample's prose restates table figures"
    failures = {}
    for fact_no in restated:
        fact = facts[fact_no - 1]
        changed, checks = prose_facts(altered(pages, fact, facts), result.tables, result)
        if not fails_exactly_its_checks(fact, facts, changed, checks):
            failures[fact_no] = [(c.rule, c.terms) for c in checks if not c.holds]
    assert not failures


def test_end_to_end_an_altered_sentence_fails_exactly_its_check(results, sample_pages, monkeypatch):
    """For one restating figure of each fact_id of the 2020 sample (the seed's prose, the most fact_ids): the PDF's
    page text altered where the pipeline reads it, and `process_document` run whole."""
    name = "zhuzhou-shifeng-yingshang_2020_final.pdf"
    result, pages = results[name], sample_pages[name]
    facts = result.facts
    one_per_id = {}
    for fact_no in restating(result):
        one_per_id.setdefault(facts[fact_no - 1].fact_id, facts[fact_no - 1])
    assert len(one_per_id) >= 10
    page_text = PdfSource.page_text
    for fact in one_per_id.values():
        changed = {p.page_no: p for p in altered(pages, fact, facts) if p != pages[p.page_no - 1]}
        assert list(changed) == [fact.page]
        monkeypatch.setattr(PdfSource, "page_text", lambda self, n, _changed=changed: _changed.get(n)
                            or page_text(self, n))
        redone = process_document(SAMPLES / name)
        assert fails_exactly_its_checks(fact, facts, redone.facts, redone.fact_checks), fact
        assert [c for c in redone.identities if not c.holds] == [c for c in result.identities if not c.holds]
    monkeypatch.setattr(PdfSource, "page_text", page_text)
