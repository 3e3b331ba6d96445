"""The region catalog: the shipped default region, overrides, and bad catalog files."""

import tomllib
from pathlib import Path

import pytest

from potenzial.errors import ConfigError, UnknownLayerError
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.sources.vector import read_vector
from potenzial.units import M2_PER_KM2

REGIONS = PROJECT_ROOT / "layers" / "regions"
VG5000_TOTAL_KM2 = 1655.6  # SOURCES.md: total area of the 30 VG5000 municipalities


def test_default_region_has_30_municipalities_summing_to_vg5000_total(tmp_path):
    region = load_region("lk-leipzig", REGIONS, tmp_path)
    municipalities = read_vector(region.layer(region.municipalities_layer))
    assert len(municipalities) == 30
    assert municipalities["ags"].str.startswith("14729").all()
    total_km2 = municipalities.geometry.area.sum() / M2_PER_KM2
    assert abs(total_km2 - VG5000_TOTAL_KM2) / VG5000_TOTAL_KM2 < 0.005


def test_every_entry_has_licence_attribution_and_provenance(tmp_path):
    region = load_region("lk-leipzig", REGIONS, tmp_path)
    for entry in region.layers.values():
        assert entry.licence and entry.attribution
        assert entry.provenance in ("real", "synthetic")
        if entry.provenance == "real":
            assert entry.path.is_file(), entry.id
            assert entry.path.is_relative_to(PROJECT_ROOT / "layers"), "real data ships in the repository"
        else:
            assert entry.generator, entry.id
            assert entry.path.is_relative_to(tmp_path), "stand-ins are generated into the data folder"


def test_shipped_attribution_file_names_every_licence():
    text = (REGIONS / "lk-leipzig" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for notice in ("© GeoBasis-DE / BKG 2021 (Daten verändert)", "dl-de/by-2-0", "Bundesnetzagentur",
                   "Statistische Ämter des Bundes und der Länder", "CC BY 4.0", "CM SAF", "IWU", "UFZ",
                   "Thünen"):
        assert notice in text, notice


def _write_region(folder: Path, layers: str) -> Path:
    path = folder / "region.toml"
    path.write_text(
        '[region]\nid = "t"\nname = "Test"\ncrs = "EPSG:25833"\nmunicipalities = "m"\n' + layers,
        encoding="utf-8")
    return path


def test_local_override_replaces_a_stand_in_with_a_real_file(tmp_path):
    src = (REGIONS / "lk-leipzig" / "region.toml").read_text(encoding="utf-8")
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "region.toml").write_text(src.replace('source = "data/', f'source = "{REGIONS}/lk-leipzig/data/'),
                                        encoding="utf-8")
    (folder / "region.local.toml").write_text(
        '[layers.buildings]\nsource = "my_buildings.gpkg"\nprovenance = "real"\n'
        'licence = "dl-de/by-2-0"\nattribution = "GeoSN"\n', encoding="utf-8")
    region = load_region(folder / "region.toml", REGIONS, tmp_path)
    entry = region.layer("buildings")
    assert entry.provenance == "real" and not entry.generator
    assert entry.path == folder / "my_buildings.gpkg"
    assert "buildings" not in [e.id for e in region.synthetic_layers]
    assert entry.columns == tuple(tomllib.loads(src)["layers"]["buildings"]["columns"])


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ('[layers.m]\ntitle="M"\nkind="vector"\nlicence="x"\nattribution="y"\nprovenance="maybe"\nsource="a.gpkg"\n',
         "provenance"),
        ('[layers.m]\ntitle="M"\nkind="mesh"\nlicence="x"\nattribution="y"\nprovenance="real"\nsource="a.gpkg"\n',
         "kind"),
        ('[layers.m]\ntitle="M"\nkind="vector"\nprovenance="real"\nsource="a.gpkg"\n', "licence"),
        ('[layers.x]\ntitle="M"\nkind="vector"\nlicence="x"\nattribution="y"\nprovenance="real"\nsource="a.gpkg"\n',
         "'m' is not in the catalog"),
        ('[layers.m]\ntitle="M"\nkind="vector"\nlicence="x"\nattribution="y"\nprovenance="real"\n', "source"),
    ],
)
def test_bad_catalog_entries_fail_with_the_reason(tmp_path, layers, message):
    with pytest.raises((ConfigError, UnknownLayerError), match=message):
        load_region(_write_region(tmp_path, layers), REGIONS, tmp_path)


def test_unknown_region_lists_known_ones(tmp_path):
    with pytest.raises(ConfigError, match="lk-leipzig"):
        load_region("atlantis", REGIONS, tmp_path)


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "region.toml"
    path.write_text("[region\nid=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_region(path, REGIONS, tmp_path)


def test_unknown_layer_id_lists_known_layers(tmp_path):
    region = load_region("lk-leipzig", REGIONS, tmp_path)
    with pytest.raises(UnknownLayerError, match="municipalities"):
        region.layer("roofs_of_atlantis")
