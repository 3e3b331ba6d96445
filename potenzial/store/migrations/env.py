"""Alembic environment for the PostGIS store.

There is no ``alembic.ini``: :func:`potenzial.store.migrate.alembic_config` builds the
configuration in code and hands over an open connection in ``config.attributes["connection"]``
(inside the transaction that holds the init lock). Offline mode (``--sql``) needs
``sqlalchemy.url`` set on the config.
"""

from __future__ import annotations

from alembic import context

config = context.config

VERSION_TABLE = "alembic_version"


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        version_table=VERSION_TABLE,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "the potenzial migrations run on a connection passed in config.attributes['connection']; "
            "use `potenzial db init` (PostgisStore.init) instead of calling alembic directly."
        )
    context.configure(
        connection=connection,
        target_metadata=None,
        version_table=VERSION_TABLE,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
