"""Result schemas: every layer and table a run produces, with column types.

Each potential declares its results in its own module here (``SCHEMAS = (...)``); the
registry collects every module of this package, so adding a potential adds a module and
touches no shared list. Geometry is always EPSG:25833. A PostGIS table for each schema is
created by an Alembic migration in ``potenzial/store/migrations/versions``.

A module may also declare ``DERIVED = (...)``: tables that are not stored but computed when
served from the stored ones (e.g. the headline figures). They have no table in a store; the
glossary lists them with the rest.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from potenzial.results.vocabulary import COMMON_LABELS, LANGUAGES, NO_UNIT, UNITS, ColumnLabel

#: column type names used in schemas -> pandas dtype used when reading back
PANDAS_DTYPES = {"text": "object", "int": "int64", "float": "float64", "bool": "bool"}


@dataclass(frozen=True)
class ValueClass:
    """One allowed value of a class column (e.g. a quality grade): the value as stored and what a
    person reads instead, in German and English."""

    code: str
    title_de: str
    title_en: str
    description: str = ""


@dataclass(frozen=True)
class ResultSchema:
    """A result layer (with geometry) or table (without)."""

    name: str
    columns: tuple[tuple[str, str], ...]  #: (name, type) with type in PANDAS_DTYPES
    geometry_type: str | None = None  #: e.g. "MULTIPOLYGON"; None for a plain table
    key: tuple[str, ...] = ()  #: columns that identify a row (sort order when reading back)
    description: str = ""
    units: tuple[tuple[str, str], ...] = ()  #: (column, unit) for the glossary and downloads
    per_municipality: bool = False  #: one row per AGS: merged into /api/municipalities
    title_de: str = ""  #: what a person sees as the layer's name, in German …
    title_en: str = ""  #: … and in English (fallback: the name with spaces)
    #: (column, German title, English title) of columns a person reads by title
    column_titles: tuple[tuple[str, str, str], ...] = ()
    #: (column, definition) of columns whose meaning the glossary spells out
    definitions: tuple[tuple[str, str], ...] = ()
    #: (column, its declared values with titles) for class columns: a person sees the title
    classes: tuple[tuple[str, tuple[ValueClass, ...]], ...] = ()
    #: title and short description per language of each column (columns of ``COMMON_LABELS`` may
    #: leave them out); ``column_titles`` is the older form, read where a column has no label
    labels: tuple[ColumnLabel, ...] = ()
    #: ids of the catalog input layers the result derives from (its provenance and attribution);
    #: None: not declared, every input of the run counts
    inputs: tuple[str, ...] | None = None
    #: (column, its inputs) for columns that derive from other inputs than the layer's own (``inputs``)
    column_inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def titles(self) -> dict[str, str]:
        """The layer's name per language; the identifier only where none is declared."""
        plain = self.name.replace("_", " ").capitalize()
        return {"de": self.title_de or self.title_en or plain, "en": self.title_en or plain}

    def classes_of(self, column: str) -> tuple[ValueClass, ...]:
        """The declared values of a class column (empty for other columns)."""
        return dict(self.classes).get(column, ())

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def column_label(self, column: str) -> ColumnLabel | None:
        """The column's declared label: its own, else the older ``column_titles``, else the common one."""
        for label in self.labels:
            if label.column == column:
                return label
        for name, de, en in self.column_titles:
            if name == column:
                common = COMMON_LABELS.get(column)
                return ColumnLabel(column, de, en, *((common.description_de, common.description_en)
                                                     if common else ("", "")))
        return COMMON_LABELS.get(column)

    def column_title(self, column: str) -> dict[str, str]:
        """What a person sees as the column's name per language (the column name where none is declared)."""
        label = self.column_label(column)
        if label is None:
            return {"de": column, "en": column}
        return {"de": label.title_de, "en": label.title_en}

    def column_description(self, column: str) -> dict[str, str]:
        """The column's short description per language (empty where none is declared)."""
        label = self.column_label(column)
        return {"de": label.description_de, "en": label.description_en} if label else {"de": "", "en": ""}

    def declared_unit(self, column: str) -> str | None:
        """The unit as declared in ``units`` (English, the key of ``vocabulary.UNITS``); None if none."""
        return dict(self.units).get(column)

    def column_unit(self, column: str) -> dict[str, str]:
        """The column's unit per language: from ``vocabulary.UNITS`` for its declared unit; "–" for a
        column without one (text, yes/no); the declared string itself where the vocabulary lacks it."""
        declared = self.declared_unit(column)
        if declared is None:
            return {"de": NO_UNIT, "en": NO_UNIT}
        unit = UNITS.get(declared)
        return {"de": unit.de, "en": unit.en} if unit else {"de": declared, "en": declared}

    def column_decimals(self, column: str) -> int | None:
        """Decimals a table rounds the column to (by its unit); None: not rounded."""
        unit = UNITS.get(self.declared_unit(column) or "")
        return unit.decimals if unit else None

    def label(self, column: str, lang: str = LANGUAGES[0]) -> str:
        """"Titel (Einheit)" in ``lang`` (de, en); the title alone for a column without a unit."""
        title, unit = self.column_title(column)[lang], self.column_unit(column)[lang]
        return title if unit in (NO_UNIT, "") else f"{title} ({unit})"

    def class_title(self, column: str, code: object, lang: str = LANGUAGES[0]) -> str | None:
        """The title of a class column's value in ``lang``; None for an undeclared value."""
        for value in self.classes_of(column):
            if value.code == str(code):
                return value.title_de if lang == "de" else value.title_en
        return None

    def inputs_of(self, column: str) -> tuple[str, ...] | None:
        """The catalog inputs a column derives from: its own where declared, else the schema's."""
        return dict(self.column_inputs).get(column, self.inputs)

    def describe(self) -> dict[str, object]:
        """Title and every column's title, unit, description and classes per language (``/api/schemas``)."""
        return {
            "title": self.titles,
            "description": self.description,
            "geometry_type": self.geometry_type,
            "per_municipality": self.per_municipality,
            "columns": {
                column: {"type": type_name, "title": self.column_title(column), "unit": self.column_unit(column),
                         "description": self.column_description(column), "decimals": self.column_decimals(column),
                         "classes": {v.code: {"de": v.title_de, "en": v.title_en} for v in self.classes_of(column)},
                         "inputs": None if self.inputs_of(column) is None else list(self.inputs_of(column) or ())}
                for column, type_name in self.columns
            },
        }


def collect(attribute: str = "SCHEMAS") -> dict[str, ResultSchema]:
    """Every ResultSchema declared by a module of this package, by name: the stored ones
    (``SCHEMAS``), or with ``attribute="DERIVED"`` the ones computed when served."""
    found: dict[str, ResultSchema] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for sch in getattr(module, attribute, ()):
            if sch.name in found:
                raise RuntimeError(f"result {sch.name!r} is declared twice (in {info.name}).")
            found[sch.name] = sch
    return found
