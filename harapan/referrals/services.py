"""Referral writes: refer, accept, complete (which opens the coverage), reject; record and end a
programme the family already receives; add and edit programmes. Each takes ``acting_user``, runs in
one transaction, checks the user's role and scope (accounts.scope) and writes its audit event.

A referral moves dirujuk → diterima → selesai, or to ditolak from either open state (``rules``); one
family has at most one open referral per programme and member, and is not referred to a programme it
already receives (RULES.md: People and ratios, "ensure complementary programmes (BPNT, KIS, KIP)").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.accounts.scope import household_q, staff_of
from harapan.audit.services import diff, jsonable, snapshot
from harapan.conf import setting
from harapan.registry.models import IN_PROGRAMME, PRESENT, Household, Member

from . import events
from .models import Coverage, CoverageSource, Programme, ProgrammeTarget, Referral, ReferralStatus
from .rules import TRANSITIONS, can_move
from .selectors import active_coverage, open_referral


def config(name: str) -> Any:
    return setting("referrals", name)


def in_scope(user: Any, household_id: int) -> bool:
    return Household.objects.filter(household_q(user), pk=household_id).exists()


def _has_role(user: Any, roles_setting: str) -> Staff | None:
    staff = staff_of(user)
    return staff if staff is not None and staff.role in config(roles_setting) else None


def may_refer(user: Any, household: Household) -> bool:
    """A staff member of ``REFER_ROLES`` with the family in scope (and, by default, in the programme)."""
    return (
        _has_role(user, "REFER_ROLES") is not None
        and (household.status in IN_PROGRAMME or not config("REFER_ONLY_IN_PROGRAMME"))
        and in_scope(user, household.pk)
    )


def may_follow_up(user: Any, referral: Referral) -> bool:
    """A staff member of ``FOLLOW_UP_ROLES`` with the family in scope, while the referral is open."""
    return referral.is_open and _has_role(user, "FOLLOW_UP_ROLES") is not None and in_scope(user, referral.household_id)


def may_record_coverage(user: Any, household: Household) -> bool:
    return _has_role(user, "COVERAGE_ROLES") is not None and in_scope(user, household.pk)


def may_edit_programmes(user: Any) -> bool:
    return _has_role(user, "PROGRAMME_ROLES") is not None


def _staff(acting_user: Any, roles_setting: str, message: str) -> Staff:
    staff = _has_role(acting_user, roles_setting)
    if staff is None:
        raise PermissionDenied(message)
    return staff


def _require_scope(acting_user: Any, household_id: int) -> None:
    if not in_scope(acting_user, household_id):
        raise PermissionDenied(_("KPM ini di luar wilayah kerja Anda."))


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: ValidationError(_("%(label)s tidak boleh di masa depan.") % {"label": label})})


def _check_member(household: Household, programme: Programme, member: Member | None) -> Member | None:
    """A member-level programme needs one member who belongs to and lives in the family; a family-level
    programme takes none."""
    if programme.target == ProgrammeTarget.ANGGOTA:
        if member is None:
            raise ValidationError(
                {
                    "member": ValidationError(
                        _("Program %(p)s untuk anggota keluarga: pilih anggota yang dirujuk.") % {"p": programme.name},
                        code="anggota_wajib",
                    )
                }
            )
        member = Member.objects.get(pk=member.pk)
        if member.household_id != household.pk:
            raise ValidationError(
                {
                    "member": ValidationError(
                        _("%(name)s bukan anggota KPM %(kpm)s.") % {"name": member.name, "kpm": household.pkh_id},
                        code="anggota_bukan_keluarga",
                    )
                }
            )
        if member.presence not in PRESENT or member.left_on is not None:
            raise ValidationError(
                {
                    "member": ValidationError(
                        _("%(name)s sudah tidak tinggal di keluarga ini (%(p)s).")
                        % {"name": member.name, "p": member.get_presence_display()},
                        code="anggota_tidak_tinggal",
                    )
                }
            )
        return member
    if member is not None:
        raise ValidationError(
            {
                "member": ValidationError(
                    _("Program %(p)s untuk seluruh keluarga: jangan pilih anggota.") % {"p": programme.name},
                    code="program_keluarga",
                )
            }
        )
    return None


def _who(programme: Programme, member: Member | None) -> dict[str, Any]:
    out: dict[str, Any] = {"program": programme.name}
    if member is not None:
        out["anggota"] = member.name
    return out


def _already_covered(coverage: Coverage, programme: Programme, member: Member | None) -> ValidationError:
    who = member.name if member is not None else _("KPM ini")
    return ValidationError(
        {
            NON_FIELD_ERRORS: ValidationError(
                _("%(who)s sudah tercatat menerima %(p)s sejak %(since)s; tidak perlu dirujuk lagi.")
                % {"who": who, "p": programme.name, "since": coverage.since.strftime("%d-%m-%Y")},
                code="sudah_menerima",
            )
        }
    )


def _duplicate(programme: Programme, member: Member | None, existing: Referral | None) -> ValidationError:
    who = member.name if member is not None else _("KPM ini")
    ref = f" (#{existing.pk}, {existing.get_status_display()})" if existing is not None else ""
    return ValidationError(
        {
            NON_FIELD_ERRORS: ValidationError(
                _(
                    "%(who)s sudah punya rujukan terbuka ke %(p)s%(ref)s; satu KPM hanya boleh punya satu rujukan "
                    "terbuka per program dan anggota."
                )
                % {"who": who, "p": programme.name, "ref": ref},
                code="rujukan_terbuka_ganda",
            )
        }
    )


# --- Referrals ----------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    household: Household,
    programme: Programme,
    acting_user: Any,
    member: Member | None = None,
    referred_on: dt.date | None = None,
    note: str = "",
    source: str = "web",
) -> Referral:
    """Refer a family, or one of its members, to a programme (status dirujuk). Refused when the family
    is out of scope or no longer in the programme, the member is not one of its own, it already receives
    the programme, or it already has an open referral to it for the same member."""
    staff = _staff(acting_user, "REFER_ROLES", _("Peran Anda tidak dapat merujuk KPM ke program komplementer."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require_scope(acting_user, household.pk)
    if config("REFER_ONLY_IN_PROGRAMME") and household.status not in IN_PROGRAMME:
        raise ValidationError(
            _("KPM berstatus %(status)s, tidak lagi dalam program; rujukan baru tidak dapat dibuat.")
            % {"status": household.get_status_display()},
            code="kpm_tidak_dalam_program",
        )
    programme = Programme.objects.get(pk=programme.pk)
    if not programme.is_active:
        raise ValidationError(
            {
                "programme": ValidationError(
                    _("Program %(p)s tidak aktif.") % {"p": programme.name}, code="program_nonaktif"
                )
            }
        )
    member = _check_member(household, programme, member)
    referred_on = referred_on or timezone.localdate()
    _not_future(referred_on, "referred_on", _("Tanggal rujukan"))
    member_id = member.pk if member is not None else None
    covered = active_coverage(household_id=household.pk, programme_id=programme.pk, member_id=member_id)
    if covered is not None:
        raise _already_covered(covered, programme, member)
    existing = open_referral(household_id=household.pk, programme_id=programme.pk, member_id=member_id)
    if existing is not None:
        raise _duplicate(programme, member, existing)
    referral = Referral(
        household=household,
        member=member,
        programme=programme,
        status=ReferralStatus.DIRUJUK,
        referred_on=referred_on,
        referred_by=staff,
        note=note.strip()[:500],
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:  # referred twice at the same moment
        raise _duplicate(programme, member, None) from exc
    events.event(
        events.REFERRAL_CREATED,
        referral,
        household_id=household.pk,
        actor=acting_user,
        source=source,
        after={**_who(programme, member), "status_rujukan": referral.status, "tanggal_rujuk": jsonable(referred_on)},
        note=referral.note,
    ).save()
    return referral


def _lock_open(referral: Referral, acting_user: Any, target: str) -> Referral:
    """The referral, locked, after the role, scope and transition checks for moving it to ``target``."""
    _staff(
        acting_user,
        "FOLLOW_UP_ROLES",
        _("Peran Anda tidak dapat mencatat tindak lanjut rujukan."),
    )
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("programme", "member", "household")
        .get(pk=referral.pk)
    )
    _require_scope(acting_user, referral.household_id)
    if not can_move(referral.status, target):
        allowed = [str(ReferralStatus(s).label) for s, nexts in TRANSITIONS.items() if target in nexts]
        raise ValidationError(
            _(
                "Rujukan #%(pk)s berstatus %(status)s; status %(target)s hanya dapat dicatat dari %(allowed)s "
                "(alur rujukan: dirujuk → diterima → selesai, atau ditolak)."
            )
            % {
                "pk": referral.pk,
                "status": referral.get_status_display(),
                "target": ReferralStatus(target).label,
                "allowed": " / ".join(allowed),
            },
            code="transisi_tidak_sah",
        )
    return referral


@transaction.atomic
def referral_accept(
    *, referral: Referral, acting_user: Any, accepted_on: dt.date | None = None, note: str = "", source: str = "web"
) -> Referral:
    """The provider has accepted the referral (the application is being processed): dirujuk → diterima."""
    referral = _lock_open(referral, acting_user, ReferralStatus.DITERIMA)
    accepted_on = accepted_on or timezone.localdate()
    _not_future(accepted_on, "accepted_on", _("Tanggal diterima"))
    if accepted_on < referral.referred_on:
        raise ValidationError(
            {"accepted_on": ValidationError(_("Tanggal diterima tidak boleh sebelum tanggal dirujuk."), code="tanggal")}
        )
    referral.status, referral.accepted_on = ReferralStatus.DITERIMA, accepted_on
    referral.save(update_fields=["status", "accepted_on"])
    events.event(
        events.REFERRAL_ACCEPTED,
        referral,
        household_id=referral.household_id,
        actor=acting_user,
        source=source,
        before={"status_rujukan": ReferralStatus.DIRUJUK},
        after={
            **_who(referral.programme, referral.member),
            "status_rujukan": referral.status,
            "tanggal_diterima": jsonable(accepted_on),
        },
        note=note.strip(),
    ).save()
    return referral


@transaction.atomic
def referral_complete(
    *,
    referral: Referral,
    outcome: str,
    acting_user: Any,
    closed_on: dt.date | None = None,
    card_number: str = "",
    source: str = "web",
) -> Referral:
    """The family (or member) now receives the programme: diterima → selesai, with the outcome (e.g.
    the card issued), and its coverage opens from the closing date in the same transaction."""
    referral = _lock_open(referral, acting_user, ReferralStatus.SELESAI)
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError(
            {
                "outcome": ValidationError(
                    _("Hasil rujukan wajib diisi (mis. nomor kartu yang terbit)."), code="hasil_wajib"
                )
            }
        )
    closed_on = closed_on or timezone.localdate()
    _not_future(closed_on, "closed_on", _("Tanggal selesai"))
    assert referral.accepted_on is not None  # diterima carries its date (referral_diterima_dates)
    if closed_on < referral.accepted_on:
        raise ValidationError(
            {"closed_on": ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal diterima."), code="tanggal")}
        )
    covered = active_coverage(
        household_id=referral.household_id, programme_id=referral.programme_id, member_id=referral.member_id
    )
    if covered is not None:
        raise ValidationError(
            _(
                "%(p)s sudah tercatat diterima sejak %(since)s (kepesertaan #%(c)s); tolak rujukan ini dengan alasan "
                "“sudah menerima” atau akhiri kepesertaan lama terlebih dahulu."
            )
            % {"p": referral.programme.name, "since": covered.since.strftime("%d-%m-%Y"), "c": covered.pk},
            code="sudah_menerima",
        )
    referral.status, referral.closed_on, referral.outcome = ReferralStatus.SELESAI, closed_on, outcome[:500]
    referral.save(update_fields=["status", "closed_on", "outcome"])
    coverage = Coverage.objects.create(
        household_id=referral.household_id,
        member=referral.member,
        programme=referral.programme,
        since=closed_on,
        source=CoverageSource.RUJUKAN,
        referral=referral,
        card_number=card_number.strip()[:60],
    )
    who = _who(referral.programme, referral.member)
    events.event(
        events.REFERRAL_COMPLETED,
        referral,
        household_id=referral.household_id,
        actor=acting_user,
        source=source,
        before={"status_rujukan": ReferralStatus.DITERIMA},
        after={**who, "status_rujukan": referral.status, "tanggal_ditutup": jsonable(closed_on), "hasil": outcome},
    ).save()
    events.event(
        events.COVERAGE_ADDED,
        coverage,
        household_id=referral.household_id,
        actor=acting_user,
        source=source,
        after={
            **who,
            "menerima_sejak": jsonable(closed_on),
            "sumber_kepesertaan": coverage.source,
            "rujukan": referral.pk,
            "nomor_kartu": coverage.card_number,
        },
    ).save()
    return referral


@transaction.atomic
def referral_reject(
    *, referral: Referral, reason: str, acting_user: Any, closed_on: dt.date | None = None, source: str = "web"
) -> Referral:
    """The provider refused (or the family withdrew): dirujuk or diterima → ditolak, with the reason."""
    referral = _lock_open(referral, acting_user, ReferralStatus.DITOLAK)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"outcome": ValidationError(_("Alasan penolakan wajib diisi."), code="alasan_wajib")})
    closed_on = closed_on or timezone.localdate()
    _not_future(closed_on, "closed_on", _("Tanggal ditolak"))
    earliest = referral.accepted_on or referral.referred_on
    if closed_on < earliest:
        raise ValidationError(
            {
                "closed_on": ValidationError(
                    _("Tanggal ditolak tidak boleh sebelum %(d)s.") % {"d": earliest.strftime("%d-%m-%Y")},
                    code="tanggal",
                )
            }
        )
    before = referral.status
    referral.status, referral.closed_on, referral.outcome = ReferralStatus.DITOLAK, closed_on, reason[:500]
    referral.save(update_fields=["status", "closed_on", "outcome"])
    events.event(
        events.REFERRAL_REJECTED,
        referral,
        household_id=referral.household_id,
        actor=acting_user,
        source=source,
        before={"status_rujukan": before},
        after={
            **_who(referral.programme, referral.member),
            "status_rujukan": referral.status,
            "tanggal_ditutup": jsonable(closed_on),
            "hasil": reason,
        },
    ).save()
    return referral


# --- Coverage recorded directly ------------------------------------------------------------------


@transaction.atomic
def coverage_add(
    *,
    household: Household,
    programme: Programme,
    since: dt.date,
    acting_user: Any,
    member: Member | None = None,
    card_number: str = "",
    note: str = "",
    source: str = "web",
) -> Coverage:
    """Record a programme the family (or a member) already receives, e.g. a KIS held for years. Refused
    when it is already recorded as running, or an open referral to it is waiting to be completed."""
    _staff(acting_user, "COVERAGE_ROLES", _("Peran Anda tidak dapat mencatat kepesertaan program komplementer."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require_scope(acting_user, household.pk)
    programme = Programme.objects.get(pk=programme.pk)
    member = _check_member(household, programme, member)
    _not_future(since, "since", _("Tanggal mulai menerima"))
    member_id = member.pk if member is not None else None
    covered = active_coverage(household_id=household.pk, programme_id=programme.pk, member_id=member_id)
    if covered is not None:
        raise _already_covered(covered, programme, member)
    waiting = open_referral(household_id=household.pk, programme_id=programme.pk, member_id=member_id)
    if waiting is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _(
                        "Ada rujukan terbuka #%(pk)s ke %(p)s (%(s)s); selesaikan rujukan itu agar kepesertaan "
                        "tercatat dari rujukannya."
                    )
                    % {"pk": waiting.pk, "p": programme.name, "s": waiting.get_status_display()},
                    code="rujukan_terbuka",
                )
            }
        )
    coverage = Coverage(
        household=household,
        member=member,
        programme=programme,
        since=since,
        source=CoverageSource.PENDAMPING,
        card_number=card_number.strip()[:60],
        note=note.strip()[:500],
    )
    try:
        with transaction.atomic():
            coverage.save()
    except IntegrityError as exc:  # recorded twice at the same moment
        raise ValidationError(_("Kepesertaan ini baru saja dicatat."), code="sudah_menerima") from exc
    events.event(
        events.COVERAGE_ADDED,
        coverage,
        household_id=household.pk,
        actor=acting_user,
        source=source,
        after={
            **_who(programme, member),
            "menerima_sejak": jsonable(since),
            "sumber_kepesertaan": coverage.source,
            "nomor_kartu": coverage.card_number,
        },
        note=coverage.note,
    ).save()
    return coverage


@transaction.atomic
def coverage_end(
    *, coverage: Coverage, until: dt.date, acting_user: Any, reason: str = "", source: str = "web"
) -> Coverage:
    """The family (or member) no longer receives the programme from the day after ``until``."""
    _staff(acting_user, "COVERAGE_ROLES", _("Peran Anda tidak dapat mengubah kepesertaan program komplementer."))
    coverage = (
        Coverage.objects.select_for_update(of=("self",)).select_related("programme", "member").get(pk=coverage.pk)
    )
    _require_scope(acting_user, coverage.household_id)
    if coverage.until is not None:
        raise ValidationError(
            _("Kepesertaan ini sudah berakhir pada %(d)s.") % {"d": coverage.until.strftime("%d-%m-%Y")},
            code="sudah_berakhir",
        )
    _not_future(until, "until", _("Tanggal berakhir"))
    if until < coverage.since:
        raise ValidationError(
            {
                "until": ValidationError(
                    _("Tanggal berakhir tidak boleh sebelum tanggal mulai menerima."), code="tanggal"
                )
            }
        )
    coverage.until, coverage.end_reason = until, reason.strip()[:300]
    coverage.save(update_fields=["until", "end_reason"])
    events.event(
        events.COVERAGE_ENDED,
        coverage,
        household_id=coverage.household_id,
        actor=acting_user,
        source=source,
        after={**_who(coverage.programme, coverage.member), "menerima_sampai": jsonable(until)},
        note=coverage.end_reason,
    ).save()
    return coverage


# --- Programmes (reference data) -----------------------------------------------------------------

PROGRAMME_FIELDS = ("name", "provider", "target", "eligibility", "hint", "is_active", "order")


@transaction.atomic
def programme_create(*, code: str, data: Mapping[str, Any], acting_user: Any) -> Programme:
    """Add a programme (``PROGRAMME_ROLES``: korkab, Dinas Sosial, the ministry)."""
    if not may_edit_programmes(acting_user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengubah daftar program komplementer."))
    unknown = set(data) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError(_("Kolom tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    programme = Programme(code=code.strip().lower(), **data)
    programme.full_clean()
    programme.save()
    events.event(
        events.PROGRAMME_CREATED,
        programme,
        household_id=None,
        actor=acting_user,
        after=snapshot(programme, ("code", *PROGRAMME_FIELDS)),
    ).save()
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, data: Mapping[str, Any], acting_user: Any) -> Programme:
    """Change a programme. Its target (family or member) is fixed once a referral or coverage uses it:
    the rows already recorded were checked against it."""
    if not may_edit_programmes(acting_user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengubah daftar program komplementer."))
    unknown = set(data) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError(_("Kolom tidak dapat diubah: %(f)s") % {"f": ", ".join(sorted(unknown))})
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = snapshot(programme, data)
    if (
        "target" in data
        and data["target"] != programme.target
        and (programme.referrals.exists() or programme.coverages.exists())
    ):
        raise ValidationError(
            {
                "target": ValidationError(
                    _("Sasaran tidak dapat diubah: program ini sudah dipakai rujukan atau kepesertaan."),
                    code="sasaran_terpakai",
                )
            }
        )
    for k, v in data.items():
        setattr(programme, k, v)
    programme.full_clean()
    b, a = diff(before, snapshot(programme, data))
    if a:
        programme.save()
        events.event(
            events.PROGRAMME_UPDATED, programme, household_id=None, actor=acting_user, before=b, after=a
        ).save()
    return programme
