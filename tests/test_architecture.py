"""Direction of imports: calculations never import web, database or CLI code."""

import ast
from pathlib import Path

from potenzial.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "potenzial"
#: modules and packages that are I/O edges and may import anything
EDGES = {"store", "cli", "serving", "pipeline.py", "settings.py"}
FORBIDDEN = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "geoalchemy2", "psycopg", "alembic", "typer",
             "rich", "folium", "api", "web", "potenzial.store", "potenzial.cli", "potenzial.pipeline")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in EDGES]


def test_core_modules_exist():
    names = {p.relative_to(PACKAGE).as_posix() for p in core_modules()}
    assert {"municipalities.py", "region.py", "crs.py", "units.py", "sources/vector.py"} <= names


def test_calculations_import_no_web_database_or_cli_code():
    offenders = []
    for path in core_modules():
        for name in imported_modules(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)} imports {name}")
    assert offenders == []


def test_no_bare_assert_on_input_in_library_code():
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in PACKAGE.rglob("*.py")
                 if any(isinstance(n, ast.Assert) for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert offenders == []


def test_only_the_settings_know_where_the_repository_is():
    """Folders (rules, parameters, regions, caches) come from the settings, passed down; no module
    of the library builds a path from the repository's location itself."""
    def names(path: Path) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | \
            {n.name for n in ast.walk(tree) if isinstance(n, ast.alias)}

    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in PACKAGE.rglob("*.py")
                 if p.name != "settings.py" and "PROJECT_ROOT" in names(p)]
    assert offenders == []


#: older modules above the limit; an entry goes when its module is split into a package
LONG_FOR_NOW: set[str] = set()  #: files allowed past the limit while they are split (none now)
MAX_LINES = 400


def test_no_module_grows_past_one_idea():
    """About 400 lines at most per module in the library, the API and the web page (JavaScript too)."""
    files = [p for folder in ("potenzial", "api", "web") for p in (PROJECT_ROOT / folder).rglob("*")
             if p.suffix in (".py", ".js") and "node_modules" not in p.parts]
    long = {p.relative_to(PROJECT_ROOT).as_posix(): n for p in files
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert {name: n for name, n in long.items() if name not in LONG_FOR_NOW} == {}


def test_every_step_prepares_in_check_and_receives_it_in_run():
    import inspect

    from potenzial.steps import all_steps

    for step in all_steps():
        assert list(inspect.signature(step.check).parameters) == ["ctx"], step.name
        assert len(inspect.signature(step.run).parameters) == 2, step.name
