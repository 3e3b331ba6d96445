"""The shipped source catalog, the TOML writer, and fetching LoD2 CityGML tiles from a loopback server."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from potenzial.data.download import FetchError
from potenzial.data.fetch import fetch_region, select_sources
from potenzial.data.region_create import boundaries_from_file, create_region, select_municipalities
from potenzial.data.sources import load_sources
from potenzial.data.toml_text import dumps
from potenzial.errors import ConfigError, CRSError
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.sources.citygml import read_citygml_roofs
from potenzial.sources.vector import read_vector
from tests.support.citygml import GABLE, building, citygml
from tests.support.source_server import SourceServer

SOURCES = PROJECT_ROOT / "layers" / "sources"
TEMPLATE = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "region.toml"
VG5000 = TEMPLATE.parent / "data" / "admin_vg5000_2021_sachsen.gpkg"
BORSDORF = "14729060"   #: holds (330,000 m, 5,690,000 m), where tests/support/citygml.py puts its houses
#: the issue's list: each must have an entry
EXPECTED = {"vg250_municipalities", "geosn_alkis_hausumringe", "geosn_lod2", "geosn_dgm1", "geosn_dom1",
            "geosn_basis_dlm", "osm_sachsen", "bfn_natura2000", "lfulg_schutzgebiete", "lfulg_wasserschutzgebiete",
            "lfulg_ueberschwemmungsgebiete", "benachteiligte_gebiete", "lmbv_bergbaufolge", "dfs_aviation",
            "global_wind_atlas_150m", "mastr_units", "regionalstatistik_population"}


def test_the_shipped_catalog_names_licence_attribution_docs_and_the_layer_of_each_source():
    sources = load_sources([SOURCES])
    assert set(sources) >= EXPECTED
    layers = tomllib.loads(TEMPLATE.read_text(encoding="utf-8"))["layers"]
    for source in sources.values():
        assert source.licence and source.attribution, source.id
        assert source.extra.get("docs"), f"{source.id}: cite the page the URL and licence come from"
        assert source.url_verified is False   # no internet in the build: nothing claims to be verified
        if source.fetch:
            assert source.fills in layers or source.extra.get("new_layer"), \
                f"{source.id} fills {source.fills}, not a layer of the default region"
            assert source.url or source.tile_index or source.extra.get("tile_url_pattern")
        # what the entry was compared with, dated; "unverified" where the documentation did not say
        assert str(source.extra.get("checked", ""))[:4].isdigit(), f"{source.id}: say what was checked, and when"
        if source.id.startswith("geosn_"):
            assert source.licence == "dl-de/by-2-0" and "GeoSN" in source.attribution
    for head in (tomllib.loads(p.read_text(encoding="utf-8"))["catalog"] for p in SOURCES.glob("*.toml")):
        assert head["version"]   # a versioned catalog


def test_only_names_an_unknown_source_in_one_line(tmp_path):
    region = load_region("lk-leipzig", PROJECT_ROOT / "layers" / "regions", tmp_path)
    with pytest.raises(ConfigError, match="--only nonsense"):
        select_sources(region, load_sources([SOURCES]), ["nonsense"])
    picked = select_sources(region, load_sources([SOURCES]), ["terrain"])
    assert [s.id for s in picked] == ["geosn_dgm1"]


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
_scalar = st.one_of(_text, st.integers(-10**9, 10**9), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False))
_key = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)


@given(st.dictionaries(_key, st.dictionaries(_key, st.one_of(_scalar, st.lists(_scalar, max_size=3),
                                                              st.dictionaries(_key, _text, max_size=3)),
                                             max_size=4), max_size=3))
def test_written_toml_reads_back_the_same(layers):
    doc = {"region": {"id": "x", "name": "Zwenkau – Seen"}, "layers": layers}
    assert tomllib.loads(dumps(doc, "a header\nof two lines")) == doc


def _lod2_zip(path: Path, srs: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("lod2_33330_5690_2_sn.gml", citygml("2.0", [building("DESN_LOD2_A", GABLE)], srs=srs))
    return path


@pytest.fixture()
def borsdorf(tmp_path):
    munis = select_municipalities(boundaries_from_file(VG5000, "AGS", "GEN", layer="sachsen_gemeinden"),
                                  "14729", [BORSDORF], "VG5000")
    created = create_region(munis, "borsdorf", "Borsdorf", tmp_path / "regions", TEMPLATE, seed=1)
    return load_region(created.region_file, tmp_path / "regions", tmp_path / "data"), munis


def _catalog(path: Path, base: str, crs: str = "") -> Path:
    path.write_text(f"""[catalog]
