"""Initial store schema: runs, the current-run pointer, municipalities and run_inputs.

Revision ID: 0001
Revises:
Create Date: 2024-11-25

Every result row carries its ``run_id``; a run is deleted as a whole through ``ON DELETE
CASCADE``. Geometry is ``geometry(MULTIPOLYGON, 25833)`` (ETRS89 / UTM 33N, metres) with a GiST
index. Column lists are written out on purpose: this file is frozen history and must not follow
later edits of ``potenzial/store/schema.py``. The postgis extension is created by
``PostgisStore.init`` before the migrations run (it may need a superuser; a migration should not).
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE runs (
            run_id        text PRIMARY KEY,
            region_id     text NOT NULL,
            started_at    timestamptz,
            finished_at   timestamptz,
            params_hash   text NOT NULL,
            code_version  text NOT NULL,
            record        jsonb NOT NULL,
            layers        text[] NOT NULL,
            seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            published_at  timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("COMMENT ON TABLE runs IS 'One row per complete run; record is the full RunRecord as JSON, "
               "layers the result names the run wrote, seq the publication order.'")
    op.execute(
        """
        CREATE TABLE current_run (
            id      integer PRIMARY KEY CHECK (id = 1),
            run_id  text NOT NULL REFERENCES runs (run_id)
        )
        """
    )
    op.execute("COMMENT ON TABLE current_run IS 'Single row (id = 1): the run that is served now.'")
    op.execute(
        """
        CREATE TABLE municipalities (
            run_id                text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            ags                   text NOT NULL,
            name                  text,
            area_km2              double precision,
            population            bigint,
            buildings             bigint,
            residential_buildings bigint,
            arable_ha             double precision,
            grassland_ha          double precision,
            forest_ha             double precision,
            water_ha              double precision,
            settlement_ha         double precision,
            traffic_ha            double precision,
            pv_installed_mw       double precision,
            wind_installed_mw     double precision,
            biomass_installed_mw  double precision,
            hydro_installed_mw    double precision,
            geom                  geometry(MULTIPOLYGON, 25833),
            PRIMARY KEY (run_id, ags)
        )
        """
    )
    op.execute("CREATE INDEX municipalities_geom_gist ON municipalities USING gist (geom)")
    op.execute(
        """
        CREATE TABLE run_inputs (
            run_id       text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            layer_id     text NOT NULL,
            title        text,
            kind         text,
            provenance   text,
            source       text,
            sha256       text,
            licence      text,
            attribution  text,
            PRIMARY KEY (run_id, layer_id)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE run_inputs")
    op.execute("DROP TABLE municipalities")
    op.execute("DROP TABLE current_run")
    op.execute("DROP TABLE runs")
