"""Writing a run's rows fast: COPY on PostgreSQL, executemany elsewhere; and the session settings
a bulk run wants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection


def insert_rows(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(qn(column_of[c]) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        dated = [i for i, v in enumerate(rows[0]) if isinstance(v, dt.date)]
        if dated:  # SQLite stores dates as ISO text; the sqlite3 module's own adapter is deprecated
            rows = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in rows]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)


@contextmanager
def bulk_session() -> Iterator[None]:
    """PostgreSQL's JIT compiles every statement of a run for longer than the statement takes to
    run (half a second a range on the bench): off for the run, back as it was afterwards."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
