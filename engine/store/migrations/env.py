"""Alembic's environment: runs the revisions on the connection bargain hands over.

bargain calls Alembic from code (engine/store/database.py) with the open connection in
`config.attributes["connection"]`, so the upgrade is part of bargain's own transaction. Run by hand
(`alembic -c ...`), it opens the database named by `sqlalchemy.url` or BARGAIN_DB.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel

import engine.store.schema  # noqa: F401  (registers every table on SQLModel.metadata, for autogenerate)

config = context.config


def _run(connection: sa.engine.Connection) -> None:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("BARGAIN_DB") or "sqlite:///bargain.db"
    with sa.create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
