"""What-if scenarios: the fast path's tables per run, and the saved scenarios.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

scenario_bands and scenario_parameters carry their run_id and go with the run (ON DELETE CASCADE).
saved_scenarios outlive their base run on purpose: a scenario whose base run is gone is kept and
answers that its base run was deleted. Columns are written out on purpose (frozen history; see
potenzial/results/scenarios.py for the registry).
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE scenario_bands (
            run_id         text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags            text NOT NULL,
            stage          text NOT NULL,
            criteria_code  bigint NOT NULL,
            criteria       text,
            setback_m      double precision NOT NULL,
            eligible_ha    double precision,
            PRIMARY KEY (run_id, ags, stage, criteria_code, setback_m)
        )
        """
    )
    op.execute("COMMENT ON TABLE scenario_bands IS 'Wind-eligible area [ha] per municipality outside a residential "
               "setback of setback_m [m], per combination of scenario criteria (criteria_code bits).'")
    op.execute(
        """
        CREATE TABLE scenario_parameters (
            run_id     text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            parameter  text NOT NULL,
            kind       text,
            title_de   text,
            title_en   text,
            unit       text,
            value      double precision,
            low        double precision,
            high       double precision,
            bit        bigint,
            source     text,
            PRIMARY KEY (run_id, parameter)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE saved_scenarios (
            scenario_id  text PRIMARY KEY,
            name         text NOT NULL,
            parameters   jsonb NOT NULL,
            base_run_id  text NOT NULL,
            created_at   text NOT NULL
        )
        """
    )
    op.execute("COMMENT ON TABLE saved_scenarios IS 'Saved what-if scenarios: parameters (JSON) on a base run; "
               "kept when the base run is deleted (then answered as gone).'")


def downgrade() -> None:
    op.execute("DROP TABLE saved_scenarios")
    op.execute("DROP TABLE scenario_parameters")
    op.execute("DROP TABLE scenario_bands")
