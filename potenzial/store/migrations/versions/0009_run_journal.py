"""The run journal: runs that started but are not complete runs (running, failed, died).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

One row per run that holds or held the run lock and has not become a complete run: ``status``
``running`` (the run holds the lock, or its process died: ``potenzial db runs`` shows
``incomplete`` when nobody holds the lock), ``failed`` (with the one-line error in ``message``) or
``incomplete`` (marked by the next run that took the lock). A run that publishes leaves the
journal. No foreign key to ``runs``: a journal entry is exactly a run that is not there.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE run_journal (
            run_id      text PRIMARY KEY,
            started_at  timestamptz NOT NULL,
            status      text NOT NULL CHECK (status IN ('running', 'failed', 'incomplete')),
            message     text NOT NULL DEFAULT ''
        )
        """
    )
    op.execute("COMMENT ON TABLE run_journal IS 'Runs that started but are not complete: running, failed "
               "(message: the error) or incomplete (the process died).'")


def downgrade() -> None:
    op.execute("DROP TABLE run_journal")
