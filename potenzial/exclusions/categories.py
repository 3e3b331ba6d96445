"""Categories of eligible land, built on the rules and the evaluation of the exclusion engine.

The engine answers "which rules hit this cell". A land-based potential with *positive*
categories (open-field PV: EEG corridor, BauGB strip, less-favoured farmland, conversion land)
also needs:

- **Categories**: a category is a dated rule set (``layers/rules/*.toml``) whose ``include``
  rules define its land and whose ``exclude`` rules are exclusions of that category only (the
  15 m free strip of EEG 2021), plus a ``[category]`` table naming it and saying which include
  rules must *all* hit (less-favoured area AND farmland); of the other include rules at least
  one must hit (motorway OR railway corridor). :func:`load_category`, :func:`category_mask`.
- **Value checks**: rule filters and input data whose categorical values the catalog does not
  know (a land-cover code the catalog cannot map) fail at load time. The catalog documents
  the values of a column in the entry's ``units`` as ``column: a|b|c``.
  :func:`catalog_value_sets`, :func:`check_rule_values`, :func:`check_layer_values`.
- **Small pieces with a merge distance**: pieces of eligible land closer than a distance form
  one area; areas below a minimum size are dropped (:func:`drop_small_pieces`).

Pure functions: no file other than the rule set named, no store, API or CLI.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from potenzial.errors import ConfigError, InputDataError
from potenzial.exclusions.evaluate import Exclusions
from potenzial.exclusions.rules import LayerSpec, Rule, RuleSet, load_rule_set
from potenzial.grid import Grid

_FOUR = ndimage.generate_binary_structure(2, 1)
_VALUE_SET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^|;:]+(?:\|[^|;:]+)+)\s*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


# ================================================================================ value sets

def catalog_value_sets(units: Mapping[str, str]) -> dict[tuple[str, str], frozenset[str]]:
    """``{(layer, column): allowed values}`` from catalog ``units`` texts such as
    ``"class: arable|grassland|forest"`` (parts separated by ``;``; a part without ``|`` is a
    unit, not a value list, and is skipped)."""
    out: dict[tuple[str, str], frozenset[str]] = {}
    for layer_id, text in units.items():
        for part in str(text or "").split(";"):
            match = _VALUE_SET.match(part)
            if match:
                values = frozenset(v.strip() for v in match.group(2).split("|") if v.strip())
                out[(layer_id, match.group(1))] = values
    return out


def check_rule_values(rule_set: RuleSet, value_sets: Mapping[tuple[str, str], frozenset[str]],
                      path: Path | str) -> None:
    """ConfigError when a rule filters a column on a value the catalog does not list for it
    (e.g. ``class = "forst"`` for land cover ``arable|grassland|forest|…``)."""
    for rule in rule_set.rules:
        for column, value in rule.where.items():
            allowed = value_sets.get((rule.layer, column))
            if allowed is None or isinstance(value, dict):
                continue
            wanted = value if isinstance(value, list) else [value]
            unknown = [v for v in wanted if str(v) not in allowed]
            if unknown:
                raise ConfigError(
                    f"rule set {path}: rule {rule.id!r} filters layer {rule.layer!r} on {column} = "
                    f"{', '.join(map(str, unknown))}, which the catalog does not know; the catalog lists "
                    f"{'|'.join(sorted(allowed))}. Fix `where` (spelling) or the catalog entry's units.")


def check_layer_values(frame: gpd.GeoDataFrame, layer_id: str, column: str, allowed: Iterable[str]) -> None:
    """InputDataError when a layer holds values in ``column`` that the catalog cannot map."""
    allowed = frozenset(str(v) for v in allowed)
    if column not in frame.columns:
        raise InputDataError(f"layer {layer_id!r} has no column {column!r} (it has "
                             f"{', '.join(c for c in frame.columns if c != frame.geometry.name)}). Map it with "
                             "fields = { … } in the catalog entry.")
    present = frame[column]
    missing = int(present.isna().sum())
    values = set(present.dropna().astype(str).unique())
    unknown = sorted(values - allowed)
    if unknown or missing:
        shown = ", ".join(repr(v) for v in unknown[:8]) + (" …" if len(unknown) > 8 else "")
        what = f"codes {shown}" if unknown else ""
        if missing:
            what += (" and " if what else "") + f"{missing} empty value(s)"
        raise InputDataError(
            f"layer {layer_id!r}, column {column!r}: {what} that the catalog cannot map; it knows "
            f"{'|'.join(sorted(allowed))}. Recode the column to these classes (e.g. ogr2ogr -sql with a "
            "CASE expression) or extend the catalog entry's units and the rules that use them.")


# ================================================================================ categories

class CategoryHead(BaseModel):
    """The ``[category]`` table of a category rule set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    title: str = ""
    require_all: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """A named category of eligible land defined by a dated rule set."""

    name: str
    title: str
    rule_set: RuleSet
    require_all: tuple[str, ...]
    path: Path

    @property
    def include_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rule_set.enabled_rules if r.effect == "include")

    @property
    def exclude_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rule_set.enabled_rules if r.effect == "exclude")

    @property
    def any_of(self) -> tuple[str, ...]:
        """Include rules of which at least one must hit (empty: only ``require_all`` counts)."""
        return tuple(r.id for r in self.include_rules if r.id not in self.require_all)


