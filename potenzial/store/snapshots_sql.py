"""Static SQL of the PostGIS snapshot tables (migration 0011); bind parameters only."""

from __future__ import annotations

from sqlalchemy import text

INSERT_SNAPSHOT = text(
    "INSERT INTO monitoring_snapshots (snapshot_id, region_id, kind, as_of, title, source, sha256, schema_version, "
    "read_count, outside_count) VALUES (:snapshot_id, :region_id, :kind, :as_of, :title, :source, :sha256, "
    ":schema_version, :read_count, :outside_count) ON CONFLICT (snapshot_id) DO NOTHING"
)
INSERT_UNIT = text(
    "INSERT INTO monitoring_units (snapshot_id, unit_id, technology, location, capacity_gross_kw, capacity_net_kw, "
    "commissioned, decommissioned, status, ags, match_method, replaces_unit_id, x_m, y_m) VALUES (:snapshot_id, "
    ":unit_id, :technology, :location, :capacity_gross_kw, :capacity_net_kw, :commissioned, :decommissioned, "
    ":status, :ags, :match_method, :replaces_unit_id, :x_m, :y_m)"
)
INSERT_SUM = text(
    "INSERT INTO monitoring_sums (snapshot_id, ags, technology, capacity_kw, units_count) "
    "VALUES (:snapshot_id, :ags, :technology, :capacity_kw, :units_count)"
)
INSERT_REPORT = text(
    "INSERT INTO monitoring_report (snapshot_id, seq, file, unit_id, check_id, action, detail) "
    "VALUES (:snapshot_id, :seq, :file, :unit_id, :check, :action, :detail)"
)
_RECORD_COLUMNS = (
    "s.snapshot_id, s.region_id, s.kind, s.as_of, s.title, s.source, s.sha256, s.schema_version, "
    "s.read_count, s.outside_count, "
    "(SELECT count(*) FROM monitoring_units AS u WHERE u.snapshot_id = s.snapshot_id) AS units_count, "
    "(SELECT count(*) FROM monitoring_report AS r WHERE r.snapshot_id = s.snapshot_id) AS report_count"
)
RECORDS = text(f"SELECT {_RECORD_COLUMNS} FROM monitoring_snapshots AS s WHERE s.region_id = :region_id "
               "ORDER BY s.as_of, s.snapshot_id")
RECORD = text(f"SELECT {_RECORD_COLUMNS} FROM monitoring_snapshots AS s WHERE s.snapshot_id = :snapshot_id")
UNITS = text(
    "SELECT unit_id, technology, location, capacity_gross_kw, capacity_net_kw, commissioned, decommissioned, status, "
    "ags, match_method, replaces_unit_id, x_m, y_m FROM monitoring_units "
    "WHERE snapshot_id = :snapshot_id ORDER BY unit_id"
)
SUMS = text("SELECT ags, technology, capacity_kw, units_count FROM monitoring_sums WHERE snapshot_id = :snapshot_id "
            "ORDER BY ags, technology")
REPORT = text("SELECT file, unit_id, check_id AS \"check\", action, detail FROM monitoring_report "
              "WHERE snapshot_id = :snapshot_id ORDER BY seq")
