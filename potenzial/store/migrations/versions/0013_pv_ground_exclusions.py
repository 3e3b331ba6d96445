"""Excluded land of the open-field PV potential.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

pv_ground_exclusions (geometry, SRID 25833, GiST index): the land the exclusions of every PV
category exclude, one row per municipality and rule combination, as wind_exclusions. Every row
carries its run_id; a run is deleted as a whole through ON DELETE CASCADE. Columns are written out
on purpose (frozen history; see potenzial/results/pv_ground.py for the registry).
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE pv_ground_exclusions (
            run_id     text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags        text NOT NULL,
            rule_mask  bigint NOT NULL,
            reason     text,
            hard       boolean,
            area_ha    double precision,
            geom       geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, ags, rule_mask)
        )
        """
    )
    op.execute("CREATE INDEX pv_ground_exclusions_geom_gist ON pv_ground_exclusions USING gist (geom)")
    op.execute("COMMENT ON TABLE pv_ground_exclusions IS 'Land excluded for open-field PV per municipality and rule "
               "combination; reason = rule ids, area_ha [ha].'")


def downgrade() -> None:
    op.execute("DROP TABLE pv_ground_exclusions")