def load_category(path: Path, layers: Mapping[str, LayerSpec],
                  value_sets: Mapping[tuple[str, str], frozenset[str]] | None = None) -> Category:
    """Read a category rule set: the engine checks the rules, this the ``[category]`` table,
    the filter values and that no category-only exclusion swallows the land it would shape
    (a free strip at least as wide as its corridor is an impossible buffer)."""
    path = Path(path)
    rule_set = load_rule_set(path, layers)
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    head = raw.get("category")
    if not isinstance(head, dict):
        raise ConfigError(f"rule set {path}: missing [category] table (name, title, require_all). A PV category "
                          "needs it; exclusions shared by all categories belong in the exclusions rule set.")
    try:
        spec = CategoryHead.model_validate(head)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ())) or "?"
        raise ConfigError(f"rule set {path}: [category] {loc}: {first.get('msg')} (got {first.get('input')!r}). "
                          "Fields: name, title, require_all.") from None
    if not _NAME.match(spec.name):
        raise ConfigError(f"rule set {path}: [category] name = {spec.name!r}; use lower-case letters, digits and "
                          "underscores, starting with a letter.")
    includes = {r.id for r in rule_set.rules if r.effect == "include"}
    if not includes:
        raise ConfigError(f"rule set {path}: category {spec.name!r} has no rule with effect = \"include\", so no land "
                          "would belong to it. Add the rules that define its land.")
    wrong = [rid for rid in spec.require_all if rid not in includes]
    if wrong:
        raise ConfigError(f"rule set {path}: [category] require_all names {', '.join(wrong)}, which are not include "
                          f"rules of this set (include rules: {', '.join(sorted(includes))}).")
    for rule in rule_set.rules:
        if rule.effect == "include" and not rule.enabled:
            raise ConfigError(f"rule set {path}: include rule {rule.id!r} is switched off; a category's land is "
                              "defined by law, not switched. Remove the rule or write a new dated rule set.")
    _check_strips(rule_set, path)
    if value_sets:
        check_rule_values(rule_set, value_sets, path)
    return Category(name=spec.name, title=spec.title or rule_set.title, rule_set=rule_set,
                    require_all=tuple(spec.require_all), path=path)


def load_exclusion_set(path: Path, layers: Mapping[str, LayerSpec],
                       value_sets: Mapping[tuple[str, str], frozenset[str]] | None = None) -> RuleSet:
    """An exclusion rule set shared by all categories: every rule must exclude."""
    path = Path(path)
    rule_set = load_rule_set(path, layers)
    wrong = [r.id for r in rule_set.rules if r.effect != "exclude"]
    if wrong:
        raise ConfigError(f"rule set {path}: rule(s) {', '.join(wrong)} have effect = \"include\", but this set holds "
                          "the exclusions shared by all categories. Move them into a category rule set.")
    if value_sets:
        check_rule_values(rule_set, value_sets, path)
    return rule_set


def _check_strips(rule_set: RuleSet, path: Path) -> None:
    """A category-only exclusion of the same features as an include rule must be narrower."""
    def same_features(a: Rule, b: Rule) -> bool:
        return a.layer == b.layer and a.where == b.where and a.width_column == b.width_column

    for inc in (r for r in rule_set.rules if r.effect == "include"):
        for exc in (r for r in rule_set.rules if r.effect == "exclude"):
            if same_features(inc, exc) and exc.buffer_m >= inc.buffer_m:
                raise ConfigError(
                    f"rule set {path}: exclusion {exc.id!r} ({exc.buffer_m:g} m) is at least as wide as the corridor "
                    f"{inc.id!r} ({inc.buffer_m:g} m) of the same features, so the category would be empty. "
                    "Fix one of the buffer_m values (a free strip is narrower than its corridor).")


