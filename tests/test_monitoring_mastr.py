"""The MaStR reader on a small export the test writes: UTF-16, zipped, the export's element names."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from potenzial.errors import InputDataError
from potenzial.monitoring.mastr import SchemaVersionError, read_export
from potenzial.monitoring.params import load_monitoring_params
from potenzial.monitoring.snapshot import from_export, sums_of_units
from potenzial.serving.monitoring_import import region_filter
from potenzial.settings import Settings
from tests.support.mastr import solar, unit_xml, write_export
from tests.support.monitoring import BAD_LAUSICK, BORNA, GRIMMA, NAUNHOF, WURZEN, default_region, write_test_export


@pytest.fixture(scope="module")
def region():
    return default_region()


@pytest.fixture(scope="module")
def where(region):
    return region_filter(region)


@pytest.fixture(scope="module")
def params():
    return load_monitoring_params(Settings().params_dir)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_test_export(tmp_path_factory.mktemp("mastr"))


@pytest.fixture(scope="module")
def export(written, where, params):
    return read_export(written.path, where, params)


def _unit(export, unit_id):
    rows = export.units[export.units["unit_id"] == unit_id]
    assert len(rows) == 1, unit_id
    return rows.iloc[0]


def _findings(export, unit_id):
    rows = export.report[export.report["unit_id"] == unit_id]
    return set(zip(rows["check"], rows["action"], strict=True))


def test_the_export_is_utf16_zipped(written):
    with zipfile.ZipFile(written.path) as zf:
        raw = zf.read("EinheitenSolar_1.xml")
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")  # a UTF-16 byte order mark, as the export has


def test_date_version_and_counts(export):
    assert export.as_of == "2024-01-01" and export.schema_version == "23.2"
    # 7 + 6 solar records and 1 wind record were read; Dresden's unit is outside the region
    assert export.read_count == 14
    assert export.outside_count == 1
    assert "SEE009" not in set(export.units["unit_id"])


def test_each_unit_lands_in_its_municipality_with_its_match_method(export, written):
    expected = {"SEE001": (GRIMMA, "coordinates"), "SEE002": (BORNA, "municipality_key"),
                "SEE003": (BAD_LAUSICK, "postcode"), "SEE006": (NAUNHOF, "municipality_key"),
                "SEE007": (WURZEN, "municipality_key"), "SEE900": (GRIMMA, "municipality_key")}
    for unit_id, (ags, method) in expected.items():
        unit = _unit(export, unit_id)
        assert (unit["ags"], unit["match_method"]) == (ags, method), unit_id


def test_a_unit_just_across_the_border_goes_by_its_coordinates(export, written):
    unit = _unit(export, "SEE008")
    assert written.neighbour != BORNA
    assert (unit["ags"], unit["match_method"]) == (written.neighbour, "coordinates")
    assert ("coordinates_disagree_key", "flagged") in _findings(export, "SEE008")


def test_location_type_splits_pv(export):
    assert _unit(export, "SEE001")["technology"] == "pv_roof"  # Lage 853: Hausdach
    assert _unit(export, "SEE005")["technology"] == "pv_ground"  # Lage 852: Freifläche
    assert _unit(export, "SEE900")["technology"] == "wind"


def test_kw_w_outlier_is_repaired_and_reported(export):
    # 9,900 "kW" on 30 modules is 330 kW per module: entered in W; 9.9 kW = 0.33 kW per module
    assert _unit(export, "SEE007")["capacity_net_kw"] == pytest.approx(9.9)
    assert ("capacity_in_watts", "repaired") in _findings(export, "SEE007")


def test_rejected_rows_are_in_the_report_with_their_reason(export):
    assert ("negative_capacity", "rejected") in _findings(export, "SEE010")
    assert ("duplicate_id", "rejected") in _findings(export, "SEE001")
    assert ("impossible_date", "rejected") in _findings(export, "SEE011")
    kept = set(export.units["unit_id"])
    assert not {"SEE010", "SEE011"} & kept
    # nothing silently dropped: 14 read = 10 units kept + 1 outside + 2 rejected rows + 1 rejected duplicate
    rejected = export.report[export.report["action"] == "rejected"]
    assert len(export.units) == 10 and len(rejected) == 3
    assert len(export.units) + export.outside_count + len(rejected) == export.read_count


def test_replaced_unit_counts_until_the_new_one_starts(export):
    assert _unit(export, "SEE005")["decommissioned"] == "2022-03-01"
    assert ("replaced_unit", "repaired") in _findings(export, "SEE005")
    assert _unit(export, "SEE006")["replaces_unit_id"] == "SEE005"


def test_sums_on_the_export_date(export):
    sums = sums_of_units(export.units, export.as_of).set_index(["ags", "technology"])["capacity_kw"]
    # decommissioned SEE004 (2020) and planned SEE012 do not count; SEE005 was replaced by SEE006 in 2022
    assert sums[(GRIMMA, "pv_roof")] == pytest.approx(9.9)
    assert sums[(GRIMMA, "wind")] == pytest.approx(3000.0)
    assert sums[(NAUNHOF, "pv_ground")] == pytest.approx(150.0)
    assert sums[(NAUNHOF, "pv")] == pytest.approx(150.0)
    assert sums[(BORNA, "pv_roof")] == pytest.approx(20.0)  # SEE008 is in the neighbour
    assert sums[(BAD_LAUSICK, "pv_roof")] == pytest.approx(30.0)


def test_decommissioned_units_are_not_counted_after_their_end(export):
    units = export.units
    before = sums_of_units(units, "2019-12-31").set_index(["ags", "technology"])["capacity_kw"]
    after = sums_of_units(units, "2021-12-31").set_index(["ags", "technology"])["capacity_kw"]
    assert before[(GRIMMA, "pv_roof")] == pytest.approx(59.9)  # SEE001 9.9 + SEE004 50 (until 2020-06-30)
    assert after[(GRIMMA, "pv_roof")] == pytest.approx(9.9)
    assert after[(NAUNHOF, "pv_ground")] == pytest.approx(100.0)  # SEE005 until 2022-03-01


def test_same_export_gives_the_same_snapshot_id(export, written, where, params, region):
    again = read_export(written.path, where, params)
    assert from_export(again, region.id).snapshot_id == from_export(export, region.id).snapshot_id
    pd.testing.assert_frame_equal(again.units, export.units)


def test_truncated_zip_is_refused(tmp_path, written, where, params):
    cut = tmp_path / "Gesamtdatenexport_20240101_23.2.zip"
    cut.write_bytes(written.path.read_bytes()[: written.path.stat().st_size // 2])
    with pytest.raises(InputDataError, match="not a complete zip"):
        read_export(cut, where, params)


def test_truncated_xml_is_refused(tmp_path, where, params):
    xml = unit_xml("EinheitenSolar", "EinheitSolar", [solar("SEE1", 5.0, ags=GRIMMA), solar("SEE2", 6.0, ags=GRIMMA)])
    path = write_export(tmp_path / "Gesamtdatenexport_20240101_23.2.zip",
                        {"EinheitenSolar_1.xml": xml[: len(xml) - 60]})
    with pytest.raises(InputDataError, match="truncated or damaged"):
        read_export(path, where, params)


def test_unknown_schema_version_without_needed_elements_names_what_differs(tmp_path, where, params):
    unit = solar("SEE1", 5.0, ags=GRIMMA)
    unit["Leistung"] = unit.pop("Nettonennleistung")
    path = write_export(tmp_path / "Gesamtdatenexport_20300101_30.1.zip",
                        {"EinheitenSolar_1.xml": unit_xml("EinheitenSolar", "EinheitSolar", [unit])})
    with pytest.raises(SchemaVersionError, match=r"30\.1.*Nettonennleistung"):
        read_export(path, where, params)


def test_unknown_schema_version_with_the_elements_is_read_and_noted(tmp_path, where, params):
    unit = solar("SEE1", 5.0, ags=GRIMMA, commissioned="2029-01-01")
    unit["NeuesFeld"] = "x"
    path = write_export(tmp_path / "Gesamtdatenexport_20300101_30.1.zip",
                        {"EinheitenSolar_1.xml": unit_xml("EinheitenSolar", "EinheitSolar", [unit])})
    export = read_export(path, where, params)
    assert list(export.units["unit_id"]) == ["SEE1"]
    note = export.report[export.report["check"] == "unknown_schema_version"]
    assert len(note) == 1 and "NeuesFeld" in note["detail"].iloc[0]


def test_export_without_date_needs_as_of(tmp_path, where, params):
    path = write_export(tmp_path / "export.zip", {"EinheitenSolar_1.xml": unit_xml(
        "EinheitenSolar", "EinheitSolar", [solar("SEE1", 5.0, ags=GRIMMA)])})
    with pytest.raises(InputDataError, match="--as-of"):
        read_export(path, where, params)
    assert read_export(path, where, params, as_of="2024-06-30").as_of == "2024-06-30"


def test_biomass_hydro_and_storage_files(tmp_path, where, params):
    def unit(unit_id, kw):
        return {"EinheitMastrNummer": unit_id, "Gemeindeschluessel": GRIMMA, "Inbetriebnahmedatum": "2012-01-01",
                "EinheitBetriebsstatus": "35", "Bruttoleistung": kw, "Nettonennleistung": kw}

    path = write_export(tmp_path / "Gesamtdatenexport_20240101_23.2.zip", {
        "EinheitenBiomasse.xml": unit_xml("EinheitenBiomasse", "EinheitBiomasse", [unit("SEE1", 500)]),
        "EinheitenWasser.xml": unit_xml("EinheitenWasser", "EinheitWasser", [unit("SEE2", 80)]),
        "EinheitenStromSpeicher_1.xml": unit_xml("EinheitenStromSpeicher", "EinheitStromSpeicher",
                                                 [unit("SSE3", 10)]),
        "AnlagenEegSolar_1.xml": "<AnlagenEegSolar/>",  # not a unit file: skipped
    })
    export = read_export(path, where, params)
    assert dict(zip(export.units["unit_id"], export.units["technology"], strict=True)) == {
        "SEE1": "biomass", "SEE2": "hydro", "SSE3": "storage"}
