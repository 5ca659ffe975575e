"""Writing a run's rows fast: COPY on PostgreSQL, executemany elsewhere; updating many rows with
few distinct new values; and the session settings a bulk run wants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator, Sequence
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


# Row ids per UPDATE: under SQLite's oldest limit of 999 parameters, with room for the new values.
IDS_PER_UPDATE = 900


def update_grouped(model: Any, changes: Iterable[tuple[int, dict[str, Hashable]]]) -> int:
    """UPDATE many rows, each to its own new values (row id, {field: value}), as a set: the rows
    whose new values are identical share one ``UPDATE ... WHERE id IN (...)`` per chunk of ids.
    A bank's results take few distinct values (a status, a reason, a processing day), so a chunk
    of thousands of rows is a few dozen statements, where ``bulk_update`` builds and compiles a
    ``CASE WHEN`` per row and field (about 1 ms a row). A value may be an expression of the row's
    own columns (``F("amount")``). Returns the number of rows updated."""
    groups: dict[tuple[tuple[str, Hashable], ...], list[int]] = {}
    for pk, values in changes:
        groups.setdefault(tuple(values.items()), []).append(pk)
    updated = 0
    for key, ids in groups.items():
        ids.sort()
        for start in range(0, len(ids), IDS_PER_UPDATE):
            updated += model.objects.filter(pk__in=ids[start : start + IDS_PER_UPDATE]).update(**dict(key))
    return updated


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
