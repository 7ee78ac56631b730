"""The local store: SQLModel tables, engine and sessions, repositories, Alembic migrations.

Services open transactions through ``Database.read()`` and ``Database.write()``; nothing
else in the app does."""
