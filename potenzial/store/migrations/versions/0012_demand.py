"""Result tables of energy use, savings and the balance.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

``demand_buildings`` (heat demand per building), ``demand_grid`` (heat density on the 100 m grid),
``demand_municipalities`` (heat and electricity use, potential and coverage per municipality) and
``demand_horizons`` (heat demand after refurbishment per municipality and horizon). Column lists
are written out on purpose: this file is frozen history.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE demand_buildings (
            run_id                      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            building_id                 text NOT NULL,
            ags                         text,
            building_type               text,
            age_class                   text,
            type_basis                  text,
            age_basis                   text,
            heated_area_m2              double precision,
            specific_heat_kwh_per_m2_a  double precision,
            heat_demand_mwh_th_per_a    double precision,
            geom                        geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, building_id)
        )
        """
    )
    op.execute("CREATE INDEX demand_buildings_geom_gist ON demand_buildings USING gist (geom)")
    op.execute(
        """
        CREATE TABLE demand_grid (
            run_id                        text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            cell_id                       text NOT NULL,
            heat_demand_mwh_th_per_a      double precision,
            heat_density_mwh_th_per_ha_a  double precision,
            dh_class                      text,
            buildings                     bigint,
            geom                          geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, cell_id)
        )
        """
    )
    op.execute("CREATE INDEX demand_grid_geom_gist ON demand_grid USING gist (geom)")
    op.execute(
        """
        CREATE TABLE demand_municipalities (
            run_id                               text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                                  text NOT NULL,
            buildings_heated                     bigint,
            heated_area_m2                       double precision,
            residential_area_m2                  double precision,
            zensus_living_area_m2                double precision,
            types_drawn                          bigint,
            ages_drawn                           bigint,
            heat_demand_mwh_th_per_a             double precision,
            heat_residential_mwh_th_per_a        double precision,
            heat_dh_suitable_share_pct           double precision,
            zensus_heatnet_share_pct             double precision,
            households                           double precision,
            electricity_households_mwh_el_per_a  double precision,
            electricity_commerce_mwh_el_per_a    double precision,
            electricity_industry_mwh_el_per_a    double precision,
            electricity_use_mwh_el_per_a         double precision,
            electricity_basis                    text,
            electricity_potential_mwh_el_per_a   double precision,
            heat_potential_mwh_th_per_a          double precision,
            electricity_coverage_pct             double precision,
            heat_coverage_pct                    double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute("COMMENT ON TABLE demand_municipalities IS 'Energy use and balance per municipality: electricity "
               "(_mwh_el_) and heat (_mwh_th_) kept apart, never added.'")
    op.execute(
        """
        CREATE TABLE demand_horizons (
            run_id                    text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                       text NOT NULL,
            horizon_year              bigint NOT NULL,
            refurbished_share_pct     double precision,
            heat_demand_mwh_th_per_a  double precision,
            heat_saving_pct           double precision,
            heat_coverage_pct         double precision,
            electricity_coverage_pct  double precision,
            PRIMARY KEY (run_id, ags, horizon_year)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE demand_horizons")
    op.execute("DROP TABLE demand_municipalities")
    op.execute("DROP TABLE demand_grid")
    op.execute("DROP TABLE demand_buildings")
