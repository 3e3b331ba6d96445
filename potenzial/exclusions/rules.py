"""Rule sets: dated TOML files of rules (layer, filter, buffer, kind, effect, source), checked at load time."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from potenzial.errors import ConfigError

MAX_BUFFER_M = 20_000.0  #: a larger buffer is taken for a unit mistake [m] (15 km: DVOR test zones)
MAX_RULES = 32  #: enabled rules per evaluation (bits of the bitmask)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _plain_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("use lower-case letters, digits and underscores, starting with a letter")
    return value


#: the id of a rule or target: lower case, used in switches, layers and tables
PlainId = Annotated[str, AfterValidator(_plain_id)]

FilterValue = str | int | float | bool | list[str | int | float | bool] | dict[str, float]


# ================================================================================ rule sets

class Rule(BaseModel):
    """One rule: features of a layer, a buffer around them, and what hitting it means."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: PlainId
    title: str = ""  #: what a person reads instead of the id (German) …
    title_en: str = ""  #: … and in English
    layer: str  #: catalog layer id (or a layer derived by the calling step)
    where: dict[str, FilterValue] = Field(default_factory=dict)  #: attribute filter, see select_features
    buffer_m: float = Field(ge=0.0, le=MAX_BUFFER_M)  #: [m] exact Euclidean distance from the features
    #: [m] low, central, high of the buffer where the literature gives a range (central = buffer_m)
    buffer_range_m: tuple[float, float, float] | None = None
    kind: Literal["hard", "soft"]
    effect: Literal["exclude", "include"] = "exclude"
    switchable: bool = False  #: may a parameter set switch it on or off?
    enabled: bool = True
    width_column: str | None = None  #: lines are widened to this width [m] before measuring (edge)
    #: a polygon layer inside which the rule does not apply (e.g. designated wind energy areas, where
    #: the state setback does not apply); cells whose centre lies inside it are never hit by this rule
    not_within: str | None = None
    source: str = Field(min_length=3)  #: legal or technical source of the rule and its buffer
    note: str = ""

    @model_validator(mode="after")
    def _hard_rules_stay_on(self) -> Rule:
        if self.buffer_range_m is not None:
            low, central, high = self.buffer_range_m
            if not (0.0 <= low <= central <= high <= MAX_BUFFER_M) or central != self.buffer_m:
                raise ValueError(f"buffer_range_m = {list(self.buffer_range_m)} must be [low, central, high] in "
                                 f"metres with low <= central <= high and central = buffer_m ({self.buffer_m:g})")
        if not self.enabled and not self.switchable:
            raise ValueError("a rule that is not switchable must be enabled (set switchable = true "
                             "or enabled = true)")
        return self


class Target(BaseModel):
    """An area target of the law: a share of an area to be designated by a deadline, with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: PlainId
    title: str = ""
    share_pct: float = Field(gt=0.0, le=100.0)  #: [%] of the area the target applies to
    deadline: date  #: the date by which the share is due
    scope: str = Field(min_length=2)  #: whose area the share refers to (state, planning region, …)
    enacted: date  #: date of the law (or amendment) that sets the target
    source: str = Field(min_length=3)  #: the law, section and publication that set the target
    in_force: bool = True  #: False: a replaced target, reported for comparison only


class RuleSet(BaseModel):
    """A dated, versioned set of rules (one TOML file in layers/rules/)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    valid_from: date  #: the date from which the legal situation of this set applies
    jurisdiction: str = ""
    description: str = ""
    rules: tuple[Rule, ...]
    targets: tuple[Target, ...] = ()  #: area targets of the law (wind: WindBG, SächsLPlG)

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"rule ids {dup} occur more than once; every rule needs its own id")
        tids = [t.id for t in self.targets]
        dup = sorted({i for i in tids if tids.count(i) > 1})
        if dup:
            raise ValueError(f"target ids {dup} occur more than once; every target needs its own id")
        if not self.rules:
            raise ValueError("the rule set holds no [[rules]]")
        enabled = len(self.enabled_rules)
        if enabled > MAX_RULES:
            raise ValueError(f"{enabled} rules are enabled; at most {MAX_RULES} can be evaluated at once (bits of "
                             "the bitmask). Switch some off (enabled = false) or split the set")
        return self

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise ConfigError(f"rule set {self.id!r} has no rule {rule_id!r}; its rules are "
                          f"{', '.join(r.id for r in self.rules)}.")

    @property
    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def with_switches(self, switches: Mapping[str, bool]) -> RuleSet:
        """The set with switchable rules turned on/off; unknown or fixed rules are a ConfigError."""
        known = {r.id: r for r in self.rules}
        unknown = sorted(set(switches) - set(known))
        if unknown:
            raise ConfigError(f"switches name unknown rule(s) {', '.join(unknown)} of rule set {self.id!r}; "
                              f"switchable rules are {', '.join(r.id for r in self.rules if r.switchable) or 'none'}.")
        fixed = sorted(k for k, v in switches.items() if not known[k].switchable and bool(v) != known[k].enabled)
        if fixed:
            raise ConfigError(f"rule(s) {', '.join(fixed)} of rule set {self.id!r} are not switchable (a legal "
                              "requirement); remove them from the switches or write a new dated rule set.")
        rules = tuple(r.model_copy(update={"enabled": bool(switches.get(r.id, r.enabled))}) for r in self.rules)
        enabled = sum(r.enabled for r in rules)
        if enabled > MAX_RULES:
            raise ConfigError(f"the switches enable {enabled} rules of rule set {self.id!r}; at most {MAX_RULES} can "
                              "be evaluated at once. Switch some off or split the set.")
        return self.model_copy(update={"rules": rules})


