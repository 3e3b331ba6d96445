"""Electricity add-ons per horizon: heat pumps and e-mobility in demand_horizons.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

Per municipality and horizon: the residential heat demand after refurbishment, the heat-pump and
electric-car shares, the electricity if every home had a heat pump / every car were electric, the two
add-ons, the electricity use with them and the electricity coverage against that use
(potenzial/results/demand.py). Rows of earlier runs keep NULL there. Columns are written out on
purpose: this file is frozen history.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ("heat_residential_mwh_th_per_a", "heat_pump_share_pct", "heat_pump_electricity_all_mwh_el_per_a",
           "heat_pump_electricity_mwh_el_per_a", "ev_share_pct", "ev_electricity_all_mwh_el_per_a",
           "ev_electricity_mwh_el_per_a", "electricity_use_with_add_ons_mwh_el_per_a",
           "electricity_coverage_with_add_ons_pct")


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE demand_horizons
            ADD COLUMN heat_residential_mwh_th_per_a               double precision,
            ADD COLUMN heat_pump_share_pct                         double precision,
            ADD COLUMN heat_pump_electricity_all_mwh_el_per_a      double precision,
            ADD COLUMN heat_pump_electricity_mwh_el_per_a          double precision,
            ADD COLUMN ev_share_pct                                double precision,
            ADD COLUMN ev_electricity_all_mwh_el_per_a             double precision,
            ADD COLUMN ev_electricity_mwh_el_per_a                 double precision,
            ADD COLUMN electricity_use_with_add_ons_mwh_el_per_a   double precision,
            ADD COLUMN electricity_coverage_with_add_ons_pct       double precision
        """
    )
    op.execute("COMMENT ON COLUMN demand_horizons.electricity_use_with_add_ons_mwh_el_per_a IS 'Electricity use "
               "[MWh_el/a] with the heat-pump and e-mobility add-ons of the horizon.'")


def downgrade() -> None:
    op.execute("ALTER TABLE demand_horizons " + ", ".join(f"DROP COLUMN {c}" for c in COLUMNS))
