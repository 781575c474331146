"""Alembic environment: runs migrations on the connection the store hands over."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - starcoach always passes a connection
    raise RuntimeError("starcoach migrations run only through starcoach.store.db.migrate")

context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
