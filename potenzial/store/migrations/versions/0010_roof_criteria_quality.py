"""Roof shading and listed buildings, and the quality grades.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

``solar_roof`` gains ``listed`` (the plane's building is a Kulturdenkmal), and
``solar_roof_municipalities`` ``roof_listed_buildings``; ``quality``: one row per municipality
with the grade and its reason (German, English) per technology. Columns are written out on
purpose (frozen history; see potenzial/results/quality.py for the registry).
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE solar_roof ADD COLUMN listed boolean")
    op.execute("ALTER TABLE solar_roof_municipalities ADD COLUMN roof_listed_buildings bigint")
    op.execute(
        """
        CREATE TABLE quality (
            run_id                      text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                         text NOT NULL,
            solar_roof_grade            text,
            solar_roof_grade_reason_de  text,
            solar_roof_grade_reason_en  text,
            pv_ground_grade             text,
            pv_ground_grade_reason_de   text,
            pv_ground_grade_reason_en   text,
            wind_grade                  text,
            wind_grade_reason_de        text,
            wind_grade_reason_en        text,
            biomass_grade               text,
            biomass_grade_reason_de     text,
            biomass_grade_reason_en     text,
            PRIMARY KEY (run_id, ags)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE quality")
    op.execute("ALTER TABLE solar_roof_municipalities DROP COLUMN roof_listed_buildings")
    op.execute("ALTER TABLE solar_roof DROP COLUMN listed")
