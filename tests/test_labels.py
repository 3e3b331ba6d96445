"""Labels from one place: every column of every result schema has German and English titles, a
description and a unit in both languages; class columns declare their values; a person's label is
"Titel (Einheit)"."""

from __future__ import annotations

import re

import pytest

from potenzial.results import ResultSchema, ValueClass, collect
from potenzial.results.vocabulary import NO_UNIT, UNITS, ColumnLabel
from potenzial.serving.schemas import check_lang, schemas_document

EVERY = {**collect(), **collect("DERIVED")}
#: a declared unit listing the values of a class column (``a|b|c``, ``grade A|B|C|D``)
ENUM_UNIT = re.compile(r"\w+\|\w+")


def every_column():
    for sch in EVERY.values():
        for column, type_name in sch.columns:
            yield sch, column, type_name


def test_every_column_has_both_titles_descriptions_and_units():
    missing = []
    for sch, column, type_name in every_column():
        label = sch.column_label(column)
        if label is None or not all((label.title_de, label.title_en, label.description_de, label.description_en)):
            missing.append(f"{sch.name}.{column}: title/description")
        unit = sch.column_unit(column)
        if not (unit["de"] and unit["en"]):
            missing.append(f"{sch.name}.{column}: unit")
        if type_name in ("int", "float") and sch.declared_unit(column) not in UNITS:
            missing.append(f"{sch.name}.{column}: numeric without a unit of the vocabulary")
    assert missing == []


def test_every_schema_has_a_title_in_both_languages():
    assert [n for n, s in EVERY.items() if not (s.title_de and s.title_en)] == []


def test_every_declared_unit_is_in_the_vocabulary_with_german_and_english():
    unknown = sorted({f"{s.name}: {u}" for s in EVERY.values() for _, u in s.units if u not in UNITS})
    assert unknown == []
    assert all(u.de and u.en for u in UNITS.values())


def test_columns_whose_unit_lists_values_declare_them_as_classes():
    """``very_good|good|…`` is a class column: its values need titles, not a unit."""
    lacking = [f"{s.name}.{c}" for s in EVERY.values() for c, u in s.units if ENUM_UNIT.search(u)
               and not s.classes_of(c)]
    assert lacking == []


def test_german_titles_are_words_not_column_names():
    raw = [f"{s.name}.{c}" for s, c, _ in every_column()
           if s.column_title(c)["de"] == c or re.fullmatch(r"[a-z0-9_]+", s.column_title(c)["de"])]
    assert raw == []


def test_units_translate_and_labels_read_title_then_unit():
    base = EVERY["municipalities"]
    assert base.column_unit("population") == {"de": "Personen", "en": "persons"}
    assert base.column_unit("buildings") == {"de": "Anzahl", "en": "count"}
    assert base.label("population") == "Einwohner (Personen)"
    assert base.label("population", "en") == "Population (persons)"
    assert base.label("name") == "Gemeinde"  # text: no unit
    assert base.column_unit("name") == {"de": NO_UNIT, "en": NO_UNIT}
    roof = EVERY["solar_roof"]
    assert roof.label("capacity_kwp", "de") == "Leistung (kWp)"
    assert roof.class_title("suitability", "very_good", "de") == "sehr gut geeignet"
    assert roof.class_title("suitability", "very_good", "en") == "very good"
    assert roof.class_title("suitability", "excellent") is None


def test_a_new_column_without_a_label_is_found():
    """The completeness check is not vacuous: a schema with an unlabelled column fails it."""
    bare = ResultSchema(name="x", columns=(("ags", "text"), ("mystery_mw", "float")), units=(("mystery_mw", "MW"),))
    assert bare.column_label("mystery_mw") is None
    assert bare.column_title("mystery_mw") == {"de": "mystery_mw", "en": "mystery_mw"}
    labelled = ResultSchema(name="x", columns=(("mystery_mw", "float"),), units=(("mystery_mw", "MW"),),
                            labels=(ColumnLabel("mystery_mw", "Rätsel", "Mystery", "d", "e"),))
    assert labelled.label("mystery_mw", "en") == "Mystery (MW)"


def test_older_column_titles_still_work_and_common_columns_need_no_label():
    sch = ResultSchema(name="x", columns=(("ags", "text"), ("a_mw", "float")), units=(("a_mw", "MW"),),
                       column_titles=(("a_mw", "A", "A en"),))
    assert sch.column_title("a_mw") == {"de": "A", "en": "A en"}
    assert sch.column_title("ags")["de"] == "Gemeindeschlüssel (AGS)"


def test_rounding_is_declared_per_unit():
    base = EVERY["municipalities"]
    assert base.column_decimals("area_km2") == 2
    assert base.column_decimals("population") == 0
    assert base.column_decimals("name") is None
    assert EVERY["headline"].column_decimals("electricity_potential_gwh_per_a") == 2


