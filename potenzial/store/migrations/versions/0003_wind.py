"""Result tables of the wind potential.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Reserved in the chain so that potentials developed in parallel keep a linear history; the
wind change fills in upgrade()/downgrade() with its tables (explicit columns, SRID 25833).
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
