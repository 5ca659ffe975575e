"""Each family left out of a tahap is listed with its reason (RULES.md: Disbursement and data,
"validation by system": NIK/No KK valid, no NIK in two households, an active account, the carer
present; Sanctions; Graduation)."""

from __future__ import annotations

import datetime as dt

from harapan.accounts.models import Role
from harapan.payroll.models import AccountStatus, Exclusion, ExclusionReason, PaymentLine, Tahap
from harapan.registry.models import Household, HouseholdStatus, Member, Presence
from harapan.registry.rules import compose_nik, compose_no_kk
from harapan.registry.services import household_set_status
from harapan.testing import make_household, make_staff

from .conftest import CUT_OFF, PER_TAHAP, give_accounts

YOUNG = dt.date(2023, 4, 4)


def family(**kw: object) -> Household:
    """A family with one young child (one component), with an account."""
    h = make_household(children=[(YOUNG, None)], **kw)  # type: ignore[arg-type]
    give_accounts(h)
    return h


def reasons(tahap: Tahap, household: Household) -> dict[str, str]:
    return dict(Exclusion.objects.filter(tahap=tahap, household=household).values_list("reason", "detail"))


def test_suspended_and_non_eligible_families_on_the_cut_off_are_excluded_with_the_sanction_reason(
    run_tahap, operator
) -> None:
    """Sanctions: the run reads the family's status on the cut-off date (its status period) and
    lists a suspended or non-eligible family with the period's reason; a family suspended only
    after the cut-off is still paid this tahap."""
    suspended, cancelled, later = family(), family(), family()
    household_set_status(
        household=suspended,
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=dt.date(2026, 2, 1),
        reason="Tidak hadir P2K2 3 kali berturut-turut",
        acting_user=operator.user,
    )
    household_set_status(
        household=cancelled,
        status=HouseholdStatus.NON_ELIGIBLE,
        valid_from=dt.date(2026, 1, 10),
        reason="Pembatalan: komitmen tidak dipenuhi",
        acting_user=operator.user,
    )
    household_set_status(
        household=later,
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=CUT_OFF + dt.timedelta(days=1),
        reason="Sanksi sesudah cut-off",
        acting_user=operator.user,
    )
    tahap = run_tahap()
    assert reasons(tahap, suspended) == {"ditangguhkan": "Tidak hadir P2K2 3 kali berturut-turut"}
    assert reasons(tahap, cancelled) == {"non_eligible": "Pembatalan: komitmen tidak dipenuhi"}
    assert PaymentLine.objects.get(household=later).amount == PER_TAHAP["anak_usia_dini"]


def test_long_gone_families_and_calon_are_handled_by_status(run_tahap, operator) -> None:
    """Disbursement and data: a calon is not paid before it is aktif (listed as calon); a family
    non-eligible for more than a year, or graduated, is out of the programme and not listed."""
    calon = family(status=HouseholdStatus.CALON)
    old = family(status=HouseholdStatus.NON_ELIGIBLE)  # non-eligible since 2020
    graduated = family(status=HouseholdStatus.GRADUASI_MANDIRI)
    tahap = run_tahap()
    assert set(reasons(tahap, calon)) == {"calon"}
    for h in (old, graduated):
        assert not Exclusion.objects.filter(household=h).exists()
        assert not PaymentLine.objects.filter(household=h).exists()
    assert tahap.families_count == 1


def test_carer_missing_or_gone_is_excluded(run_tahap) -> None:
    """Disbursement and data: payment goes to the carer; no carer, or a carer who died before the
    cut-off, keeps the family out until a new carer is recorded."""
    no_carer, died = family(), family()
    Member.objects.filter(household=no_carer).update(is_carer=False)
    Member.objects.filter(household=died, is_carer=True).update(
        presence=Presence.MENINGGAL, left_on=dt.date(2026, 2, 14), is_active=False
    )
    tahap = run_tahap()
    assert set(reasons(tahap, no_carer)) == {"pengurus_tidak_ada"}
    assert reasons(tahap, died) == {"pengurus_tidak_ada": "Pengurus sudah keluar dari keluarga pada 14-02-2026."}


def test_invalid_carer_nik_and_no_kk_are_excluded_with_the_rule_broken(run_tahap) -> None:
    """Identity numbers / Disbursement and data: a carer NIK whose date part is not her birth date
    and a No KK with serial 0000 are not valid; each is listed with the registry rule's message."""
    bad_nik, bad_kk = family(), family()
    carer = Member.objects.get(household=bad_nik, is_carer=True)
    Member.objects.filter(pk=carer.pk).update(nik=compose_nik("35.11.01", dt.date(1990, 1, 1), "P", 77))
    Household.objects.filter(pk=bad_kk.pk).update(no_kk=bad_kk.no_kk[:12] + "0000")
    tahap = run_tahap()
    assert set(reasons(tahap, bad_nik)) == {"nik_tidak_valid"}
    assert "tidak sama dengan tanggal lahir" in reasons(tahap, bad_nik)["nik_tidak_valid"]
    assert reasons(tahap, bad_kk) == {"kk_tidak_valid": "Nomor urut No KK tidak boleh 0000."}


