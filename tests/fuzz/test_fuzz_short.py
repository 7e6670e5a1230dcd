"""A short, fixed-seed fuzz run in the suite (`make fuzz` runs the long one): every mutant of the samples ends
as a clean result or a classified error, within the limits."""

from fiscalpdf.options import Limits
from tests.fuzz.fuzz_pdfs import MUTATIONS, fuzz


def test_mutants_end_classified():
    report = fuzz(seconds=0, seed=20261128, batch=len(MUTATIONS) * 2, max_inputs=len(MUTATIONS) * 2,
                  limits=Limits(timeout=60, max_memory=1 << 30))
    assert report.tried == len(MUTATIONS) * 2
    assert report.findings == []
    # the mutations bite: some mutants are refused with a classified error, and the outcomes are counted
    assert any(status != "ok" for status, _ in report.outcomes) and sum(report.outcomes.values()) <= report.tried