def category_mask(result: Exclusions, category: Category, kinds: Sequence[str] = ("hard", "soft")) -> np.ndarray:
    """Cells of the category: hit by every ``require_all`` rule, by at least one of the other
    include rules (if any), and by none of the category's own exclusion rules of the given
    ``kinds`` (``("hard",)``: the technical stage). ``result`` is
    :func:`potenzial.exclusions.evaluate` of ``category.rule_set`` on the grid."""
    mask = np.ones(result.grid.shape, dtype=bool)
    for rule_id in category.require_all:
        mask &= result.hits([rule_id])
    if category.any_of:
        mask &= result.hits(category.any_of)
    if category.exclude_rules:
        mask &= ~result.excluded(kinds=kinds)
    return mask


# ================================================================================ small pieces

def merge_offsets(res_m: float, distance_m: float) -> list[tuple[int, int]]:
    """Offsets (rows, cols) between two cells whose squares are at most ``distance_m`` apart
    (edge to edge), one of each ± pair, without (0, 0) and without the 4-neighbours (those
    touch and already belong to one 4-connected piece)."""
    k = int(math.floor(distance_m / res_m)) + 1
    out = []
    for dr in range(k + 1):
        for dc in range(-k, k + 1):
            if dr == 0 and dc <= 0:
                continue
            if abs(dr) + abs(dc) == 1:
                continue
            gap = res_m * math.hypot(max(abs(dr) - 1, 0), max(abs(dc) - 1, 0))
            if gap <= distance_m + 1e-9:
                out.append((dr, dc))
    return out


def drop_small_pieces(mask: np.ndarray, grid: Grid, *, min_area_m2: float, merge_distance_m: float
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop the pieces of ``mask`` that belong to no area of at least ``min_area_m2``.

    Pieces are 4-connected regions of cells. Pieces whose cells (as squares) are at most
    ``merge_distance_m`` apart form one area (single linkage, so a chain of pieces each within
    the distance of the next is one area); an area smaller than ``min_area_m2`` is dropped with
    all its pieces. A 0.9 ha piece 5 m from a 3 ha piece stays; alone it goes.

    Returns ``(kept, piece_labels, area_of_piece)``: the kept cells, the 4-connected piece label
    of every kept cell (0 elsewhere, 1..n) and, indexed by piece label, the 1-based number of
    the merged area it belongs to (index 0 unused). A subset of the mask never keeps more cells.
    """
    labels, n = ndimage.label(mask, structure=_FOUR)
    if n == 0:
        return mask & False, labels, np.zeros(1, dtype=np.int64)
    cells = np.bincount(labels.ravel(), minlength=n + 1).astype(np.int64)
    edges_a: list[np.ndarray] = []
    edges_b: list[np.ndarray] = []
    if merge_distance_m > 0:
        h, w = labels.shape
        for dr, dc in merge_offsets(grid.res_m, merge_distance_m):
            if dr >= h or abs(dc) >= w:
                continue
            a = labels[0:h - dr, max(0, -dc):w - max(0, dc)]
            b = labels[dr:h, max(0, dc):w - max(0, -dc)]
            sel = (a != 0) & (b != 0) & (a != b)
            if sel.any():
                pair = np.unique(a[sel].astype(np.int64) * (n + 1) + b[sel])
                edges_a.append(pair // (n + 1))
                edges_b.append(pair % (n + 1))
    if edges_a:
        ea, eb = np.concatenate(edges_a), np.concatenate(edges_b)
        graph = coo_matrix((np.ones(len(ea), dtype=np.int8), (ea, eb)), shape=(n + 1, n + 1))
        _, group = connected_components(graph, directed=False)
    else:
        group = np.arange(n + 1)
    group = np.unique(group[1:], return_inverse=True)[1] + 1  # 1..m over pieces 1..n
    area_cells = np.bincount(group, weights=cells[1:], minlength=group.max() + 1)
    keep_piece = np.zeros(n + 1, dtype=bool)
    keep_piece[1:] = area_cells[group] * grid.cell_area_m2 >= min_area_m2 - 1e-6
    kept = keep_piece[labels]
    labels[~kept] = 0
    area_of_piece = np.zeros(n + 1, dtype=np.int64)
    area_of_piece[1:] = group
    return kept, labels, area_of_piece
