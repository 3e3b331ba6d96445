"""The README glossary lists every result field with its unit, and is current."""

from potenzial.glossary import README, readme_with_glossary
from potenzial.results import collect


def test_readme_glossary_is_current():
    text = README.read_text(encoding="utf-8")
    assert readme_with_glossary(text) == text, "README glossary is stale: run `python -m potenzial.glossary --write`"


def test_every_numeric_field_has_a_unit():
    missing = []
    for sch in collect().values():
        units = dict(sch.units)
        for column, type_name in sch.columns:
            if type_name in ("float", "int") and column not in units:
                missing.append(f"{sch.name}.{column}")
    assert missing == []
