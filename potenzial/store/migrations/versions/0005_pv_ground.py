"""Result tables of the pv_ground potential (open-field PV).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

pv_ground_areas (geometry, SRID 25833, GiST index), and the tables pv_ground_municipalities (one
row per AGS), pv_ground_categories (AGS × category, plus the union row `total`) and
pv_ground_rules. Every row carries its run_id; a run is deleted as a whole through ON DELETE
CASCADE. Columns are written out on purpose (frozen history; see potenzial/results/pv_ground.py
for the registry).
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE pv_ground_areas (
            run_id                      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            area_id                     bigint NOT NULL,
            ags                         text,
            site_id                     bigint,
            categories                  text,
            category_mask               bigint,
            area_ha                     double precision,
            capacity_mwp                double precision,
            specific_yield_kwh_per_kwp  double precision,
            yield_mwh_per_a             double precision,
            wind_overlap_ha             double precision,
            geom                        geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, area_id)
        )
        """
    )
    op.execute("CREATE INDEX pv_ground_areas_geom_gist ON pv_ground_areas USING gist (geom)")
    op.execute("COMMENT ON TABLE pv_ground_areas IS 'Land eligible for open-field PV per site, municipality and "
               "category combination; area_ha [ha], capacity_mwp [MWp], yield_mwh_per_a [MWh/a], "
               "wind_overlap_ha [ha].'")
    op.execute(
        """
        CREATE TABLE pv_ground_municipalities (
            run_id                                text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                                   text NOT NULL,
            pv_ground_area_ha                     double precision,
            pv_ground_capacity_mwp                double precision,
            pv_ground_yield_gwh_per_a             double precision,
            pv_ground_specific_yield_kwh_per_kwp  double precision,
            pv_ground_wind_overlap_ha             double precision,
            pv_ground_area_wind_first_ha          double precision,
            pv_ground_capacity_wind_first_mwp     double precision,
            pv_ground_yield_wind_first_gwh_per_a  double precision,
            pv_ground_installed_2015_plants       bigint,
            pv_ground_installed_2015_mwp          double precision,
            pv_ground_installed_2015_ha           double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute("COMMENT ON TABLE pv_ground_municipalities IS 'Open-field PV per municipality, every hectare once; "
               "alone and if wind first; installed 2015 (UFZ).'")
    op.execute(
        """
        CREATE TABLE pv_ground_categories (
            run_id                      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                         text NOT NULL,
            category                    text NOT NULL,
            category_title              text,
            area_ha                     double precision,
            capacity_mwp                double precision,
            yield_gwh_per_a             double precision,
            wind_overlap_ha             double precision,
            area_wind_first_ha          double precision,
            capacity_wind_first_mwp     double precision,
            yield_wind_first_gwh_per_a  double precision,
            PRIMARY KEY (run_id, ags, category)
        )
        """
    )
    op.execute("COMMENT ON TABLE pv_ground_categories IS 'Open-field PV per municipality and legal category; "
               "category total = the union (every hectare once).'")
    op.execute(
        """
        CREATE TABLE pv_ground_rules (
            run_id            text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            rule_set          text NOT NULL,
            rule_id           text NOT NULL,
            category          text,
            role              text,
            valid_from        text,
            title             text,
            layer             text,
            attribute_filter  text,
            buffer_m          double precision,
            width_column      text,
            kind              text,
            switchable        boolean,
            enabled           boolean,
            features          bigint,
            source            text,
            PRIMARY KEY (run_id, rule_set, rule_id)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE pv_ground_rules")
    op.execute("DROP TABLE pv_ground_categories")
    op.execute("DROP TABLE pv_ground_municipalities")
    op.execute("DROP TABLE pv_ground_areas")
