"""Installed PV on roofs apart from installed PV on open land.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

solar_roof_municipalities held the municipality's whole installed PV (roofs and ground together)
as pv_installed_mw and subtracted it from the roof potential, so a municipality's solar parks
lowered its remaining roof potential. The column now holds the roof part only and is renamed
roof_installed_mw (see potenzial/installed_pv.py); roof_remaining_mwp is the roof potential minus
that part.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE solar_roof_municipalities RENAME COLUMN pv_installed_mw TO roof_installed_mw")
    op.execute("COMMENT ON COLUMN solar_roof_municipalities.roof_installed_mw IS "
               "'installed roof PV [MW]: MaStR 2024 PV minus open-field PV (MaStR location or UFZ 2015 list)'")


def downgrade() -> None:
    op.execute("COMMENT ON COLUMN solar_roof_municipalities.roof_installed_mw IS NULL")
    op.execute("ALTER TABLE solar_roof_municipalities RENAME COLUMN roof_installed_mw TO pv_installed_mw")