id = "t"
version = "1"
[sources.lod2]
title = "LoD2 (Test)"
fills = "buildings"
kind = "citygml"
layout = "tiles"
tile_index = "{base}/index.geojson"
member = "*.gml"
{f'crs = "{crs}"' if crs else ''}
licence = "dl-de/by-2-0"
attribution = "Quelle: GeoSN, dl-de/by-2-0"
""", encoding="utf-8")
    return path


def _index(folder: Path, base: str) -> None:
    tile = gpd.GeoDataFrame({"url": [f"{base}/lod2/lod2_33330_5690_2_sn_citygml.zip"]},
                            geometry=[shapely.box(330_000, 5_690_000, 332_000, 5_692_000)], crs=25833)
    tile.to_file(folder / "index.geojson", driver="GeoJSON")


def test_lod2_tiles_become_the_buildings_and_their_roof_planes(borsdorf, tmp_path):
    region, munis = borsdorf
    served = tmp_path / "served"
    (served / "lod2").mkdir(parents=True)
    with SourceServer(served) as server:
        _index(served, server.url)
        _lod2_zip(served / "lod2" / "lod2_33330_5690_2_sn_citygml.zip", "EPSG:25833")
        sources = list(load_sources([_catalog(tmp_path / "c.toml", server.url)]).values())
        done = fetch_region(region, sources, tmp_path / "cache", tuple(munis.total_bounds))
    assert done[0].layer == "buildings" and done[0].files == 1
    fresh = load_region(region.root / "region.toml", region.root.parent, tmp_path / "data")
    entry = fresh.layer("buildings")
    assert entry.provenance == "real" and entry.path.is_dir()
    assert entry.extra["lod2"] == "data/real/buildings_lod2" and entry.extra["lod2_crs"] == "EPSG:25833"
    footprints = read_vector(entry)
    assert list(footprints["building_id"]) == ["DESN_LOD2_A"]
    assert footprints.geometry.area.iloc[0] == pytest.approx(80.0, rel=1e-6)   # 10 m x 8 m
    planes, _, _ = read_citygml_roofs(fresh.root / str(entry.extra["lod2"]))
    assert sorted(planes["tilt_deg"].round(3)) == [35.0, 35.0]
    assert sorted(planes["azimuth_deg"].round(1)) == [0.0, 180.0]   # the ridge runs east-west


def test_lod2_without_srsname_and_without_stated_crs_is_refused(borsdorf, tmp_path):
    region, munis = borsdorf
    served = tmp_path / "served"
    (served / "lod2").mkdir(parents=True)
    with SourceServer(served) as server:
        _index(served, server.url)
        _lod2_zip(served / "lod2" / "lod2_33330_5690_2_sn_citygml.zip", "")
        sources = list(load_sources([_catalog(tmp_path / "c.toml", server.url)]).values())
        with pytest.raises(CRSError, match="no srsName"):
            fetch_region(region, sources, tmp_path / "cache", tuple(munis.total_bounds))
    assert not (region.root / "region.local.toml").exists()
    assert not (region.root / "data" / "real").exists()


def test_a_source_without_a_complete_url_is_refused_before_any_download(borsdorf, tmp_path):
    """The statewide ALKIS package has a placeholder share in the shipped catalog: fetching it says so."""
    region, munis = borsdorf
    alkis = load_sources([SOURCES])["geosn_alkis_hausumringe"]
    with pytest.raises(ConfigError, match="geosn_alkis_hausumringe.*no complete url"):
        fetch_region(region, [alkis], tmp_path / "cache", tuple(munis.total_bounds))
    assert not (tmp_path / "cache").exists()


def test_geojson_in_degrees_from_a_wfs_is_reprojected_mapped_and_clipped(borsdorf, tmp_path):
    """A BfN-style GeoJSON (EPSG:4326, RFC 7946) with a NAME column: one FFH area over Borsdorf and one
    100 km away; the region keeps the first, in EPSG:25833, with kind = natura2000_ffh."""
    region, munis = borsdorf
    centre = munis.geometry.iloc[0].representative_point()
    near = shapely.Point(centre.x, centre.y).buffer(500.0)       # a 500 m disc: 78.5 ha
    far = shapely.Point(centre.x + 100_000, centre.y).buffer(500.0)
    served = tmp_path / "served"
    served.mkdir()
    gpd.GeoDataFrame({"NAME": ["Partheaue", "Fern"]}, geometry=[near, far], crs=25833).to_crs(4326).to_file(
        served / "ffh.geojson", driver="GeoJSON")
    (tmp_path / "c.toml").write_text("""[catalog]