@dataclass(frozen=True)
class LayerSpec:
    """What the rule loader may know about a layer: its columns and geometry family."""

    columns: tuple[str, ...] = ()
    geometry: str = ""  #: point | line | polygon | "" (unknown)


def load_rule_set(path: Path, layers: Mapping[str, LayerSpec]) -> RuleSet:
    """Read and check a rule-set TOML file against the layers the run has.

    Fails with a ConfigError naming the file, the rule, the value and the fix for: invalid TOML,
    a missing or wrong field, a negative or absurd buffer, a layer that is not in ``layers``,
    a filter or width column the layer does not have, a line or point layer with no buffer
    and no width (which would exclude nothing).
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"rule set {path} does not exist. Name a file in layers/rules/ (e.g. wind_sn_2022).")
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rule set {path}: not valid TOML ({exc}). Fix the syntax at that line.") from None
    head = raw.get("rule_set")
    if not isinstance(head, dict):
        raise ConfigError(f"rule set {path}: missing [rule_set] table with id, title and valid_from.")
    doc = {**head, "rules": raw.get("rules", []), "targets": raw.get("targets", [])}
    try:
        rule_set = RuleSet.model_validate(doc)
    except ValidationError as exc:
        raise ConfigError(f"rule set {path}: {_describe_validation(exc, doc)}") from None
    for rule in rule_set.rules:
        _check_rule_against_layers(rule, layers, path)
    return rule_set


def _describe_validation(exc: ValidationError, doc: dict) -> str:
    first = exc.errors()[0]
    loc = list(first.get("loc", ()))
    where = ""
    if len(loc) >= 2 and loc[0] in ("rules", "targets") and isinstance(loc[1], int):
        entries = doc.get(loc[0], [])
        entry = entries[loc[1]] if loc[1] < len(entries) and isinstance(entries[loc[1]], dict) else {}
        rid = entry.get("id", f"#{loc[1] + 1}")
        field_name = ".".join(str(x) for x in loc[2:])
        where = f"{'rule' if loc[0] == 'rules' else 'target'} {rid!r}" + (f", field {field_name}" if field_name else "")
    else:
        where = f"field {'.'.join(str(x) for x in loc) or '?'}"
    value = first.get("input")
    msg = first.get("msg", "invalid")
    fix = ""
    if loc and loc[-1] == "buffer_m":
        fix = (f" Buffers are metres from the features, 0 to {MAX_BUFFER_M:,.0f} m "
               "(1 km = 1000); fix buffer_m.")
    elif loc and loc[0] == "targets" and loc[-1] == "source":
        fix = (" Every target needs its legal source: the law, section and publication (e.g. \"Anlage 1 "
               "Spalte 2 WindBG vom 20. Juli 2022, BGBl. I S. 1353\").")
    elif first.get("type") == "missing":
        fix = " Add it."
    elif first.get("type") == "extra_forbidden" and loc and loc[0] == "targets":
        fix = (" Remove it or check the spelling (fields: id, title, share_pct, deadline, scope, enacted, source, "
               "in_force).")
    elif first.get("type") == "extra_forbidden":
        fix = " Remove it or check the spelling (fields: id, title, layer, where, buffer_m, kind, effect, " \
              "switchable, enabled, width_column, buffer_range_m, not_within, source, note)."
    shown = "" if first.get("type") == "missing" else f" (got {value!r})"
    return f"{where}: {msg}{shown}.{fix}"


def _check_rule_against_layers(rule: Rule, layers: Mapping[str, LayerSpec], path: Path) -> None:
    what = f"rule set {path}: rule {rule.id!r}"
    if rule.layer not in layers:
        raise ConfigError(f"{what} refers to layer {rule.layer!r}, which is not in the catalog. Known layers: "
                          f"{', '.join(sorted(layers))}. Fix `layer` or add the layer to the region catalog.")
    spec = layers[rule.layer]
    columns = set(spec.columns)
    if columns:
        for col in list(rule.where) + ([rule.width_column] if rule.width_column else []):
            if col not in columns:
                raise ConfigError(f"{what} filters on column {col!r}, but layer {rule.layer!r} has the columns "
                                  f"{', '.join(spec.columns)}. Fix `where`/`width_column`.")
    for col, value in rule.where.items():
        if isinstance(value, dict):
            bad = sorted(set(value) - {"min", "max"})
            if bad or not value:
                raise ConfigError(f"{what}: where.{col} = {value!r}; a range is {{ min = …, max = … }}.")
    if rule.not_within is not None:
        if rule.not_within not in layers:
            raise ConfigError(f"{what}: not_within = {rule.not_within!r} is not in the catalog. Known layers: "
                              f"{', '.join(sorted(layers))}. Fix `not_within` or add the layer to the region catalog.")
        if layers[rule.not_within].geometry not in ("polygon", ""):
            raise ConfigError(f"{what}: not_within = {rule.not_within!r} has {layers[rule.not_within].geometry} "
                              "geometry; the exception needs polygons (areas inside which the rule does not apply).")
    if spec.geometry in ("line", "point") and rule.buffer_m == 0 and not rule.width_column:
        raise ConfigError(f"{what}: layer {rule.layer!r} has {spec.geometry} geometry, and buffer_m = 0 with no "
                          "width_column excludes nothing. Give it a buffer_m > 0 or width_column = \"width_m\".")


def resolve_rule_set_path(name: str, rules_dir: Path) -> Path:
    """``wind_sn_2022`` -> ``<rules_dir>/wind_sn_2022.toml``; a path to an existing .toml file stays."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    path = rules_dir / f"{candidate.stem}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in rules_dir.glob("*.toml"))) or "none"
        raise ConfigError(f"rule set {name!r} not found in {rules_dir}. Known rule sets: {known}; "
                          "or give the path of a .toml file.")
    return path