def test_schemas_document_holds_the_derived_headline_and_classes():
    doc = schemas_document(collect())
    assert "headline" in doc
    stage = doc["headline"]["columns"]["stage"]
    assert stage["classes"]["restricted"] == {"de": "planerisch eingeschränktes Potenzial",
                                              "en": "restricted potential"}
    assert doc["municipalities"]["columns"]["buildings"]["inputs"] == ["buildings"]
    assert doc["municipalities"]["columns"]["population"]["inputs"] == ["municipalities", "statistics"]


def test_an_unknown_language_is_a_one_line_error():
    assert check_lang("en") == "en"
    with pytest.raises(Exception, match=r"language 'fr' is not offered; choose one of de, en\."):
        check_lang("fr")


def test_value_classes_have_both_titles():
    empty = [f"{s.name}.{c}={v.code}" for s in EVERY.values() for c, values in s.classes for v in values
             if not (isinstance(v, ValueClass) and v.title_de and v.title_en)]
    assert empty == []


def test_every_rule_of_every_rule_set_has_a_german_and_an_english_title():
    """Rule ids never reach a person: each rule has ``title`` and ``title_en`` in its rule set file."""
    import tomllib
    from pathlib import Path

    from potenzial.serving.point_text import english_rule_titles

    rules_dir = Path(__file__).resolve().parent.parent / "layers" / "rules"
    missing, count = [], 0
    for path in sorted(rules_dir.glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for rule in doc.get("rules", ()):
            count += 1
            if not (rule.get("title") and rule.get("title_en")):
                missing.append(f"{path.stem}.{rule['id']}")
    assert missing == [] and count >= 60
    english = english_rule_titles(rules_dir)
    assert english[("wind_sn_2022", "residential_outer_single")] == (
        "Single residential buildings in the outer area (noise)")
    assert english[("pv_exclusions_2023", "motorway_building_ban")] == "Motorway no-build zone (40 m)"


def test_numbers_are_formatted_per_language_and_classes_by_title():
    from potenzial.serving.point_text import format_cell, format_number

    assert format_number(1234.5, 1, "de") == "1.234,5"
    assert format_number(1234.5, 1, "en") == "1,234.5"
    assert format_number(0.125, 2, "de") == "0,12"  # banker's rounding of the binary 0.125 as Python does
    roof = EVERY["solar_roof"]
    assert format_cell(roof, "suitability", "good", "de") == "gut geeignet"
    assert format_cell(roof, "capacity_kwp", 12.345, "en") == "12.3"  # kWp: 1 decimal
    assert format_cell(roof, "listed", True, "de") == "ja"
    assert format_cell(roof, "capacity_kwp", None, "de") == "–"
    areas = EVERY["pv_ground_areas"]
    assert format_cell(areas, "categories", "eeg_2023_corridor,post_mining", "en") == (
        "EEG 2023: 500 m along motorways and railways, Conversion land: post-mining dumps")


def test_every_declared_input_is_a_layer_of_the_default_region(tmp_path):
    """The inputs a schema says it derives from are catalog layer ids (a typo would silently drop a
    source from a layer's attribution)."""
    from pathlib import Path

    from potenzial.region import load_region

    region = load_region("lk-leipzig", Path(__file__).resolve().parent.parent / "layers" / "regions", tmp_path)
    declared = {i for s in EVERY.values() for inputs in (s.inputs or (), *(c for _, c in s.column_inputs))
                for i in inputs}
    # dsm: an optional layer the roof step reads when a region's catalog has one (the default has none)
    assert declared - set(region.layers) == {"dsm"}
    # the boundaries layer derives from the boundaries (and the statistics) only, the roofs not from livestock
    assert EVERY["municipalities"].inputs == ("municipalities", "statistics")
    assert "livestock_state" not in (EVERY["solar_roof"].inputs or ())


def test_a_reason_reads_as_the_rule_of_its_own_layer():
    """``forest`` is a soft wind criterion (layers/rules/wind_sn_2022.toml) and a hard PV exclusion
    (pv_exclusions_2023.toml): each layer's popup reads its own rule; an id only the other table has
    still gets a title."""
    from potenzial.serving.point_text import RuleText, rules_of_layer

    wind = {"forest": RuleText("forest", "wind_sn_2022", "Wald", "Forest", "soft", "SächsWaldG"),
            "lsg": RuleText("lsg", "wind_sn_2022", "LSG", "LSG", "soft", "BNatSchG § 26")}
    pv = {"forest": RuleText("forest", "pv_exclusions_2023", "Wald", "Forest", "hard", "BauGB § 35")}
    by_table = {"wind_rules": wind, "pv_ground_rules": pv}
    assert rules_of_layer("pv_ground_exclusions", by_table)["forest"].kind == "hard"
    assert rules_of_layer("wind_exclusions", by_table)["forest"].kind == "soft"
    assert rules_of_layer("pv_ground_exclusions", by_table)["lsg"].rule_set == "wind_sn_2022"
    assert rules_of_layer("wind_exclusions", {"pv_ground_rules": pv})["forest"].kind == "hard"
    assert rules_of_layer("solar_roof", {}) == {}
