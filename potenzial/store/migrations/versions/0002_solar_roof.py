"""Result tables of the solar_roof potential.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

``solar_roof``: one row per roof plane (geometry: the plane's footprint, MULTIPOLYGON in
EPSG:25833, GiST index); ``solar_roof_municipalities``: one row per municipality;
``solar_roof_report``: counts of what the step did with its inputs. Column lists are written out
on purpose: this file is frozen history and must not follow later edits of the result schemas.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE solar_roof (
            run_id                      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            building_id                 text NOT NULL,
            plane_no                    bigint NOT NULL,
            ags                         text,
            method                      text,
            tilt_deg                    double precision,
            azimuth_deg                 double precision,
            plane_area_m2               double precision,
            usable_area_m2              double precision,
            capacity_kwp                double precision,
            yield_kwh_per_a             double precision,
            specific_yield_kwh_per_kwp  double precision,
            relative_irradiation        double precision,
            shading_factor              double precision,
            suitability                 text,
            geom                        geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, building_id, plane_no)
        )
        """
    )
    op.execute("CREATE INDEX solar_roof_geom_gist ON solar_roof USING gist (geom)")
    op.execute("CREATE INDEX solar_roof_run_ags ON solar_roof (run_id, ags)")
    op.execute(
        """
        CREATE TABLE solar_roof_municipalities (
            run_id                   text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                      text NOT NULL,
            roof_buildings           bigint,
            roof_suitable_buildings  bigint,
            roof_capacity_mwp        double precision,
            roof_yield_gwh_per_a     double precision,
            pv_installed_mw          double precision,
            roof_remaining_mwp       double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE solar_roof_report (
            run_id  text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            item    text NOT NULL,
            count   bigint,
            detail  text,
            PRIMARY KEY (run_id, item)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE solar_roof_report")
    op.execute("DROP TABLE solar_roof_municipalities")
    op.execute("DROP TABLE solar_roof")
