"""The `potenzial` command."""

import typer

from potenzial.cli.data import data_app
from potenzial.cli.db import db_app
from potenzial.cli.layers import layers
from potenzial.cli.monitoring import monitoring_app
from potenzial.cli.region import region_app
from potenzial.cli.report import report_app
from potenzial.cli.run import demo, run
from potenzial.cli.scenario import scenario_app
from potenzial.cli.serve import serve

app = typer.Typer(help="Renewable-energy potentials per municipality.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
app.command("run")(run)
app.command("demo")(demo)
app.command("serve")(serve)
app.command("layers")(layers)
app.add_typer(db_app, name="db")
app.add_typer(report_app, name="report")
app.add_typer(region_app, name="region")
app.add_typer(data_app, name="data")
app.add_typer(monitoring_app, name="monitoring")
app.add_typer(scenario_app, name="scenario")

if __name__ == "__main__":
    app()
