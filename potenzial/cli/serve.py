"""`potenzial serve`: the API and the map."""

from __future__ import annotations

import typer

from potenzial.cli.common import console, one_line_errors, settings_from
from potenzial.settings import Settings


def serve_app(settings: Settings, host: str, port: int, allow_superuser: bool = False, workers: int = 1) -> None:
    """Check the settings and the store's role here, in one line, then serve. With ``workers`` > 1 each
    worker process builds the app from the environment (the options given are passed on as
    ``POTENZIAL_*`` variables); caches are files in the raster cache, shared by the workers."""
    import os

    import uvicorn

    from api.app import create_app, open_server_store
    from api.serving import ServingSettings
    from potenzial.serving.headline import load_headline_params

    load_headline_params(settings.params_dir, settings.figures_precedence)  # a bad setting fails here, in one line
    serving = ServingSettings(allow_superuser=allow_superuser)
    open_server_store(settings, serving).close()  # a superuser is refused here, in one line
    console.print(f"serving the map on http://{host}:{port}  (Ctrl+C to stop)")
    if workers <= 1:
        uvicorn.run(create_app(settings, serving_settings=serving), host=host, port=port, log_level="warning")
        return
    os.environ.update({f"POTENZIAL_{name.upper()}": str(value) for name, value in settings.model_dump().items()})
    os.environ["POTENZIAL_SERVE_ALLOW_SUPERUSER"] = "1" if allow_superuser else "0"
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning")


@one_line_errors
def serve(
    store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder"),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port"),
    allow_superuser: bool = typer.Option(False, "--allow-superuser", help="serve even when the store URL names "
                                         "a PostgreSQL superuser (use the read-only role of `potenzial db init`)"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="server processes (about one per core)"),
) -> None:
    """Serve the API and the map from a store. On PostGIS every session is read-only; a superuser
    is refused unless --allow-superuser."""
    serve_app(settings_from(store, region), host, port, allow_superuser, workers)
