"""Monitoring snapshots: what was installed at a date, per unit (MaStR export) or per municipality.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Snapshots are independent of runs (an import is not a run): ``monitoring_snapshots`` holds one row per
snapshot, the other tables hang off it with ON DELETE CASCADE. Columns are written out on purpose
(frozen history; see potenzial/store/snapshots.py for the reads and writes). The units' positions are
plain x_m/y_m columns in EPSG:25833, not a geometry: the monitoring serves no tiles of them.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE monitoring_snapshots (
            snapshot_id     text PRIMARY KEY,
            region_id       text NOT NULL,
            kind            text NOT NULL,
            as_of           text NOT NULL,
            title           text NOT NULL,
            source          text NOT NULL,
            sha256          text NOT NULL,
            schema_version  text NOT NULL,
            read_count      bigint NOT NULL,
            outside_count   bigint NOT NULL,
            imported_at     timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        """
        CREATE TABLE monitoring_units (
            snapshot_id        text NOT NULL REFERENCES monitoring_snapshots (snapshot_id) ON DELETE CASCADE,
            unit_id            text NOT NULL,
            technology         text NOT NULL,
            location           text NOT NULL,
            capacity_gross_kw  double precision NOT NULL,
            capacity_net_kw    double precision NOT NULL,
            commissioned       text NOT NULL,
            decommissioned     text NOT NULL,
            status             text NOT NULL,
            ags                text NOT NULL,
            match_method       text NOT NULL,
            replaces_unit_id   text NOT NULL,
            x_m                double precision,
            y_m                double precision,
            PRIMARY KEY (snapshot_id, unit_id)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE monitoring_sums (
            snapshot_id  text NOT NULL REFERENCES monitoring_snapshots (snapshot_id) ON DELETE CASCADE,
            ags          text NOT NULL,
            technology   text NOT NULL,
            capacity_kw  double precision NOT NULL,
            units_count  bigint NOT NULL,
            PRIMARY KEY (snapshot_id, ags, technology)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE monitoring_report (
            snapshot_id  text NOT NULL REFERENCES monitoring_snapshots (snapshot_id) ON DELETE CASCADE,
            seq          integer NOT NULL,
            file         text NOT NULL,
            unit_id      text NOT NULL,
            check_id     text NOT NULL,
            action       text NOT NULL,
            detail       text NOT NULL,
            PRIMARY KEY (snapshot_id, seq)
        )
        """
    )
    op.execute("COMMENT ON TABLE monitoring_units IS 'MaStR units of a snapshot; capacity_*_kw [kW], "
               "x_m, y_m: position in EPSG:25833 [m] (NULL where the export has no coordinates).'")


def downgrade() -> None:
    op.execute("DROP TABLE monitoring_report")
    op.execute("DROP TABLE monitoring_sums")
    op.execute("DROP TABLE monitoring_units")
    op.execute("DROP TABLE monitoring_snapshots")
