"""Runtime settings, read from the environment (``POTENZIAL_*``) and built once by the caller.

Never instantiated at import time: the CLI and the API app factory build one and pass it down.
"""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGION = "lk-leipzig"


#: the parameter set used when none is given
DEFAULT_PARAMS_DIR = PROJECT_ROOT / "layers" / "params" / "default"

class Settings(BaseSettings):
    """Where things live. ``store`` is a ``postgresql://`` URL or a folder for the embedded store."""

    model_config = SettingsConfigDict(env_prefix="POTENZIAL_", extra="ignore")

    store: str = Field("", description="postgresql://… URL, or empty for the embedded GeoPackage store")
    data_dir: Path = Field(PROJECT_ROOT / "data", description="data folder (embedded store, synthetic layers)")
    raster_cache: Path = Field(PROJECT_ROOT / "raster_cache", description="COGs and rendered tiles")
    region: str = Field(DEFAULT_REGION, description="region id or path to a region TOML")
    regions_dir: Path = Field(PROJECT_ROOT / "layers" / "regions", description="region definitions (TOML)")
    sources_dir: Path = Field(PROJECT_ROOT / "layers" / "sources",
                              description="source catalog (TOML) that `potenzial data fetch` reads")
    template_region: Path = Field(PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "region.toml",
                                  description="region whose stand-ins and reference tables `region create` copies")
    prepare: str = Field("all", description="what a published run prepares for its first users: all, none, "
                         "or a comma-separated list of display, tiles, downloads, factsheets, rasters")
    rules_dir: Path = Field(PROJECT_ROOT / "layers" / "rules",
                            description="dated rule sets (TOML) that parameter sets name by file stem")
    params_dir: Path = Field(DEFAULT_PARAMS_DIR,
                             description="parameter set used when none is given: a folder of TOML files or one file")
    figures_precedence: str = Field("", description="headline figures: land that suits wind and open-field PV counts "
                                                    "for wind_first or pv_first (empty: [headline] precedence)")

    @property
    def store_url(self) -> str:
        """The effective store: a PostGIS URL or ``gpkg:<folder>``."""
        if self.store:
            return self.store
        return f"gpkg:{self.data_dir / 'store'}"
