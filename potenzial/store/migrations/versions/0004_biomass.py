"""Result tables of the biomass potential.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Reserved in the chain so that potentials developed in parallel keep a linear history; the
biomass change fills in upgrade()/downgrade() with its tables (explicit columns, SRID 25833).
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
