"""Inserting many new rows fast: the rows Django's ``bulk_create`` would write, without its
per-value compilation, which took most of an import's time (bench/import_bench.py).

Rows are lists of values in the model's concrete-field order without the primary key, so the
same list makes a cheap model instance (``model(pk, *row)``) for the audit events. Values are
adapted once per column with the backend's own adapters. SQLite gets multi-row VALUES with
``RETURNING id`` (SQLite ≥ 3.35), PostgreSQL one array per column through ``unnest``: the same
SQL Django's ``bulk_create`` itself uses on each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

from django.db import connections, models, router

UNNEST_BATCH = 5000
_PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


M = TypeVar("M", bound=models.Model)


class FastInsert(Generic[M]):
    """INSERT of one model's rows, given as value lists in concrete-field order (no id)."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.alias = router.db_for_write(model)
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.defaults = [f.get_default() for f in self.fields]

    def row(self, values: dict[str, Any]) -> list[Any]:
        """A row from {attname: value}; fields not given take their model default."""
        out = list(self.defaults)
        index = self.index
        for name, value in values.items():
            out[index[name]] = value
        return out

    def instance(self, pk: int | None, row: Sequence[Any]) -> M:
        return self.model(pk, *row)

    def insert(self, rows: Sequence[Sequence[Any]], *, returning: bool = False) -> list[int]:
        """Insert ``rows``; with ``returning``, their new ids in the same order."""
        if not rows:
            return []
        connection = connections[self.alias]
        qn = connection.ops.quote_name
        converters = [_converter(f, connection) for f in self.fields]
        adapted = [_adapt(r, converters) for r in rows]
        columns = ", ".join(qn(cast(str, f.column)) for f in self.fields)
        table = qn(self.model._meta.db_table)
        one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        if connection.vendor == "postgresql":
            return self._insert_unnest(connection, adapted, returning=returning)
        with connection.cursor() as cursor:
            if not returning:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", adapted)
                return []
            if not connection.features.can_return_rows_from_bulk_insert:  # SQLite before 3.35
                one_by_one = []
                for r in adapted:
                    cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {one}", r)
                    one_by_one.append(cursor.lastrowid)
                return one_by_one
            pk = qn(cast(str, self.model._meta.pk.column))
            per = max(1, _max_params(connection) // len(self.fields))
            ids: list[int] = []
            sql_full = ""
            for start in range(0, len(adapted), per):
                batch = adapted[start : start + per]
                if len(batch) == per and sql_full:
                    sql = sql_full
                else:
                    sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))} RETURNING {pk}"
                    if len(batch) == per:
                        sql_full = sql
                cursor.execute(sql, [v for r in batch for v in r])
                ids.extend(r[0] for r in cursor.fetchall())
            return ids

    def _insert_unnest(self, connection: Any, rows: list[list[Any]], *, returning: bool) -> list[int]:
        """PostgreSQL: one array per column, ``INSERT … SELECT * FROM unnest(…)`` (as Django's own
        bulk_create does on PostgreSQL): a short statement however many rows it carries."""
        qn = connection.ops.quote_name
        columns = ", ".join(qn(cast(str, f.column)) for f in self.fields)
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in self.fields)
        sql = f"INSERT INTO {qn(self.model._meta.db_table)} ({columns}) SELECT * FROM unnest({arrays})"
        if returning:
            sql += f" RETURNING {qn(cast(str, self.model._meta.pk.column))}"
        ids: list[int] = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), UNNEST_BATCH):
                batch = rows[start : start + UNNEST_BATCH]
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
                if returning:
                    ids.extend(r[0] for r in cursor.fetchall())
        return ids


def _adapt(row: Sequence[Any], converters: list[Callable[[Any], Any] | None]) -> list[Any]:
    return [v if c is None or v is None else c(v) for v, c in zip(row, converters, strict=True)]


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` becomes a driver value (None: as it is)."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind in _PLAIN:
        return None
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        # The rows of a chunk share their timestamps: adapt each distinct one once.
        memo: dict[Any, Any] = {}

        def adapt_datetime(value: Any) -> Any:
            if value not in memo:
                memo[value] = ops.adapt_datetimefield_value(value)
            return memo[value]

        return adapt_datetime
    if kind == "DecimalField":
        digits, places = getattr(field, "max_digits", None), getattr(field, "decimal_places", None)
        return lambda v: ops.adapt_decimalfield_value(v, digits, places)
    if kind == "JSONField":
        return lambda v: ops.adapt_json_value(v, field.encoder)  # type: ignore[attr-defined]
    return lambda v: field.get_db_prep_save(v, connection)


def _max_params(connection: Any) -> int:
    if connection.vendor == "sqlite":
        try:
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, sqlite3.Error):
            limit = 999
        return min(limit, 32766)
    return 65535
