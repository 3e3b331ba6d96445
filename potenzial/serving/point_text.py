"""What a person reads at a point: each attribute with its title, unit and formatted value from the
result schemas, and every exclusion reason as its rule's title, hard/soft and legal source instead of
a rule id or a bitmask (both stay in the data).

The rules' titles come from the run's rule tables (``wind_rules``, ``pv_ground_rules``: what the
run applied) and, for English, from ``title_en`` of the rule set files in ``layers/rules/``.
"""

from __future__ import annotations

import logging
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from potenzial.results import ResultSchema
from potenzial.results.vocabulary import NO_UNIT

log = logging.getLogger("potenzial.serving")

#: decimals of a value whose unit declares none (raster values)
DEFAULT_DECIMALS = 2
#: the run's rule tables: (table, key columns naming the rule set and the rule)
RULE_TABLES = ("wind_rules", "pv_ground_rules")
_YES_NO = {"de": ("ja", "nein"), "en": ("yes", "no")}
_KIND = {"hard": {"de": "harter Ausschluss", "en": "hard exclusion"},
         "soft": {"de": "weiches Kriterium", "en": "soft criterion"}}


@dataclass(frozen=True)
class RuleText:
    """A rule as a person reads it."""

    rule_id: str
    rule_set: str
    title_de: str
    title_en: str
    kind: str  #: hard | soft
    source: str

    def title(self, lang: str) -> str:
        return (self.title_de if lang == "de" else self.title_en) or self.title_de or self.title_en

    def as_reason(self, layer_id: str, layer_title: str, lang: str) -> dict[str, object]:
        return {"layer": layer_id, "layer_title": layer_title, "rule_id": self.rule_id, "rule_set": self.rule_set,
                "title": self.title(lang), "hard": self.kind == "hard",
                "kind": _KIND.get(self.kind, {}).get(lang, self.kind), "source": self.source}


def english_rule_titles(rules_dir: Path) -> dict[tuple[str, str], str]:
    """(rule set id, rule id) -> ``title_en`` of every rule in the rule set files of ``rules_dir``; a
    file that does not parse is skipped (the run that used it has checked it)."""
    out: dict[tuple[str, str], str] = {}
    for path in sorted(Path(rules_dir).glob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            log.warning("rule set %s not read for its English titles: %s", path.name, exc)
            continue
        rule_set = str(doc.get("rule_set", {}).get("id", path.stem))
        for rule in doc.get("rules", ()):
            if isinstance(rule, dict) and rule.get("id") and rule.get("title_en"):
                out[(rule_set, str(rule["id"]))] = str(rule["title_en"])
    return out


def rule_texts(tables: Iterable[Mapping[str, object]], english: Mapping[tuple[str, str], str]) -> dict[str, RuleText]:
    """Rule id -> its text, from the rows of the run's rule tables (the first row of an id wins)."""
    out: dict[str, RuleText] = {}
    for row in tables:
        rule_id, rule_set = str(row.get("rule_id", "")), str(row.get("rule_set", ""))
        if not rule_id or rule_id in out:
            continue
        title = str(row.get("title") or "")
        out[rule_id] = RuleText(rule_id, rule_set, title, english.get((rule_set, rule_id), title),
                                str(row.get("kind") or ""), str(row.get("source") or ""))
    return out


def rules_of_layer(layer_id: str, by_table: Mapping[str, Mapping[str, RuleText]]) -> dict[str, RuleText]:
    """The rules that name the reasons of ``layer_id``: its own rule table's (``pv_ground_*`` layers:
    ``pv_ground_rules``, the others ``wind_rules``) over the other tables' for ids it lacks."""
    own = "pv_ground_rules" if layer_id.startswith("pv_ground") else "wind_rules"
    out: dict[str, RuleText] = {}
    for table in [t for t in by_table if t != own] + ([own] if own in by_table else []):
        out.update(by_table[table])
    return out


def format_number(value: float, decimals: int, lang: str) -> str:
    """``1234.5`` -> ``1.234,5`` (de) or ``1,234.5`` (en), with ``decimals`` decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "de" else text


def format_cell(sch: ResultSchema | None, column: str, value: object, lang: str) -> str:
    """A value as a person reads it: the class title, ja/nein, or the number rounded to its unit's digits."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if sch is not None and sch.classes_of(column):
        parts = [p.strip() for p in str(value).split(",") if p.strip()]
        return ", ".join(sch.class_title(column, p, lang) or p for p in parts)
    if isinstance(value, bool):
        return _YES_NO[lang][0 if value else 1]
    if isinstance(value, int | float):
        decimals = sch.column_decimals(column) if sch is not None else None
        return format_number(float(value), DEFAULT_DECIMALS if decimals is None else decimals, lang)
    return str(value)


def is_hidden(sch: ResultSchema, column: str) -> bool:
    """Fields that stay in the data: bitmasks (a person reads the reasons instead)."""
    return (sch.declared_unit(column) or "").startswith("bitmask")


def labelled_feature(sch: ResultSchema, attributes: Mapping[str, object], lang: str,
                     rules: Mapping[str, RuleText]) -> list[dict[str, object]]:
    """A feature's attributes in schema order, each with title, unit, value and text; bitmasks left
    out; a field of rule ids reads as the rules' titles."""
    out = []
    for column in sch.column_names:
        if column not in attributes or is_hidden(sch, column):
            continue
        value = attributes[column]
        text = format_cell(sch, column, value, lang)
        if column in REASON_FIELDS and value not in (None, ""):
            text = "; ".join(rules[r].title(lang) if r in rules else r for r in split_reasons(value))
        unit = sch.column_unit(column)[lang]
        out.append({"field": column, "title": sch.column_title(column)[lang],
                    "unit": "" if unit == NO_UNIT else unit, "value": value, "text": text})
    return out


#: attribute names that list rule ids or reasons
REASON_FIELDS = ("reason", "reasons", "rule", "rules", "exclusion", "exclusion_reason", "criterion")


def split_reasons(value: object) -> list[str]:
    """``"a,b"`` -> ``["a", "b"]`` (a free-text reason without commas stays one)."""
    return [p.strip() for p in str(value).split(",") if p.strip()]


__all__ = ["REASON_FIELDS", "RuleText", "english_rule_titles", "format_cell", "format_number", "labelled_feature",
           "rule_texts", "rules_of_layer", "split_reasons"]