def test_a_nik_held_in_two_families_excludes_both(run_tahap) -> None:
    """Disbursement and data: no NIK in two households. The database refuses two active holders, so
    the second holder is a present member marked inactive (e.g. written by a bulk path)."""
    first, second = family(), family()
    child = Member.objects.get(household=first, relationship=3)
    Member.objects.create(
        household=second,
        nik=child.nik,
        no_kk=second.no_kk,
        name="Anak Titipan",
        sex=child.sex,
        birth_date=child.birth_date,
        relationship=5,
        is_active=False,
    )
    tahap = run_tahap()
    assert set(reasons(tahap, first)) == {"nik_ganda"}
    assert reasons(tahap, second) == {"nik_ganda": f"NIK {child.nik} juga terdaftar di KPM {first.pkh_id}."}


def test_blocked_or_dormant_account_excludes_and_no_account_needs_burekol(run_tahap) -> None:
    """Disbursement and data: an active account, not blocked; a family without an account is paid
    through a burekol line with an empty NO_REKENING (FORMATS.md §6.2)."""
    blocked, dormant, without, reopened = family(), family(), family(), family()
    Household.objects.filter(pk=without.pk).update(account_number="")
    AccountStatus.objects.create(household=blocked, status="BLOKIR", valid_from=dt.date(2026, 1, 5), source="uji")
    AccountStatus.objects.create(household=dormant, status="DORMANT", valid_from=dt.date(2026, 1, 5), source="uji")
    AccountStatus.objects.create(
        household=reopened, status="BLOKIR", valid_from=dt.date(2025, 9, 1), valid_to=dt.date(2026, 1, 31), source="uji"
    )
    AccountStatus.objects.create(household=reopened, status="AKTIF", valid_from=dt.date(2026, 2, 1), source="uji")
    tahap = run_tahap()
    assert reasons(tahap, blocked) == {"rekening_diblokir": "Status rekening BLOKIR sejak 05-01-2026."}
    assert set(reasons(tahap, dormant)) == {"rekening_tidak_aktif"}
    line = PaymentLine.objects.get(household=without)
    assert (line.needs_burekol, line.account_number, line.amount) == (True, "", PER_TAHAP["anak_usia_dini"])
    assert PaymentLine.objects.get(household=reopened).needs_burekol is False
    assert tahap.burekol_count == 1


def test_family_with_no_counted_component_is_graduasi_alamiah(run_tahap) -> None:
    """Graduation: a family with no counted component on the cut-off is excluded as alamiah."""
    none_left = make_household()
    give_accounts(none_left)
    tahap = run_tahap()
    assert reasons(tahap, none_left) == {"graduasi_alamiah": "Tidak ada anggota dengan komponen pada 01-03-2026."}
    assert tahap.alamiah_count == 1


def test_every_reason_is_listed_not_only_the_first(run_tahap, operator) -> None:
    """Disbursement and data: an operator fixing a family sees all its problems at once."""
    h = make_household()
    Household.objects.filter(pk=h.pk).update(no_kk=h.no_kk[:12] + "0000")
    AccountStatus.objects.create(household=h, status="TUTUP", valid_from=dt.date(2026, 1, 5), source="uji")
    tahap = run_tahap()
    assert set(reasons(tahap, h)) == {"kk_tidak_valid", "rekening_tidak_aktif", "graduasi_alamiah"}
    assert tahap.excluded_count == 1


def test_overlapping_province_tahap_lists_families_already_in_the_kabupaten_tahap(run_tahap) -> None:
    """Disbursement and data (issue 4: a tahap never pays a family twice): the province's tahap of
    the same number finds the kabupaten's families already listed and excludes them."""
    bondowoso = family()
    jember = make_household(desa="35.09.01.2001", children=[(YOUNG, None)])
    give_accounts(jember)
    kabupaten = run_tahap()
    province = run_tahap(region="35", acting_user=make_staff(Role.DINSOS_PROV, "35").user)
    assert PaymentLine.objects.get(household=bondowoso).tahap == kabupaten
    assert PaymentLine.objects.get(household=jember).tahap == province
    assert reasons(province, bondowoso) == {"tahap_lain": f"Sudah ada di tahap #{kabupaten.pk} (35.11)."}
    assert ExclusionReason.TAHAP_LAIN.label


def test_a_kk_reissued_after_the_cut_off_is_not_an_invalid_number(run_tahap) -> None:
    """Identity numbers: the No KK's date part is its registration date. A family's KK is reissued
    when its members change, so a card registered after the cut-off (but not in the future) is the
    family's current KK and the family is paid."""
    h = family()
    reissued = CUT_OFF + dt.timedelta(days=3)
    assert reissued <= dt.date.today()
    Household.objects.filter(pk=h.pk).update(no_kk=compose_no_kk("35.11.01", reissued, 12))
    tahap = run_tahap()
    assert "kk_tidak_valid" not in reasons(tahap, h)
