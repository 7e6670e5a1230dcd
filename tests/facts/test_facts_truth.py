"""The prose facts of real documents against a truth read by hand (tests/facts/truth/, see its INDEX.csv).

The truth was written from pdfium's page text before the parser existed (never from its output). For each
document the facts the pipeline finds (`process_document` → `DocumentResult.facts`, in the session's corpus and
wild runs; the seed, text without pages, through `read_facts`) in the truth's sections (收支总体, 收入, 支出,
财政拨款, 一般公共预算, 基本支出, 三公, 机关运行经费, 政府采购: facts.toml [scope]) must equal the truth row for row —
none missing, none extra —
and every truth sentence must stand in the pdfium text of its page (whitespace removed, NFKC; a sentence that
runs over a page break may begin on the page before or end on the page after).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fiscalpdf.model import BBox, PageText, TextLine
from fiscalpdf.normalize.facts import load_vocabulary, read_facts
from tests.paths import shared_dir

TRUTH = Path(__file__).resolve().parent / "truth"
INDEX = list(csv.DictReader(open(TRUTH / "INDEX.csv", encoding="utf-8")))
FOLDERS = {"seed": "seed", "wild": "wild", "corpus": "corpus"}
PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")
FIELDS = ("page", "fact_id", "measure", "value", "unit", "subject_code", "subject_label", "period", "basis",
          "change_value", "change_pct", "change_basis", "section", "text")


def flat(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def number(text) -> Decimal | None:
    if text is None or text == "":
        return None
    return Decimal(str(text)).normalize()


def truth_rows(stem: str) -> list[dict]:
    return list(csv.DictReader(open(TRUTH / f"{stem}.csv", encoding="utf-8")))


def as_row(values: dict, with_page: bool) -> tuple:
    """A fact or a truth row in one comparable shape: numbers as Decimals, text without whitespace (NFKC)."""
    return (values["page"] if with_page else None, values["fact_id"], values["measure"], number(values["value"]),
            values["unit"] or None, values["subject_code"] or None, flat(values["subject_label"]) or None,
            values["period"], values["basis"] or None, number(values["change_value"]), number(values["change_pct"]),
            values["change_basis"] or None, flat(values["section"]), flat(values["text"]))


SEED_LINE = 36  # characters per printed line of the pages the seed is typeset into


def seed_pages(path: Path) -> list[PageText]:
    """The seed is text without pages: each block between blank lines becomes a page, each of its text lines a
    paragraph typeset as print does it (first line indented by two characters, lines of SEED_LINE characters);
    a table row keeps its tabs on one line, so table blocks read as tables. '- ' list markers of its conversion
    are not printed text."""
    pages = []
    for no, block in enumerate(path.read_text(encoding="utf-8").split("\n\n"), start=1):
        paragraphs = [re.sub(r"^- ", "", ln) for ln in block.split("\n") if ln.strip()]
        lines: list[TextLine] = []
        for text in paragraphs:
            if "\t" in text:
                lines.append(TextLine(text, BBox(0.0, 20.0 * len(lines), 400.0, 20.0 * len(lines) + 10.0)))
                continue
            rest, first = text, True
            while rest:
                width = SEED_LINE - 2 if first else SEED_LINE
                while 0 < width < len(rest) and re.match(r"[\d.,%]", rest[width]) \
                        and re.match(r"[\d.,]", rest[width - 1]):
                    width -= 1  # print never breaks a number
                chunk, rest = rest[:width], rest[width:]
                x0 = 20.0 if first else 0.0
                lines.append(TextLine(chunk, BBox(x0, 20.0 * len(lines), x0 + 10.0 * len(chunk),
                                                  20.0 * len(lines) + 10.0)))
                first = False
        if lines:
            pages.append(PageText(no, 10.0 * SEED_LINE, 0.0, lines, sum(len(t.text) for t in lines)))
    return pages


def pdf_pages(path: Path) -> list[PageText]:
    from fiscalpdf.extract.pdf import PdfSource

    source = PdfSource.open(path, path.read_bytes())
    try:
        return [source.page_text(n) for n in range(1, source.page_count + 1)]
    finally:
        source.close()


def document(entry: dict) -> tuple[Path, list[PageText]]:
    path = shared_dir(FOLDERS[entry["source"]]) / entry["file"]
    return path, (seed_pages(path) if entry["source"] == "seed" else pdf_pages(path))


def in_scope(facts):
    scope = set(load_vocabulary().truth_scope)
    return [f for f in facts if f.section_kind in scope]


def fact_values(f) -> dict:
    return {"page": str(f.page), "fact_id": f.fact_id, "measure": f.measure, "value": f.value, "unit": f.unit,
            "subject_code": f.subject_code, "subject_label": f.subject_label, "period": f.period, "basis": f.basis,
            "change_value": f.change_value, "change_pct": f.change_pct, "change_basis": f.change_basis,
            "section": f.section, "text": f.text}


def test_index_lists_every_truth_file_and_the_required_spread():
    files = {p.stem for p in TRUTH.glob("*.csv")} - {"INDEX"}
    assert files == {Path(e["file"]).stem for e in INDEX}
    real = [e for e in INDEX if e["source"] != "seed"]
    assert len(real) >= 10
    assert sum(e["narrative_only"] == "yes" for e in real) >= 5
    assert len({e["region"] for e in INDEX}) >= 6
    assert {e["source"] for e in real} == {"corpus", "wild"}


def test_truth_uses_the_vocabulary():
    vocab = load_vocabulary()
    for e in INDEX:
        for r in truth_rows(Path(e["file"]).stem):
            spec = vocab.facts[r["fact_id"]]
            assert r["measure"] == spec.measure, r
            assert r["period"] in ("current", "prior") and r["basis"] in ("budget", "adjusted_budget", "final")
            assert r["change_basis"] in ("", "prior_year", "budget")
            assert r["value"] or r["change_value"], f"a fact states a value or a change: {r}"


@pytest.mark.parametrize("entry", INDEX, ids=[e["file"] for e in INDEX])
def test_truth_sentences_stand_on_their_pages(entry):
    path = shared_dir(FOLDERS[entry["source"]]) / entry["file"]
    rows = truth_rows(path.stem)
    if entry["source"] == "seed":
        text = flat(re.sub(r"\n- ", "\n", path.read_text(encoding="utf-8")))
        missing = [r["text"] for r in rows if flat(r["text"]) not in text]
        assert not missing
        return
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(pdf)):
            raw = pdf[i].get_textpage().get_text_range()
            pages.append(flat("".join(ln for ln in raw.splitlines() if not PAGE_NUMBER.match(ln))))
    finally:
        pdf.close()
    for r in rows:
        p = int(r["page"])
        window = "".join(pages[max(0, p - 2): p + 1])
        assert flat(r["text"]) in window, f"page {p}: {r['text']}"


def pipeline_facts(entry: dict, request) -> list:
    """The document's facts as the pipeline read them: the session's run of its folder (the seed: read_facts)."""
    if entry["source"] == "seed":
        return read_facts(document(entry)[1])
    run = request.getfixturevalue("corpus_results" if entry["source"] == "corpus" else "wild_run")
    results = run if entry["source"] == "corpus" else run[1]
    return results[entry["file"]].facts


@pytest.mark.parametrize("entry", INDEX, ids=[e["file"] for e in INDEX])
def test_facts_equal_the_truth(entry, request):
    path = shared_dir(FOLDERS[entry["source"]]) / entry["file"]
    with_page = entry["source"] != "seed"
    got = [as_row(fact_values(f), with_page) for f in in_scope(pipeline_facts(entry, request))]
    want = [as_row(r, with_page) for r in truth_rows(path.stem)]
    missing = [w for w in want if w not in got]
    extra = [g for g in got if g not in want]
    assert not missing and not extra, "\n".join(
        [f"missing {dict(zip(FIELDS, w))}" for w in missing] + [f"extra {dict(zip(FIELDS, g))}" for g in extra])
    assert got == want, "same facts, different order"
