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

    def column_title(self, column: str) -> dict[str, str]:
        """What a person sees as the column's name per language (the column name where none is declared)."""
        for name, de, en in self.column_titles:
            if name == column:
                return {"de": de, "en": en}
        return {"de": column, "en": column}


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
