"""Payroll rules as pure functions (RULES.md: Disbursement and data; Components and amounts;
Graduation). Nothing here touches the database; the numbers come from configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from harapan.registry.rules import Violation, nik_violations, no_kk_violations


def years_before(on: dt.date, years: int) -> dt.date:
    """The latest birth date of someone at least ``years`` old on ``on`` (registry.rules.age_on:
    a person born 29 February is a year older on 1 March in other years, so on 29 February of a
    leap year the bound in a common year is 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def id_salur(year: int, number: int, tahap_id: int, household_id: int) -> str:
    """Harapan's unique, stable id of a payment line that the bank echoes back (FORMATS.md §6.2
    ``ID_SALUR``): the same tahap and family always give the same id, so a re-run rewrites the
    same ids and a bank result keeps pointing at its line."""
    return f"{year}-{number}-{tahap_id}-{household_id}"


def nik_date_part(birth_date: dt.date, sex: str) -> str:
    """DDMMYY of a birth date as a NIK carries it: day + 40 for women (RULES.md: Identity numbers)."""
    day = birth_date.day + 40 if sex == "P" else birth_date.day
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


@dataclass
class IdentityCheck:
    """NIK and No KK checks of the validation by system (RULES.md: Identity numbers; Disbursement
    and data: "NIK/No KK valid and matched"), for a whole run.

    A number that passes the quick test (16 digits, a registered kecamatan, the date part equal to
    the carer's birth date and sex, serial not 0000) is exactly one for which
    ``registry.rules.nik_violations`` finds nothing; any other goes to that function for the
    messages. The No KK's date part is checked once per distinct date (a run sees a few thousand).
    """

    kecamatan_digits: frozenset[str]
    today: dt.date
    kk_earliest_year: int

    def __post_init__(self) -> None:
        self._kk_dates: dict[str, bool] = {}
        self._exists: Callable[[str], bool] = self.kecamatan_digits.__contains__

    def nik(self, nik: str, *, birth_date: dt.date, sex: str) -> list[Violation]:
        if (
            len(nik) == 16
            and nik.isdigit()
            and nik[:6] in self.kecamatan_digits
            and nik[6:12] == nik_date_part(birth_date, sex)
            and nik[12:] != "0000"
        ):
            return []
        return nik_violations(
            nik, birth_date=birth_date, sex=sex, kecamatan_exists=self._exists, field_name="NIK_PENGURUS"
        )

    def no_kk(self, no_kk: str) -> list[Violation]:
        if len(no_kk) == 16 and no_kk.isdigit() and no_kk[:6] in self.kecamatan_digits and no_kk[12:] != "0000":
            part = no_kk[6:12]
            ok = self._kk_dates.get(part)
            if ok is None:
                probe = no_kk[:6] + part + "0001"
                ok = self._kk_dates[part] = not no_kk_violations(
                    probe, kecamatan_exists=self._exists, today=self.today, earliest_year=self.kk_earliest_year
                )
            if ok:
                return []
        return no_kk_violations(
            no_kk, kecamatan_exists=self._exists, today=self.today, earliest_year=self.kk_earliest_year
        )


def carer_absence(*, has_carer: bool, presence_ok: bool, left_on: dt.date | None, on: dt.date) -> str | None:
    """Why the family has no carer to pay on ``on``, or None: the money goes to the carer, never to
    someone else (RULES.md: Disbursement and data), so a family whose carer is missing, has died or
    moved out is left out until a new carer is recorded."""
    if not has_carer:
        return "Tidak ada anggota yang tercatat sebagai pengurus."
    if left_on is not None and left_on <= on:
        return f"Pengurus sudah keluar dari keluarga pada {left_on:%d-%m-%Y}."
    if left_on is None and not presence_ok:
        return "Pengurus tidak lagi tinggal di keluarga ini."
    return None


def carries(*, status_salur: str, reason_carries: bool, carry_statuses: frozenset[str]) -> bool:
    """Whether an unpaid line is carried to the family's next tahap: the bank says it failed or
    returned it, and its reason code is one that carries (ReasonCode.carry_over)."""
    return status_salur in carry_statuses and reason_carries


def dana_sharing_percent(apbd: int, pkh: int) -> Decimal | None:
    """The district's APBD co-funding as a percentage of the PKH funds paid in it that year,
    rounded to two decimals; None when nothing was paid (RULES.md: Disbursement and data)."""
    if pkh <= 0:
        return None
    return (Decimal(apbd) * 100 / Decimal(pkh)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dana_sharing_meets_target(apbd: int, pkh: int, target_percent: int | Decimal) -> bool | None:
    """Whether co-funding reaches the target share (default 5%), compared exactly in integers."""
    if pkh <= 0:
        return None
    return Decimal(apbd) * 100 >= Decimal(target_percent) * pkh
