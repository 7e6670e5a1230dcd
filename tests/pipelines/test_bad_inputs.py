"""Broken files end as a clear error in `documents`; the good files of the same run are still extracted."""

import re

import pandas as pd
import pytest

from fiscalpdf.cli import main
from tests.paths import BROKEN_PDFS, DATA, SAMPLES


def test_broken_files_are_recorded_and_good_ones_extracted(batch_out):
    docs = pd.read_parquet(batch_out / "documents")
    by_name = {p.rsplit("/", 1)[-1]: row for p, row in zip(docs["path"], docs.to_dict("records"))}
    for name, code in BROKEN_PDFS.items():
        row = by_name[name]
        assert (row["status"], row["error_code"]) == ("failed", code)
        assert len(row["error"]) > 20
        assert int(row["year"]) == 0 and row["tables_found"] == 0
    good = [r for n, r in by_name.items() if n not in BROKEN_PDFS]
    assert len(good) == 6 and all(r["status"] == "ok" and r["tables_found"] == 9 for r in good)


@pytest.mark.parametrize("name,phrase", [("not_a_pdf.pdf", "not a PDF"), ("empty.pdf", "0 bytes"),
                                         ("truncated.pdf", "ends early")])
def test_error_messages_say_what_is_wrong(name, phrase, tmp_path):
    from fiscalpdf.pipelines.document import process_document

    r = process_document(DATA / name)
    assert r.status == "failed" and phrase in r.error


def test_exit_codes(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(DATA / "empty.pdf"), "--out", str(out)]) == 0  # the batch completed
    assert main(["run", str(DATA / "empty.pdf"), "--out", str(out), "--strict"]) == 1
    assert main(["run", str(tmp_path / "nothing-here.pdf"), "--out", str(out)]) == 2
    with pytest.raises(SystemExit) as e:
        main(["run"])
    assert e.value.code == 2
    assert main(["run", str(SAMPLES / "zhuzhou-shifeng-yingshang_2021_budget.pdf"), "--out", str(out), "--strict"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"ok +2021 budget 株洲市石峰区优化营商环境协调事务中心  tables 9  "
                     r"identities \d{3} passed / 0 failed",
                     printed)
