"""Result tables of the wind potential.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

wind_areas, wind_turbines, wind_exclusions (geometry, SRID 25833, GiST index), and the tables
wind_municipalities (one row per AGS), wind_setback_bands and wind_rules. Every row carries its
run_id; a run is deleted as a whole through ON DELETE CASCADE. Columns are written out on
purpose (frozen history; see potenzial/results/wind.py for the registry).
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE wind_areas (
            run_id    text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            area_id   bigint NOT NULL,
            ags       text,
            park_id   bigint,
            area_ha   double precision,
            turbines  bigint,
            geom      geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, area_id)
        )
        """
    )
    op.execute("CREATE INDEX wind_areas_geom_gist ON wind_areas USING gist (geom)")
    op.execute("COMMENT ON TABLE wind_areas IS 'Eligible wind areas per municipality; area_ha [ha], turbines [count].'")
    op.execute(
        """
        CREATE TABLE wind_turbines (
            run_id                  text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            turbine_id              bigint NOT NULL,
            ags                     text,
            area_id                 bigint,
            turbine_type            text,
            hub_height_m            double precision,
            rotor_diameter_m        double precision,
            capacity_mw             double precision,
            wind_speed_hub_m_per_s  double precision,
            yield_mwh_per_a         double precision,
            full_load_hours         double precision,
            geom                    geometry(POINT, 25833),
            PRIMARY KEY (run_id, turbine_id)
        )
        """
    )
    op.execute("CREATE INDEX wind_turbines_geom_gist ON wind_turbines USING gist (geom)")
    op.execute("COMMENT ON TABLE wind_turbines IS 'Reference turbines (mast-foot centre) with yield [MWh/a] and "
               "full-load hours [h/a].'")
    op.execute(
        """
        CREATE TABLE wind_exclusions (
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
    op.execute("CREATE INDEX wind_exclusions_geom_gist ON wind_exclusions USING gist (geom)")
    op.execute("COMMENT ON TABLE wind_exclusions IS 'Excluded land per municipality and rule combination; "
               "rule_mask bits are explained in wind_rules.'")
    op.execute(
        """
        CREATE TABLE wind_municipalities (
            run_id                  text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                     text NOT NULL,
            wind_area_ha            double precision,
            wind_area_share_pct     double precision,
            wind_area_gap_2027_ha   double precision,
            wind_area_gap_2032_ha   double precision,
            wind_turbines           bigint,
            wind_capacity_mw        double precision,
            wind_yield_gwh_per_a    double precision,
            wind_full_load_hours    double precision,
            wind_installed_2024_mw  double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE wind_setback_bands (
            run_id              text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                 text NOT NULL,
            setback_m           double precision NOT NULL,
            eligible_ha         double precision,
            eligible_share_pct  double precision,
            PRIMARY KEY (run_id, ags, setback_m)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE wind_rules (
            run_id              text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            rule_id             text NOT NULL,
            bit                 bigint,
            title               text,
            layer               text,
            attribute_filter    text,
            buffer_m            double precision,
            effective_buffer_m  double precision,
            kind                text,
            effect              text,
            switchable          boolean,
            enabled             boolean,
            features            bigint,
            source              text,
            rule_set            text,
            valid_from          text,
            PRIMARY KEY (run_id, rule_id)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE wind_rules")
    op.execute("DROP TABLE wind_setback_bands")
    op.execute("DROP TABLE wind_municipalities")
    op.execute("DROP TABLE wind_exclusions")
    op.execute("DROP TABLE wind_turbines")
    op.execute("DROP TABLE wind_areas")
