"""Properties of `parse_amount` over generated input: every printed form it claims reads back exactly, arbitrary
text never raises, only the declared placeholders mean zero, and text that is not a number is not an amount."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fiscalpdf.normalize.amounts import PLACEHOLDERS, parse_amount

FULL_WIDTH = str.maketrans("0123456789.,()-", "０１２３４５６７８９．，（）－")

amounts = st.builds(
    lambda units, cents, places: Decimal(units) + (Decimal(cents) / 10**places if places else 0),
    st.integers(0, 10**12), st.integers(0, 10**6 - 1), st.integers(0, 6),
).map(lambda d: d.quantize(Decimal(1).scaleb(-max(0, -d.as_tuple().exponent))))


def _digits(value: Decimal) -> tuple[str, str]:
    units, _, decimals = f"{value:f}".partition(".")
    return units, decimals


def _grouped(units: str, sep: str = ",") -> str:
    return f"{int(units):,}".replace(",", sep)


@st.composite
def printed(draw) -> tuple[str, Decimal]:
    """(text as a disclosure prints it, the amount it means) in every form parse_amount claims."""
    value = draw(amounts)
    units, decimals = _digits(value)
    sep = draw(st.sampled_from([",", "，"]))
    body = _grouped(units, sep) if draw(st.booleans()) else units
    if decimals:
        gap = draw(st.sampled_from(["", " ", "  "]))  # the space after the point that text extraction adds
        body = f"{body}.{gap}{decimals}"
    negative = value != 0 and draw(st.booleans())
    if negative:
        body = draw(st.sampled_from(["-{}", "−{}", "({})", "（{}）"])).format(body)
    if draw(st.booleans()):
        body = body.translate(FULL_WIDTH)
    if draw(st.booleans()) and len(body) > 2:  # a narrow cell wraps the last digits onto a second line
        cut = draw(st.integers(1, len(body) - 1))
        if body[cut - 1].isdigit() and body[cut].isdigit():
            body = f"{body[:cut]}\n{body[cut:]}"
    padding = draw(st.sampled_from(["", " ", "\t", " \n"]))
    return f"{padding}{body}{padding.strip(chr(10))}", (-value if negative else value)


@settings(max_examples=600)
@given(printed())
@example(("186. 67", Decimal("186.67")))
@example(("（12.30）", Decimal("-12.30")))
@example(("１，２３４．５０", Decimal("1234.50")))
def test_every_claimed_form_reads_back_exactly(case):
    text, value = case
    amount = parse_amount(text)
    assert amount is not None, text
    assert amount.value == value and not amount.placeholder


@settings(max_examples=1500)
@given(st.text())
@example("(")
@example("( )")
@example("-\n")
@example("１e5")
@example("NaN")
def test_arbitrary_text_never_raises(text):
    amount = parse_amount(text)
    assert amount is None or isinstance(amount.value, Decimal)


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from(list(" \t\n-—–−_.,·*/0０()（）无空")), max_size=6) | st.text())
def test_only_the_declared_placeholders_mean_zero(text):
    amount = parse_amount(text)
    if amount is not None and amount.placeholder:
        assert unicodedata.normalize("NFKC", text).strip() in PLACEHOLDERS
        assert amount.value == 0


_NUMBER_PARTS = re.compile(r"[\s,.()\-−]")


@settings(max_examples=1500)
@given(st.text())
@example("100 %")
@example("一百")
@example("Infinity")
@example("1e5")
def test_text_that_is_not_a_number_is_not_an_amount(text):
    amount = parse_amount(text)
    if amount is None or amount.placeholder:
        return
    # an amount is digits and the separators, signs and brackets of a number, nothing else
    rest = _NUMBER_PARTS.sub("", unicodedata.normalize("NFKC", text))
    assert rest and all(ch.isdigit() for ch in rest), text
