"""What every computation shares: the cells it adds to, the date window, the region scope, and the
SQL helpers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Q

from harapan.registry.models import IN_PROGRAMME, Household

DESA_CODE_LENGTH = 13
Key = tuple[str, int | None]  # (desa code, pendamping staff id or None)


@dataclass
class Cells:
    """Figures of each (desa, pendamping) cell: {(desa, pendamping): {(metric, period): value}}."""

    data: dict[Key, dict[tuple[str, str], int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, desa: str, pendamping: int | None, metric: str, period: str, value: Any) -> None:
        if value:
            self.data[(desa, pendamping)][(metric, period)] += int(value)

    def desa_totals(self) -> dict[str, dict[tuple[str, str], int]]:
        out: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        for (desa, _p), values in self.data.items():
            for key, value in values.items():
                out[desa][key] += value
        return out

    def pendamping_ids(self) -> set[int]:
        return {p for _d, p in self.data if p is not None}


@dataclass(frozen=True)
class Window:
    """The date the figures are computed on and the periods kept: months and tahap of this year
    and the ``years - 1`` before it."""

    on: dt.date
    years: int = 2

    @property
    def first_year(self) -> int:
        return self.on.year - self.years + 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.on.year, 12, 31)

    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.on.year + 1))


def is_desa(prefix: str) -> bool:
    return len(prefix) == DESA_CODE_LENGTH


def desa_q(prefix: str, field_name: str = "desa_id") -> Q:
    """Rows whose desa (``field_name``) lies under ``prefix``: an exact match for a desa, so the
    desa index serves the small refreshes."""
    if not prefix:
        return Q()
    if is_desa(prefix):
        return Q(**{field_name: prefix})
    # A foreign key to a region (``desa_id``): through the region's code, which is its key, so no
    # join is made.
    path = field_name[:-3] + "__code" if field_name.endswith("_id") else field_name
    return Q(**{f"{path}__startswith": prefix + "."})


# Above this many families a desa is filtered through its code rather than a list of ids.
MAX_IDS = 5000


@dataclass
class Scope:
    """The desas a refresh computes: a region prefix. For one desa the families are looked up once
    (through the desa index) and the tables that reach a family (attendance, flags, sanctions,
    payments, referrals, status periods, memberships) are filtered by those ids, which their
    household index serves; a join on the desa code would make PostgreSQL scan them whole."""

    prefix: str
    _ids: list[int] | None = None

    def ids(self) -> list[int] | None:
        if not is_desa(self.prefix):
            return None
        if self._ids is None:
            self._ids = list(Household.objects.filter(desa_id=self.prefix).values_list("id", flat=True))
        return self._ids if len(self._ids) <= MAX_IDS else None

    def families(self, path: str = "") -> Q:
        """Rows of the families under the prefix; ``path`` reaches the family ("household__"), or
        nothing for a Household itself."""
        ids = self.ids()
        if ids is None or not path:
            return desa_q(self.prefix, f"{path}desa_id")
        # Both: the ids serve the table's household index, the desa the join back to the family.
        return Q(**{f"{path[:-2]}_id__in": ids}) & Q(**{f"{path}desa_id": self.prefix})


def month_key(value: Any) -> str:
    """ "2026-03" from a date (PostgreSQL) or from ISO text (SQLite returns raw SQL dates as text)."""
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return str(value)[:7]


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def desa_sql(prefix: str, column: str) -> tuple[str, list[Any]]:
    if not prefix:
        return "1 = 1", []
    if is_desa(prefix):
        return f"{column} = %s", [prefix]
    return f"{column} LIKE %s", [prefix + ".%"]


def in_programme_statuses() -> list[str]:
    return sorted(str(s) for s in IN_PROGRAMME)


def chunks(values: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for v in values:
        batch.append(v)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
