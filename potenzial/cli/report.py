"""`potenzial report method`: the method report of the current run, as Markdown."""

from __future__ import annotations

from pathlib import Path

import typer

from potenzial.cli.common import console, one_line_errors, settings_from
from potenzial.params import load_params, plain
from potenzial.region import load_region
from potenzial.serving.method_report import method_report
from potenzial.store import open_store

report_app = typer.Typer(help="Reports of the current run.", no_args_is_help=True)


@report_app.command("method")
@one_line_errors
def method(
    store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder; default: "
                                     "POTENZIAL_STORE or the embedded store"),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path (its references.toml)"),
    out: Path | None = typer.Option(None, "--out", help="write the Markdown to this file instead of stdout"),
) -> None:
    """Each technology's cascade (technical, restricted, realisable) beside published figures, with the
    assumptions that drive each stage and their ranges; the electricity use per horizon with heat pumps and
    e-mobility and its coverage."""
    settings = settings_from(store, region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    opened = open_store(settings.store_url)
    try:
        demand = load_params(settings.params_dir).values.get("demand", {})
        text = method_report(opened, reg.root / "references.toml", plain(demand).get("add_ons"))
    finally:
        opened.close()
    if out is None:
        typer.echo(text, nl=False)
        return
    tmp = out.with_name(f".{out.name}.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)  # never a half-written report
    console.print(f"method report written to {out}")
