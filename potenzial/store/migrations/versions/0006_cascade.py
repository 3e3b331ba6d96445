"""Result tables of the potential cascade.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

``wind_technical`` and ``pv_ground_technical``: the technical stage of wind and open-field PV
per municipality (hard rules only), written by their steps; ``cascade_municipalities``: one row
per municipality with the technical, restricted and realisable stage of every technology;
``cascade_assumptions``: the parameters of the realisable stage with range and source. Column
lists are written out on purpose: this file is frozen history and must not follow later edits of
the result schemas.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE wind_technical (
            run_id                          text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                             text NOT NULL,
            wind_technical_area_ha          double precision,
            wind_technical_turbines         bigint,
            wind_technical_capacity_mw      double precision,
            wind_technical_yield_gwh_per_a  double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE pv_ground_technical (
            run_id                               text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                                  text NOT NULL,
            pv_ground_technical_area_ha          double precision,
            pv_ground_technical_capacity_mwp     double precision,
            pv_ground_technical_yield_gwh_per_a  double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE cascade_municipalities (
            run_id                                       text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                                          text NOT NULL,
            horizon_year                                 bigint,
            solar_roof_technical_capacity_mwp            double precision,
            solar_roof_technical_electricity_gwh_per_a   double precision,
            solar_roof_restricted_capacity_mwp           double precision,
            solar_roof_restricted_electricity_gwh_per_a  double precision,
            solar_roof_realisable_capacity_mwp           double precision,
            solar_roof_realisable_electricity_gwh_per_a  double precision,
            pv_ground_technical_area_ha                  double precision,
            pv_ground_technical_capacity_mwp             double precision,
            pv_ground_technical_electricity_gwh_per_a    double precision,
            pv_ground_restricted_area_ha                 double precision,
            pv_ground_restricted_capacity_mwp            double precision,
            pv_ground_restricted_electricity_gwh_per_a   double precision,
            pv_ground_realisable_area_ha                 double precision,
            pv_ground_realisable_capacity_mwp            double precision,
            pv_ground_realisable_electricity_gwh_per_a   double precision,
            wind_technical_area_ha                       double precision,
            wind_technical_capacity_mw                   double precision,
            wind_technical_electricity_gwh_per_a         double precision,
            wind_restricted_area_ha                      double precision,
            wind_restricted_capacity_mw                  double precision,
            wind_restricted_electricity_gwh_per_a        double precision,
            wind_realisable_capacity_mw                  double precision,
            wind_realisable_electricity_gwh_per_a        double precision,
            biomass_technical_primary_energy_gwh_per_a   double precision,
            biomass_restricted_primary_energy_gwh_per_a  double precision,
            biomass_realisable_primary_energy_gwh_per_a  double precision,
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute("COMMENT ON TABLE cascade_municipalities IS 'Potential cascade per municipality: technical >= "
               "restricted >= realisable per technology; electricity and primary energy kept apart.'")
    op.execute(
        """
        CREATE TABLE cascade_assumptions (
            run_id      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            parameter   text NOT NULL,
            technology  text,
            title_de    text,
            title_en    text,
            unit        text,
            value       double precision,
            low         double precision,
            central     double precision,
            high        double precision,
            used        boolean,
            source      text,
            PRIMARY KEY (run_id, parameter)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE cascade_assumptions")
    op.execute("DROP TABLE cascade_municipalities")
    op.execute("DROP TABLE pv_ground_technical")
    op.execute("DROP TABLE wind_technical")
