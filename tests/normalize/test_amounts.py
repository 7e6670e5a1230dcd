"""Every rule of fiscalpdf.normalize.amounts, one row each."""

from decimal import Decimal

import pytest

from fiscalpdf.normalize.amounts import parse_amount

PARSED = [
    # rule 1: full-width forms
    ("１２３．４５", "123.45", ()),
    ("（１２．３０）", "-12.30", ("bracketed",)),
    # rule 2: placeholders
    ("", "0", ("placeholder",)),
    (None, "0", ("placeholder",)),
    ("   ", "0", ("placeholder",)),
    ("-", "0", ("placeholder",)),
    ("—", "0", ("placeholder",)),
    ("——", "0", ("placeholder",)),
    ("－", "0", ("placeholder",)),
    # rule 3: separators
    ("1,234.50", "1234.50", ()),
    ("1，234.50", "1234.50", ()),
    ("1,23", "123", ("irregular_grouping",)),
    # rule 4: a space next to the point
    ("186. 67", "186.67", ("spaced",)),
    ("186 .67", "186.67", ("spaced",)),
    ("1,186. 67", "1186.67", ("spaced",)),
    ("68, 632. 12", "68632.12", ("spaced",)),
    ("4, 651. 67", "4651.67", ("spaced",)),
    # rule 5: digits wrapped onto a second line
    ("1682.7\n6", "1682.76", ("wrapped",)),
    ("0.0\n0", "0.00", ("wrapped",)),
    # rule 6: negatives
    ("-12.30", "-12.30", ()),
    ("−12.30", "-12.30", ()),
    ("(12.30)", "-12.30", ("bracketed",)),
    # rule 7: decimals kept exactly, integers
    ("44,156.640120", "44156.640120", ()),
    ("215,020,000", "215020000", ()),
    ("7", "7", ()),
    ("33.2", "33.2", ()),
]

NOT_AMOUNTS = ["100 %", "12.5%", "合计", "abc", ".", ",", "6000 0", "1.5 2.5", "2010301a", "一百", "-\n-", "1 234",
               "12, 34"]


@pytest.mark.parametrize("text,value,flags", PARSED)
def test_amount_rules(text, value, flags):
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == Decimal(value)
    assert amount.flags == flags


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_not_an_amount(text):
    assert parse_amount(text) is None