id = "t"
version = "1"
[sources.ffh]
title = "FFH (Test)"
fills = "protected_areas"
kind = "vector"
layout = "file"
url = "URL/ffh.geojson"
geometry = "polygon"
columns = ["kind", "name"]
fields = { name = "NAME" }
kind_value = "natura2000_ffh"
licence = "dl-de/by-2-0"
attribution = "BfN"
""", encoding="utf-8")
    with SourceServer(served) as server:
        text = (tmp_path / "c.toml").read_text(encoding="utf-8").replace("URL", server.url)
        (tmp_path / "c.toml").write_text(text, encoding="utf-8")
        fetch_region(region, list(load_sources([tmp_path / "c.toml"]).values()), tmp_path / "cache",
                     tuple(munis.total_bounds))
    fresh = load_region(region.root / "region.toml", region.root.parent, tmp_path / "data")
    areas = read_vector(fresh.layer("protected_areas"))
    assert list(areas["name"]) == ["Partheaue"] and list(areas["kind"]) == ["natura2000_ffh"]
    assert areas.crs.to_epsg() == 25833
    assert areas.geometry.area.iloc[0] / 1e4 == pytest.approx(78.5, rel=0.01)   # π · 500² m² = 78.5 ha


def test_a_raster_api_path_without_extension_must_deliver_a_geotiff(borsdorf, tmp_path):
    """The Global Wind Atlas serves its country GeoTIFF from …/api/gis/country/DEU/wind-speed/150 (no
    extension): an HTML page there is refused as not a GeoTIFF, and nothing is cached."""
    region, munis = borsdorf
    served = tmp_path / "served"
    served.mkdir()
    with SourceServer(served) as server:
        server.html.add("/api/gis/country/DEU/wind-speed/150")
        sources = tmp_path / "gwa.toml"
        sources.write_text(f"""[catalog]
id = "t"
version = "1"
[sources.gwa]
title = "Global Wind Atlas (Test)"
fills = "wind_speed_150m"
kind = "raster"
layout = "file"
url = "{server.url}/api/gis/country/DEU/wind-speed/150"
crs = "EPSG:4326"
licence = "CC BY 4.0"
attribution = "Global Wind Atlas"
""", encoding="utf-8")
        gwa = load_sources([sources])["gwa"]
        with pytest.raises(FetchError, match="HTML page instead of a tiff"):
            fetch_region(region, [gwa], tmp_path / "cache", tuple(munis.total_bounds))
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert not (region.root / "region.local.toml").exists()
