"""Result tables of the solar_roof potential.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Reserved in the chain so that potentials developed in parallel keep a linear history; the
solar_roof change fills in upgrade()/downgrade() with its tables (explicit columns, SRID 25833).
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
