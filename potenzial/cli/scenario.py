"""`potenzial scenario evaluate FILE`: a scenario's figures on the store's current run (the fast path);
`potenzial scenario compare A B …`: the county figures of several scenario files side by side."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
from rich.table import Table

from potenzial.cli.common import RichReporter, console, one_line_errors, settings_from
from potenzial.errors import NotFoundError
from potenzial.params import load_params
from potenzial.pipeline import run_pipeline
from potenzial.region import load_region
from potenzial.scenario_run import read_scenario_file, scenario_run_inputs
from potenzial.serving.headline import load_headline_params
from potenzial.serving.scenarios import ScenarioService
from potenzial.serving.services import RunServices
from potenzial.store import open_store

scenario_app = typer.Typer(help="What-if scenarios on the current run (fast path; exact: potenzial run --scenario).",
                           no_args_is_help=True)
#: the figures the table shows per municipality, with their units
SHOWN = (("wind_area_ha", "ha"), ("wind_turbines_estimated", ""), ("wind_yield_gwh_per_a", "GWh/a"),
         ("electricity_potential_gwh_per_a", "GWh_el/a"), ("heat_potential_gwh_per_a", "GWh_th/a"),
         ("electricity_use_with_add_ons_mwh_el_per_a", "MWh_el/a"), ("electricity_coverage_with_add_ons_pct", "%"))


@scenario_app.command("evaluate")
@one_line_errors
def evaluate(
    file: Path = typer.Argument(..., help="scenario file (TOML or JSON: residential_setback_m, switches, "
                                "pv_ground_power_density_mwp_per_ha, heat_pump_share_pct, ev_share_pct, name)"),
    store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder; default: "
                                     "POTENZIAL_STORE or the embedded store"),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
    exact: bool = typer.Option(False, "--exact", help="compute every geometry again: a full run with the "
                               "scenario's overrides into a temporary store (minutes); the table shows its "
                               "figures, with the fast path's county beside them"),
) -> None:
    """Print a scenario's figures per municipality and for the county, beside the base run's county."""
    answer = _answers(store, region, [file])[0]
    if exact:
        fast = answer
        answer = _exact_answer(store, region, file)
        answer["base_county"] = fast["base_county"]
        answer["fast_county"] = fast["county"]
    horizon = f", horizon {answer['horizon_year']}" if answer.get("horizon_year") else ""
    table = Table(title=f"scenario {answer['scenario']['name'] or file.name} on run {answer['run_id']}{horizon}")
    table.add_column("municipality")
    for column, unit in SHOWN:
        table.add_column(f"{column} [{unit}]" if unit else column, justify="right")
    rows = [*((m["name"], m) for m in answer["municipalities"]),
            ("county, exact" if exact else "county", answer["county"]),
            *((("county, fast path", answer["fast_county"]),) if exact else ()),
            ("county, base run", answer["base_county"])]
    for name, values in rows:
        table.add_row(name, *(f"{values[c]:,.1f}" if values.get(c) is not None else "–" for c, _ in SHOWN))
    console.print(table)


def _answers(store: str | None, region: str | None, files: list[Path]) -> list[dict]:
    """The fast path's answer to each scenario file on the store's current run (every file read first)."""
    settings = settings_from(store, region)
    docs = [read_scenario_file(f) for f in files]
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    opened = open_store(settings.store_url)
    try:
        record = opened.current_run()
        if record is None:
            raise NotFoundError("the store holds no run yet; run `potenzial run` first.")
        services = RunServices(opened, reg, settings.raster_cache, headline=load_headline_params(settings.params_dir),
                               rules_dir=settings.rules_dir)
        scenarios = ScenarioService(services)
        return [scenarios.evaluate(record, doc) for doc in docs]
    finally:
        opened.close()


def _exact_answer(store: str | None, region: str | None, file: Path) -> dict:
    """The scenario computed again: a full run with its overrides (:mod:`potenzial.scenario_run`) into a
    temporary embedded store, read back as that run's own figures (nothing is prepared or kept)."""
    settings = settings_from(store, region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    with tempfile.TemporaryDirectory(prefix="potenzial-exact-") as tmp:
        work = Path(tmp)
        _chosen, params, rules_dir = scenario_run_inputs(load_params(settings.params_dir), settings.rules_dir,
                                                         read_scenario_file(file), work / "rules")
        opened = open_store(str(work / "store"))
        try:
            opened.init()
            with RichReporter() as reporter:
                record = run_pipeline(reg, opened, params, reporter, raster_cache=work / "raster_cache",
                                      rules_dir=rules_dir, prepare=None)
            services = RunServices(opened, reg, work / "raster_cache",
                                   headline=load_headline_params(settings.params_dir), rules_dir=rules_dir)
            doc = read_scenario_file(file)
            own = {"precedence": doc["precedence"]} if "precedence" in doc else {}
            answer = ScenarioService(services).evaluate(record, own)
        finally:
            opened.close()
    answer["scenario"] = {**answer["scenario"], "name": read_scenario_file(file).get("name", "")}
    return answer


@scenario_app.command("compare")
@one_line_errors
def compare(
    files: list[Path] = typer.Argument(..., help="two or more scenario files (TOML or JSON, as for evaluate)"),
    store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder; default: "
                                     "POTENZIAL_STORE or the embedded store"),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
) -> None:
    """Print the county figures of two or more scenarios side by side, each with its difference to the first."""
    if len(files) < 2:
        raise typer.BadParameter("give at least two scenario files to compare.")
    answers = _answers(store, region, files)
    table = Table(title=f"scenarios on run {answers[0]['run_id']} (county; in brackets: difference to the first)")
    table.add_column("figure")
    for f, answer in zip(files, answers, strict=True):
        table.add_column(answer["scenario"]["name"] or f.name, justify="right")
    for column, unit in SHOWN:
        values = [a["county"].get(column) for a in answers]
        cells = []
        for i, v in enumerate(values):
            text = "–" if v is None else f"{v:,.1f}"
            if i > 0 and v is not None and values[0] is not None:
                text += f" ({v - values[0]:+,.1f})"
            cells.append(text)
        table.add_row(f"{column} [{unit}]" if unit else column, *cells)
    console.print(table)
