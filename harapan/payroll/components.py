"""Components of many families on a cut-off date in one SQL statement: the set-based twin of
``registry.rules.member_components`` (RULES.md: Components and amounts), held equal to it by
``tests/test_components.py`` on recorded families.

Every age rule becomes a comparison of the birth date with a date computed once in Python
(``rules.years_before``), and every dated fact a comparison of its dates with the cut-off, so the
statement is the same plain SQL on SQLite and PostgreSQL. It returns one row per (household,
member, category the member fits), ordered by household then member: the columnar input of
``benefits.rules.household_totals``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from harapan.registry.models import PRESENT, DisabilityAssessment, Household, Member, Pregnancy, SchoolEnrolment
from harapan.registry.rules import Komponen, RegistryRules

from .rules import years_before


@dataclass(frozen=True)
class ComponentDates:
    """The dates the component rules compare with, for one cut-off date."""

    on: dt.date
    early_child_born_after: dt.date  # younger than EARLY_CHILD_MAX_AGE + 1 years
    school_born_on_or_before: dt.date  # at least SCHOOL_MIN_AGE
    school_born_after: dt.date  # younger than SCHOOL_MAX_AGE + 1
    elderly_born_on_or_before: dt.date  # at least ELDERLY_MIN_AGE
    open_pregnancy_from: dt.date  # an open pregnancy counts PREGNANCY_DAYS + NIFAS_DAYS from its start
    ended_pregnancy_to: dt.date  # an ended one NIFAS_DAYS after its end

    @classmethod
    def of(cls, on: dt.date, rules: RegistryRules) -> ComponentDates:
        return cls(
            on=on,
            early_child_born_after=years_before(on, rules.early_child_max_age + 1),
            school_born_on_or_before=years_before(on, rules.school_min_age),
            school_born_after=years_before(on, rules.school_max_age + 1),
            elderly_born_on_or_before=years_before(on, rules.elderly_min_age),
            open_pregnancy_from=on - dt.timedelta(days=rules.pregnancy_days + rules.nifas_days),
            ended_pregnancy_to=on - dt.timedelta(days=rules.nifas_days),
        )


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def component_rows(
    *, on: dt.date, rules: RegistryRules, id_after: int, id_upto: int, region_prefix: str | None
) -> list[tuple[int, int, str]]:
    """(household id, member id, komponen) of every member who fits a category on ``on``, for the
    families with ``id_after < id <= id_upto`` whose desa code starts with ``region_prefix``
    (None: anywhere), ordered by household then member (``component_sql``)."""
    sql, params = component_sql(on=on, rules=rules, id_after=id_after, id_upto=id_upto, region_prefix=region_prefix)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def component_sql(
    *, on: dt.date, rules: RegistryRules, id_after: int, id_upto: int, region_prefix: str | None
) -> tuple[str, list[Any]]:
    """The statement of ``component_rows`` and its parameters; its columns are ``household_id``,
    ``member_id`` and ``komponen``.

    A member counts while born on or before the date and still in the family: not left on or
    before it, and, with no leaving date, present (tinggal / anggota baru). Then, as
    ``member_components``: ibu hamil for a woman whose pregnancy covers the date or ended at most
    NIFAS_DAYS before it (an open one lasts PREGNANCY_DAYS); anak usia dini up to
    EARLY_CHILD_MAX_AGE; anak SD/SMP/SMA by the level of an enrolment covering the date, between
    SCHOOL_MIN_AGE and SCHOOL_MAX_AGE; disabilitas berat by an assessment covering the date;
    lanjut usia from ELDERLY_MIN_AGE.
    """
    d = ComponentDates.of(on, rules)
    member, household = _table(Member), _table(Household)
    present = ",".join(str(int(p)) for p in sorted(PRESENT))
    base = (
        f"FROM {member} m "
        + (f"JOIN {household} h ON h.id = m.household_id AND h.desa_id LIKE %s " if region_prefix else "")
        + "{join}"
        + "WHERE m.household_id > %s AND m.household_id <= %s AND m.birth_date <= %s "
        f"AND ((m.left_on IS NULL AND m.presence IN ({present})) OR m.left_on > %s) "
    )

    def part(komponen: str, join: str, where: str, where_params: list[object]) -> tuple[str, list[object]]:
        params: list[object] = [f"{region_prefix}%"] if region_prefix else []
        params += [id_after, id_upto, on, on, *where_params]
        select = f"SELECT m.household_id AS household_id, m.id AS member_id, {komponen} AS komponen "
        return select + base.format(join=join) + where, params

    parts = [
        part(
            f"'{Komponen.IBU_HAMIL.value}'",
            f"JOIN {_table(Pregnancy)} p ON p.member_id = m.id ",
            "AND m.sex = 'P' AND p.valid_from <= %s AND ((p.valid_to IS NULL AND p.valid_from >= %s) "
            "OR (p.valid_to IS NOT NULL AND p.valid_to >= %s))",
            [on, d.open_pregnancy_from, d.ended_pregnancy_to],
        ),
        part(
            f"'{Komponen.ANAK_USIA_DINI.value}'",
            "",
            "AND m.birth_date > %s",
            [d.early_child_born_after],
        ),
        part(
            f"CASE e.level WHEN 'SD' THEN '{Komponen.ANAK_SD.value}' WHEN 'SMP' THEN '{Komponen.ANAK_SMP.value}' "
            f"ELSE '{Komponen.ANAK_SMA.value}' END",
            f"JOIN {_table(SchoolEnrolment)} e ON e.member_id = m.id ",
            "AND m.birth_date <= %s AND m.birth_date > %s AND e.level IN ('SD', 'SMP', 'SMA') "
            "AND e.valid_from <= %s AND (e.valid_to IS NULL OR e.valid_to >= %s)",
            [d.school_born_on_or_before, d.school_born_after, on, on],
        ),
        part(
            f"'{Komponen.DISABILITAS_BERAT.value}'",
            f"JOIN {_table(DisabilityAssessment)} a ON a.member_id = m.id ",
            "AND a.severe = %s AND a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to >= %s)",
            [True, on, on],
        ),
        part(
            f"'{Komponen.LANJUT_USIA.value}'",
            "",
            "AND m.birth_date <= %s",
            [d.elderly_born_on_or_before],
        ),
    ]
    sql = " UNION ALL ".join(p[0] for p in parts) + " ORDER BY 1, 2"
    params: list[Any] = [v for p in parts for v in p[1]]
    return sql, params
