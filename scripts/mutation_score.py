"""Mutation scores per target from mutmut's results (``make mutation``).

    python scripts/mutation_score.py --run        # fresh mutants/, mutmut run on the targets, then the table
    python scripts/mutation_score.py              # the table of the last run
    python scripts/mutation_score.py --survivors  # ... and the diff of every survivor
    python scripts/mutation_score.py --no-skip-list  # ... counting the equivalent mutants as survivors

Run from the project root. mutmut's settings (which files, which tests) are ``[tool.mutmut]`` in
pyproject.toml; the targets below choose the functions that count. A target's score is
killed / (killed + survived): a timeout counts as killed, a mutant no selected test reaches
("no tests") as survived. Mutants listed in ``EQUIVALENT`` cannot change behaviour; they are left
out of the score and printed with their reason. Each entry names the text its mutated function must
contain (and the original must not), so that an entry which no longer fits the code is reported
instead of silently skipping another mutant.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MUTANTS = Path("mutants")
SEP = "ǁ"  # mutmut's separator between class and method in a mutant's name


@dataclass(frozen=True)
class Target:
    name: str
    path: str  #: source file, relative to the project root
    patterns: tuple[str, ...]  #: mutmut mutant names (fnmatch) that belong to the target


def _methods(module: str, cls: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{module}.x{SEP}{cls}{SEP}{n}__mutmut_*" for n in names)


TARGETS: tuple[Target, ...] = (
    Target("wind residential", "potenzial/wind/residential.py", ("potenzial.wind.residential.*",)),
    Target("wind placement", "potenzial/wind/placement.py", ("potenzial.wind.placement.*",)),
    Target("roof potential", "potenzial/solar_roof/potential.py", ("potenzial.solar_roof.potential.*",)),
    Target("gpkg publish", "potenzial/store/gpkg.py",
           _methods("potenzial.store.gpkg", "GeoPackageStore", "init", "publish", "_write", "_prune",
                    "current_run", "_record")),
    Target("postgis publish", "potenzial/store/postgis.py",
           _methods("potenzial.store.postgis", "PostgisStore", "publish", "_copy", "_prune", "current_run")),
    Target("api errors", "api/errors.py", ("api.errors.*",)),
)

_NO_DEFAULT = "FastAPI's validation errors always carry loc, msg and type, so the .get() default is never used"
_DEFAULT_ENCODING = ("the default text encoding is UTF-8 (Python 3.11 coerces the C locale to UTF-8; run ids are "
                     "ASCII), so the encoding argument changes nothing")
_RACE = ("missing_ok only matters when another process deletes the file between the glob and the unlink; "
         "no single-process test can order that")
_DRIVER = ("GDAL driver names are case-insensitive and a .gpkg file name selects the GPKG driver anyway")
_PROMOTE = ("the GPKG driver stores single polygons as the layer's declared MultiPolygon type by itself "
            "(geometry_type is passed), so promote_to_multi changes nothing")
_TMP_NAME = ("the temporary pointer's name inside tmp/ does not matter: it is renamed onto CURRENT right away and "
             "init() only clears *.partial.gpkg")
_SHAPE = ("every building is within the distance of itself, so the largest index is n - 1 on both axes and the "
          "inferred shape is (n, n)")
_WEIGHTS = "connected components depend on which entries are non-zero, not on their dtype"
_DIRECTED = ("the dwithin pairs are symmetric: weakly connected components of the directed graph (scipy's default "
             "connection='weak') are the undirected components")
_OBJECT = "a GeoSeries' values turn into an object array of geometries with or without dtype=object"
_SKIPPED_BY_TREE = "shapely's STRtree never returns missing or empty geometries, so filtering them out is a shortcut"
_DEAD_STORE = "in_plan is assigned again (from _inside_any) before it is first read"
_SRID = ("PostGIS gives a geometry of unknown SRID (0) the SRID of its typed column (geometry(…, 25833)) on "
         "input, so EWKB with or without the SRID stores the same")
_SAME_LENGTH = "every column comes from the same frame, so zip(strict=True) never finds columns of unequal length"
_MARGIN = ("the stencil's outer two rows and columns are never blocked: they lie at least max(a, b) = "
           "ceil(max(a, b) / res) cells from the centre, and the ellipse lies inside the circle of radius max(a, b); "
           "clipping them off the block changes nothing")
_INT_LIST = ("a list of Python ints becomes an int64 array anyway, and it is never empty here (with any eligible "
             "cell, the first candidate is free)")

#: mutant name -> (text in the mutated function, why the mutant cannot change behaviour)
EQUIVALENT: dict[str, tuple[str, str]] = {
    # api/errors.py
    "api.errors.x__validation_error__mutmut_3": (
        "or True", "the handler is registered for RequestValidationError only, so the isinstance test is always true"),
    "api.errors.x__validation_error__mutmut_9": ('e.get("loc", None)', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_11": ('e.get("loc", ))', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_19": ('e.get("msg", None)', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_21": ('e.get("msg", ))', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_24": ('e.get("msg", "XXXX")', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_29": ('e.get("type", None)', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_31": ('e.get("type", ))', _NO_DEFAULT),
    "api.errors.x__validation_error__mutmut_34": ('e.get("type", "XXXX")', _NO_DEFAULT),
    "api.errors.x_error_response__mutmut_32": (
        "SERVER_TEXT.get(status, None)", "every 5xx status in STATUS_CODES (500, 503) has a SERVER_TEXT entry"),
    "api.errors.x_error_response__mutmut_34": (
        "SERVER_TEXT.get(status, )", "every 5xx status in STATUS_CODES (500, 503) has a SERVER_TEXT entry"),
    "api.errors.x_error_response__mutmut_43": ('"retry-after"', "HTTP header names are case-insensitive"),
    "api.errors.x_error_response__mutmut_44": ('"RETRY-AFTER"', "HTTP header names are case-insensitive"),
    # potenzial/wind/residential.py
    "potenzial.wind.residential.x__group_sizes__mutmut_15": ("shape=None", _SHAPE),
    "potenzial.wind.residential.x__group_sizes__mutmut_17": ("(a, b)), )", _SHAPE),
    "potenzial.wind.residential.x__group_sizes__mutmut_19": ("np.ones(len(a), dtype=None)", _WEIGHTS),
    "potenzial.wind.residential.x__group_sizes__mutmut_21": ("np.ones(len(a), )", _WEIGHTS),
    "potenzial.wind.residential.x__group_sizes__mutmut_24": ("directed=None", _DIRECTED),
    "potenzial.wind.residential.x__group_sizes__mutmut_26": ("connected_components(graph, )", _DIRECTED),
    "potenzial.wind.residential.x__group_sizes__mutmut_27": ("directed=True", _DIRECTED),
    "potenzial.wind.residential.x__inside_any__mutmut_1": (
        "len(polygons) == 0 and len(points) == 0", "the early return is a shortcut: a tree of no polygons, or a "
        "query with no points, finds nothing either"),
    "potenzial.wind.residential.x__inside_any__mutmut_12": ("dtype=None)", _OBJECT),
    "potenzial.wind.residential.x__inside_any__mutmut_14": ("np.asarray(polygons.geometry.values, )", _OBJECT),
    "potenzial.wind.residential.x__inside_any__mutmut_17": (
        "shapely.is_missing(polys) & shapely.is_empty(polys)", _SKIPPED_BY_TREE),
    "potenzial.wind.residential.x__inside_any__mutmut_19": ("shapely.is_empty(None)", _SKIPPED_BY_TREE),
    "potenzial.wind.residential.x_classify_residential__mutmut_47": ("dtype=None)", _OBJECT),
    "potenzial.wind.residential.x_classify_residential__mutmut_49": (
        "np.asarray(residential.geometry.values, )", _OBJECT),
    "potenzial.wind.residential.x_classify_residential__mutmut_52": ("in_plan = None", _DEAD_STORE),
    "potenzial.wind.residential.x_classify_residential__mutmut_54": (
        "in_plan = np.zeros(len(geoms), dtype=None)", _DEAD_STORE),
    "potenzial.wind.residential.x_classify_residential__mutmut_56": ("in_plan = np.zeros(len(geoms), )", _DEAD_STORE),
    # potenzial/wind/placement.py
    "potenzial.wind.placement.x_ellipse_stencil__mutmut_42": (
        "metric <= 1.0 - _TOLERANCE", "< and <= differ only for a metric of exactly 1 - 1e-9; the tolerance exists so "
        "that a metric of 1 (exactly the spacing) stays free either way"),
    "potenzial.wind.placement.x_place_turbines__mutmut_84": (
        "i = int(free[0]) + 1", "restarting the scan earlier only revisits candidates that were blocked when they "
        "were passed (blocking only grows, a placed cell blocks itself): the same turbines, found more slowly"),
    "potenzial.wind.placement.x_place_turbines__mutmut_140": ("np.asarray(placed, dtype=None)", _INT_LIST),
    "potenzial.wind.placement.x_place_turbines__mutmut_142": ("np.asarray(placed, )", _INT_LIST),
    "potenzial.wind.placement.x_place_turbines__mutmut_57": (
        "stencil.shape[1] // 2", "the stencil is square (a meshgrid of the same offsets on both axes)"),
    "potenzial.wind.placement.x_place_turbines__mutmut_106": ("min(grid.height, r + reach - 1)", _MARGIN),
    "potenzial.wind.placement.x_place_turbines__mutmut_120": ("min(grid.width, c + reach - 1)", _MARGIN),
    # potenzial/store/postgis.py
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_10": ("dtype=None)", _OBJECT),
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_12": ("np.asarray(frame.geometry.values, )", _OBJECT),
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_20": ("hex=True, )", _SRID),
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_22": ("include_srid=False", _SRID),
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_24": ("strict=None", _SAME_LENGTH),
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_26": ("zip(*columns, )", _SAME_LENGTH),
    "potenzial.store.postgis.xǁPostgisStoreǁ_copy__mutmut_27": ("strict=False", _SAME_LENGTH),
    # potenzial/solar_roof/potential.py
    "potenzial.solar_roof.potential.x_assign_municipality__mutmut_4": (
        "to_numpy(), crs=None)", "the temporary point frame without a CRS only makes sjoin warn; same coordinates"),
    "potenzial.solar_roof.potential.x_assign_municipality__mutmut_7": (
        "to_numpy(), )", "the temporary point frame without a CRS only makes sjoin warn; same coordinates"),
    "potenzial.solar_roof.potential.x_assign_municipality__mutmut_19": (
        'predicate="within", )', "how='inner' is the default of geopandas.sjoin"),
    # potenzial/store/gpkg.py
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_record__mutmut_11": (
        "layer=RUN_TABLE, )", "the _run table has no geometry column: reading it with or without geometry is the same"),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_record__mutmut_12": (
        "read_geometry=True", "the _run table has no geometry column: reading it with or without geometry is the same"),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁinit__mutmut_7": (
        "parents=None", "runs/ is created first with parents=True, so the parent of tmp/ always exists"),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁinit__mutmut_9": (
        "self._tmp.mkdir(exist_ok=True)", "runs/ is created first with parents=True, so the parent of tmp/ exists"),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁinit__mutmut_11": (
        "parents=False", "runs/ is created first with parents=True, so the parent of tmp/ always exists"),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁinit__mutmut_20": ("missing_ok=None", _RACE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁinit__mutmut_21": ("missing_ok=False", _RACE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_prune__mutmut_14": ("missing_ok=None", _RACE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_prune__mutmut_15": ("missing_ok=False", _RACE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_write__mutmut_7": ('"driver": "gpkg"', _DRIVER),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_write__mutmut_13": ('kwargs["promote_to_multi"] = None', _PROMOTE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_write__mutmut_17": ('startswith("XXMULTIXX")', _PROMOTE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁ_write__mutmut_18": ('startswith("multi")', _PROMOTE),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_26": ("driver=None", _DRIVER),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_30": ("layer=RUN_TABLE, )", _DRIVER),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_32": ('driver="gpkg"', _DRIVER),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_42": ('"XXCURRENT.tmpXX"', _TMP_NAME),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_43": ('"current.tmp"', _TMP_NAME),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_44": ('"CURRENT.TMP"', _TMP_NAME),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_46": ("encoding=None", _DEFAULT_ENCODING),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_48": ('run_id + "\\n", )', _DEFAULT_ENCODING),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁpublish__mutmut_52": ('encoding="UTF-8"', _DEFAULT_ENCODING),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁcurrent_run__mutmut_3": ("encoding=None", _DEFAULT_ENCODING),
    "potenzial.store.gpkg.xǁGeoPackageStoreǁcurrent_run__mutmut_5": ('encoding="UTF-8"', _DEFAULT_ENCODING),
}

KILLED = {1, 3, 36, 37, 24, -24, 152, 255, -9, -11}  # failed, pytest error, timeouts, killed by the limit
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


@dataclass
class Count:
    killed: int = 0
    survived: int = 0
    no_tests: int = 0
    equivalent: int = 0
    not_checked: int = 0
    suspicious: int = 0

    @property
    def score(self) -> float | None:
        tested = self.killed + self.survived + self.no_tests
        return None if tested == 0 else self.killed / tested

    def add(self, other: Count) -> None:
        for field in vars(self):
            setattr(self, field, getattr(self, field) + getattr(other, field))


def _exit_codes(target: Target) -> dict[str, int | None]:
    meta = MUTANTS / f"{target.path}.meta"
    if not meta.is_file():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {k: v for k, v in codes.items() if any(fnmatch.fnmatchcase(k, p) for p in target.patterns)}


def _function_source(target: Target, mangled: str) -> str:
    """The source of one generated function (``x_name__mutmut_3`` or ``..._orig``) in mutants/."""
    spans = json.loads((MUTANTS / f"{target.path}.spans").read_text(encoding="utf-8"))["spans"]
    start, end = spans[mangled]
    lines = (MUTANTS / target.path).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[start - 1:end])


def _mangled(mutant: str) -> tuple[str, str]:
    """(mutant function, original function) names inside the mutated file."""
    func = mutant.rpartition(".")[2] if SEP not in mutant else mutant[mutant.index("x" + SEP):]
    return func, func.partition("__mutmut_")[0] + "__mutmut_orig"


def diff(target: Target, mutant: str) -> str:
    func, orig = _mangled(mutant)
    try:
        new, old = _function_source(target, func), _function_source(target, orig)
    except (KeyError, FileNotFoundError, json.JSONDecodeError):
        return "    (source not found; try `mutmut show " + mutant + "`)"
    old_lines = [line.replace(orig, "f") for line in old.splitlines()]
    new_lines = [line.replace(func, "f") for line in new.splitlines()]
    changed = [line for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return "\n".join("    " + line.strip()[:150] for line in changed)


def _is_equivalent(target: Target, mutant: str, problems: list[str], skip_list: bool = True) -> bool:
    entry = EQUIVALENT.get(mutant) if skip_list else None
    if entry is None:
        return False
    needle, _ = entry
    func, orig = _mangled(mutant)
    try:
        fits = needle in _function_source(target, func) and needle not in _function_source(target, orig)
    except (KeyError, FileNotFoundError, json.JSONDecodeError):
        fits = False
    if not fits:
        problems.append(f"{mutant}: the skip entry no longer fits the code ({needle!r}); it is counted")
    return fits


def count(target: Target, problems: list[str], skip_list: bool = True) -> tuple[Count, list[str]]:
    c, survivors = Count(), []
    for mutant, code in sorted(_exit_codes(target).items()):
        if code in SKIPPED:
            continue
        if code is None:
            c.not_checked += 1
        elif code in KILLED:
            c.killed += 1
        elif _is_equivalent(target, mutant, problems, skip_list):
            c.equivalent += 1
        elif code in SURVIVED:
            c.survived += 1
            survivors.append(mutant)
        elif code in NO_TESTS:
            c.no_tests += 1
            survivors.append(mutant)
        else:  # mutmut's "suspicious": neither pass nor fail; counted as survived
            c.suspicious += 1
            c.survived += 1
            survivors.append(mutant)
    return c, survivors


def _pct(score: float | None) -> str:
    return "   –  " if score is None else f"{100 * score:5.1f}%"


def report(show_survivors: bool, skip_list: bool = True) -> int:
    problems: list[str] = []
    header = f"{'target':<18}{'killed':>8}{'survived':>10}{'no tests':>10}{'equiv.':>8}{'unrun':>7}{'score':>9}"
    print(header)
    print("-" * len(header))
    total = Count()
    details: list[tuple[Target, list[str]]] = []
    for target in TARGETS:
        c, survivors = count(target, problems, skip_list)
        total.add(c)
        details.append((target, survivors))
        print(f"{target.name:<18}{c.killed:>8}{c.survived:>10}{c.no_tests:>10}{c.equivalent:>8}{c.not_checked:>7}"
              f"{_pct(c.score):>9}")
    print("-" * len(header))
    print(f"{'total':<18}{total.killed:>8}{total.survived:>10}{total.no_tests:>10}{total.equivalent:>8}"
          f"{total.not_checked:>7}{_pct(total.score):>9}")
    print("score = killed / (killed + survived + no tests); timeouts count as killed, equivalent mutants "
          "are left out")
    if EQUIVALENT and skip_list:
        print("\nequivalent mutants (left out of the score):")
        for mutant, (_, reason) in sorted(EQUIVALENT.items()):
            print(f"  {mutant}: {reason}")
    for problem in problems:
        print("WARNING:", problem)
    if show_survivors:
        for target, survivors in details:
            for mutant in survivors:
                print(f"\n{mutant}")
                print(diff(target, mutant))
    return 0


def run(max_children: int) -> float:
    """A fresh mutmut run over the targets' functions; returns the wall time [s]."""
    shutil.rmtree(MUTANTS, ignore_errors=True)  # stats from an earlier test suite would pick the wrong tests
    mutmut = Path(sys.executable).with_name("mutmut")
    patterns = [p for t in TARGETS for p in t.patterns]
    start = time.monotonic()
    done = subprocess.run([str(mutmut), "run", "--max-children", str(max_children), *patterns], check=False)
    wall_s = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"mutmut run failed with exit code {done.returncode}")
    return wall_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run mutmut first (fresh mutants/ folder)")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant workers (default 2)")
    parser.add_argument("--survivors", action="store_true", help="print the diff of every surviving mutant")
    parser.add_argument("--no-skip-list", action="store_true", help="count the listed equivalent mutants as survivors")
    args = parser.parse_args(argv)
    if not Path("pyproject.toml").is_file():
        raise SystemExit("run this from the project root (where pyproject.toml is)")
    wall_s = run(args.max_children) if args.run else None
    status = report(args.survivors, skip_list=not args.no_skip_list)
    if wall_s is not None:
        print(f"\nmutmut run: {wall_s:.0f} s wall time with {args.max_children} workers")
    return status


if __name__ == "__main__":
    sys.exit(main())
