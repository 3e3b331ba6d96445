"""Result tables of the pv_ground potential.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Reserved in the chain so that potentials developed in parallel keep a linear history; the
pv_ground change fills in upgrade()/downgrade() with its tables (explicit columns, SRID 25833).
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
