"""Result tables of the biomass potential.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

``biomass``: one row per municipality and feedstock; ``biomass_totals``: one row per
municipality (all feedstocks, existing plants); ``biomass_region``: one row per feedstock for
the whole region (plus ``total``); ``biomass_map``: one row per municipality and feedstock with
the land-cover polygons it comes from (MULTIPOLYGON in EPSG:25833, GiST index). Column lists are
written out on purpose: this file is frozen history and must not follow later edits of the
result schemas.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE biomass (
            run_id                         text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                            text NOT NULL,
            name                           text,
            feedstock                      text NOT NULL,
            conversion                     text,
            basis                          text,
            land_area_ha                   double precision,
            amount_t_per_a                 double precision,
            amount_m3_per_a                double precision,
            methane_m3_per_a_p50           double precision,
            primary_energy_mwh_per_a_p10   double precision,
            primary_energy_mwh_per_a_p50   double precision,
            primary_energy_mwh_per_a_p90   double precision,
            primary_energy_mwh_per_a_mean  double precision,
            electricity_mwh_per_a_p50      double precision,
            heat_mwh_per_a_p50             double precision,
            PRIMARY KEY (run_id, ags, feedstock)
        )
        """
    )
    op.execute("COMMENT ON TABLE biomass IS 'Biomass potential per municipality and feedstock; primary energy "
               "P10/P50/P90 over seeded Monte Carlo samples, amounts and electricity/heat as medians.'")
    op.execute(
        """
        CREATE TABLE biomass_totals (
            run_id                                      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                                         text NOT NULL,
            biomass_primary_energy_mwh_per_a_p10        double precision,
            biomass_primary_energy_mwh_per_a_p50        double precision,
            biomass_primary_energy_mwh_per_a_p90        double precision,
            biomass_primary_energy_mwh_per_a_mean       double precision,
            biomass_electricity_mwh_per_a_p50           double precision,
            biomass_heat_mwh_per_a_p50                  double precision,
            biomass_plants_2015_count                   bigint,
            biomass_plants_2015_kw                      double precision,
            biomass_mastr2021_kw                        double precision,
            biomass_mastr2024_kw                        double precision,
            biomass_existing_electricity_mwh_per_a_p50  double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE biomass_region (
            run_id                         text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            feedstock                      text NOT NULL,
            conversion                     text,
            amount_t_per_a                 double precision,
            amount_m3_per_a                double precision,
            methane_m3_per_a_p50           double precision,
            primary_energy_mwh_per_a_p10   double precision,
            primary_energy_mwh_per_a_p50   double precision,
            primary_energy_mwh_per_a_p90   double precision,
            primary_energy_mwh_per_a_mean  double precision,
            electricity_mwh_per_a_p50      double precision,
            heat_mwh_per_a_p50             double precision,
            PRIMARY KEY (run_id, feedstock)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE biomass_map (
            run_id                           text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                              text NOT NULL,
            feedstock                        text NOT NULL,
            landcover_classes                text,
            area_ha                          double precision,
            amount_t_per_a                   double precision,
            amount_m3_per_a                  double precision,
            primary_energy_mwh_per_a_p10     double precision,
            primary_energy_mwh_per_a_p50     double precision,
            primary_energy_mwh_per_a_p90     double precision,
            primary_energy_mwh_per_ha_a_p50  double precision,
            geom                             geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, ags, feedstock)
        )
        """
    )
    op.execute("CREATE INDEX biomass_map_geom_gist ON biomass_map USING gist (geom)")


def downgrade() -> None:
    op.execute("DROP TABLE biomass_map")
    op.execute("DROP TABLE biomass_region")
    op.execute("DROP TABLE biomass_totals")
    op.execute("DROP TABLE biomass")
