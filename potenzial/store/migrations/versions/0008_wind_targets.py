"""Area targets of the wind rule set per municipality.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

wind_targets: one row per municipality and area target (WindBG Anlage 1, § 4a SächsLPlG) with the
eligible share beside the target share. Every row carries its run_id; a run is deleted as a whole
through ON DELETE CASCADE. Columns are written out on purpose (frozen history; see
potenzial/results/wind.py for the registry).
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE wind_targets (
            run_id               text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                  text NOT NULL,
            target_id            text NOT NULL,
            title                text,
            scope                text,
            target_share_pct     double precision,
            deadline             text,
            enacted              text,
            wind_area_share_pct  double precision,
            target_area_ha       double precision,
            gap_ha               double precision,
            met                  boolean,
            in_force             boolean,
            source               text,
            PRIMARY KEY (run_id, ags, target_id)
        )
        """
    )
    op.execute("COMMENT ON TABLE wind_targets IS 'Wind area targets of the law per municipality; "
               "target_share_pct and wind_area_share_pct [%], target_area_ha and gap_ha [ha].'")


def downgrade() -> None:
    op.execute("DROP TABLE wind_targets")
