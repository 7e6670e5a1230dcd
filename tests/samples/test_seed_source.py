"""The 2020 sample's tables carry exactly the seed document's numbers (../shared/seed is the ground truth)."""

import re
from decimal import Decimal

from samples import generate
from tests.paths import SAMPLES, shared_dir

NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$|^\d+\. \d+$")


def seed_numbers() -> list[Decimal]:
    text = (shared_dir("seed") / "000_97ec0fee91833ab7.txt").read_text(encoding="utf-8")
    # the nine tables sit between '第二部分' and '第三部分'; the first copy of 公开01表 is printed twice
    tables = text[text.index("公开 01 表"): text.index("第三部分\n")]
    out = []
    for line in tables.split("\n"):
        if "\t" not in line:
            continue
        for cell in line.split("\t"):
            cell = cell.strip()
            if NUMBER.match(cell):
                out.append(Decimal(cell.replace(" ", "").replace(",", "")))
    return out


def source_numbers(doc) -> list[Decimal]:
    out = []
    for t in doc.tables:
        grids = [t.header, t.body] * (2 if t.printed_twice else 1)
        for grid in grids:
            for row in grid:
                for cell in row:
                    if NUMBER.match(cell.strip()):
                        out.append(Decimal(cell.strip().replace(",", "")))
    return out


def test_sample_numbers_are_the_seed_numbers():
    doc = generate.DocumentSource.load(SAMPLES / "src" / "zhuzhou-shifeng-yingshang_2020_final.toml")
    seed = seed_numbers()
    ours = source_numbers(doc)
    assert len(seed) > 400
    assert ours == seed
