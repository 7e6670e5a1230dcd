"""docs/DATA_DICTIONARY.md is generated from the code, and says everything the code defines."""

from fiscalpdf.dictionary import render
from fiscalpdf.errors import ERROR_KINDS, Status
from fiscalpdf.flags import CELL_FLAGS
from fiscalpdf.schema import DATASETS
from fiscalpdf.specs import load_specs
from fiscalpdf.validate import CROSS_RULES, RULES
from tests.paths import ROOT

COMMITTED = ROOT / "docs" / "DATA_DICTIONARY.md"


def test_committed_dictionary_is_what_the_code_generates():
    assert COMMITTED.is_file(), "docs/DATA_DICTIONARY.md is missing: run `make docs` and commit it"
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/DATA_DICTIONARY.md differs from the schema, specs, rules or error codes in the code: "
        "run `make docs` and commit the result")


def test_dictionary_names_everything_the_code_defines():
    text = render()
    for dataset in DATASETS:
        assert f"### {dataset.name}\n" in text
        for column in dataset.columns:
            assert f"| `{column.name}` |" in text, (dataset.name, column.name)
    specs = load_specs()
    assert len(specs.standard) == 9
    for spec in specs.standard:
        assert f"### {spec.id}\n" in text and spec.printed, spec.id
        for column_id in spec.columns:
            assert f"| `{column_id}` |" in text, (spec.id, column_id)
        for rule_id in spec.identities:
            assert f"| `{rule_id}` |" in text, rule_id
    for rule in list(RULES) + list(CROSS_RULES):
        assert f"| `{rule}` |" in text, rule
    for code in ERROR_KINDS:
        assert f"| `{code}` |" in text, code
    for status in Status:
        assert f"| `{status.value}` |" in text, status
    for flag in CELL_FLAGS:
        assert f"| `{flag}` |" in text, flag


def test_every_printed_title_is_recognised_as_its_table():
    """printed.toml lists titles seen in real disclosures: each must still name its table."""
    specs = load_specs()
    for spec in specs.tables:
        for title in spec.printed:
            found = specs.identify(title)
            assert found is not None and found.id == spec.id, (spec.id, title, found and found.id)
