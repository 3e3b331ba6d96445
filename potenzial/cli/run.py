"""`potenzial run` and `potenzial demo`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from potenzial.cli.common import RichReporter, console, err_console, one_line_errors, settings_from
from potenzial.params import load_params
from potenzial.pipeline import run_pipeline
from potenzial.region import load_region
from potenzial.runs import RunRecord
from potenzial.scenario_run import read_scenario_file, scenario_run_inputs
from potenzial.settings import Settings
from potenzial.store import open_store

StoreOpt = typer.Option(None, "--store",
                        help="postgresql://… URL or a folder; default: POTENZIAL_STORE or the embedded store")
RegionOpt = typer.Option(None, "--region", help="region id (lk-leipzig) or path to a region TOML")
ParamsOpt = typer.Option(None, "--params", help="parameter set: a TOML file or a folder of them; default: "
                         "POTENZIAL_PARAMS_DIR or layers/params/default")


def run_region(settings: Settings, params_path: Path | None = None, only: list[str] | None = None,
               wait: bool = False, scenario: Path | None = None) -> RunRecord:
    """Run the pipeline with the settings' folders; ``params_path`` (default ``settings.params_dir``);
    ``wait``: queue behind a run that holds the store's run lock instead of refusing; ``scenario``: a
    scenario file whose overrides the run applies (the exact answer to it, every geometry computed again)."""
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    params = load_params(params_path or settings.params_dir)
    with tempfile.TemporaryDirectory(prefix="potenzial-scenario-") as tmp:
        rules_dir = settings.rules_dir
        if scenario is not None:
            chosen, params, rules_dir = scenario_run_inputs(params, settings.rules_dir, read_scenario_file(scenario),
                                                            Path(tmp))
            console.print(f"scenario {chosen.name or scenario.name}: {chosen.as_dict()}", highlight=False)
        store = open_store(settings.store_url)
        try:
            store.init()
            with RichReporter() as reporter:
                record = run_pipeline(region, store, params, reporter, only=only,
                                      raster_cache=settings.raster_cache, rules_dir=rules_dir,
                                      wait=wait, on_wait=_say_waiting)
            summarise(settings, record)
            return record
        finally:
            store.close()


def _say_waiting(holder: str) -> None:
    err_console.print(f"waiting for {holder} to finish writing into the store …", highlight=False,
                      soft_wrap=True)


def summarise(settings: Settings, record: RunRecord) -> None:
    table = Table(title=f"run {record.run_id}", show_header=True)
    table.add_column("step")
    table.add_column("seconds", justify="right")
    for step, seconds in record.timings_s.items():
        table.add_row(step, f"{seconds:.2f}")
    console.print(table)
    for product, entry in record.prepared.get("products", {}).items():
        failed = f", [yellow]{entry['failed']} failed[/] ({escape(entry['error'])})" if entry["failed"] else ""
        console.print(f"prepared {product}: {entry['prepared']}{failed}", highlight=False)
    if record.prepared.get("error"):
        console.print(f"[yellow]preparation failed:[/] {escape(record.prepared['error'])}", highlight=False)
    console.print(f"store: {settings.store_url if not settings.store else _redact(settings.store)}")
    console.print(f"params sha256: {record.params_hash[:16]}…  code: {record.code_version}")
    if record.synthetic_inputs:
        console.print(f"[yellow]synthetic stand-ins used:[/] {', '.join(record.synthetic_inputs)}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url.replace("postgresql://", "postgresql+psycopg://", 1)).render_as_string(hide_password=True)
    except Exception:
        return "<store url>"


@one_line_errors
def run(
    store: str | None = StoreOpt,
    region: str | None = RegionOpt,
    params: Path | None = ParamsOpt,
    only: list[str] | None = typer.Option(None, "--only", help="run only this step (repeatable); the other "
                                          "results are carried over from the current run"),
    wait: bool = typer.Option(False, "--wait", help="when another run is writing into the store, wait for it "
                              "to finish instead of refusing"),
    scenario: Path | None = typer.Option(None, "--scenario", help="a scenario file (TOML or JSON: "
                                         "residential_setback_m, switches, pv_ground_power_density_mwp_per_ha): the "
                                         "exact answer to it"),
) -> None:
    """Run the pipeline for a region into a store (atomically: a failed run changes nothing).
    One run writes into a store at a time: a second one refuses, or queues with --wait."""
    run_region(settings_from(store, region), params, only, wait, scenario)


@one_line_errors
def demo(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port"),
    no_serve: bool = typer.Option(False, "--no-serve", help="only run, do not serve"),
) -> None:
    """Run the default region into the embedded store, then serve the map."""
    settings = Settings(store="")
    run_region(settings)
    if not no_serve:
        from potenzial.cli.serve import serve_app

        serve_app(settings, host, port)
