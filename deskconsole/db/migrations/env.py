"""Alembic environment: the connection is handed in by deskconsole.db.migrate."""

from alembic import context
from sqlmodel import SQLModel

import deskconsole.models  # noqa: F401  (registers every table on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through deskconsole (deskconsole db upgrade)")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things: batch mode copies the table (STYLE §7).
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
