"""Writes to the registry. Each takes ``acting_user``, runs in one transaction and audits.

Family data changes through two paths only: an import, and a pemutakhiran approved up the chain
(``harapan.updates``), which applies its change through the member, fact, carer and address
services below. Each re-checks the family's current data and the database invariants, so a change
approved against data that has since moved on is refused, not half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_in_scope, staff_of
from harapan.audit.services import diff, jsonable, snapshot
from harapan.regions.models import Level, Region
from harapan.regions.selectors import kecamatan_codes

from . import events
from .models import (
    IN_PROGRAMME,
    PRESENT,
    DisabilityAssessment,
    Household,
    HouseholdStatus,
    HouseholdStatusPeriod,
    Member,
    Pregnancy,
    Presence,
    SchoolEnrolment,
)
from .rules import RegistryRules, nik_violations

EDITABLE_HOUSEHOLD_FIELDS = (
    "address",
    "dusun",
    "rt",
    "rw",
    "bank",
    "account_number",
    "account_name",
    "kks_number",
)
STATUS_ROLES = (Role.OPERATOR, Role.KORKAB, Role.DINSOS_KAB)


def _check_scope(household: Household, acting_user: Any) -> None:
    staff = staff_of(acting_user)
    if staff is None:
        raise PermissionDenied(_("Tidak berwenang."))
    if staff.role == Role.PENDAMPING:
        if household.pendamping_id != staff.pk:
            raise PermissionDenied(_("KPM ini bukan dampingan Anda."))
    elif not region_in_scope(acting_user, household.desa_id):
        raise PermissionDenied(_("KPM ini di luar wilayah kerja Anda."))


@transaction.atomic
def household_update(*, household: Household, data: dict[str, Any], acting_user: Any, source: str = "web") -> Household:
    """Change a family's address, RT/RW and account data; audited with before/after."""
    _check_scope(household, acting_user)
    household = Household.objects.select_for_update().get(pk=household.pk)
    unknown = set(data) - set(EDITABLE_HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError(
            _("Kolom tidak dapat diubah di sini: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = snapshot(household, data)
    for k, v in data.items():
        setattr(household, k, v)
    household.full_clean(exclude=["pendamping", "desa"])
    b, a = diff(before, snapshot(household, data))
    if a:
        household.save(update_fields=[*a, "updated_at"])
        events.household_updated(household, actor=acting_user, source=source, before=b, after=a).save()
    return household


@transaction.atomic
def household_set_status(
    *,
    household: Household,
    status: str,
    valid_from: dt.date,
    reason: str,
    acting_user: Any,
    source: str = "web",
) -> Household:
    """Move a family to a new status from ``valid_from``, closing the open status period.

    Members' NIKs stay held only while the family is in the programme (calon, aktif,
    ditangguhkan): leaving releases them for another household (one NIK, one active household).
    """
    staff = staff_of(acting_user)
    if staff is None or staff.role not in STATUS_ROLES:
        raise PermissionDenied(_("Hanya operator, korkab atau Dinas Sosial yang dapat mengubah status KPM."))
    _check_scope(household, acting_user)
    if status not in HouseholdStatus.values:
        raise ValidationError({"status": _("Status tidak dikenal: %(status)s") % {"status": status}})
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan perubahan status wajib diisi.")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status == status:
        return household
    if valid_from < household.status_since:
        raise ValidationError({"valid_from": _("Tanggal berlaku tidak boleh sebelum status saat ini dimulai.")})
    old = household.status
    HouseholdStatusPeriod.objects.filter(household=household, valid_to__isnull=True).update(
        valid_to=valid_from - dt.timedelta(days=1) if valid_from > household.status_since else valid_from
    )
    HouseholdStatusPeriod.objects.create(household=household, status=status, valid_from=valid_from, reason=reason)
    household.status = status
    household.status_since = valid_from
    household.save(update_fields=["status", "status_since", "updated_at"])
    was_in, now_in = old in IN_PROGRAMME, status in IN_PROGRAMME
    if was_in != now_in:
        members = Member.objects.filter(household=household, presence__in=(1, 4))
        if now_in:
            clash = [
                nik
                for nik in Member.objects.filter(is_active=True, nik__in=members.exclude(nik=None).values("nik"))
                .exclude(household=household)
                .values_list("nik", flat=True)
                if nik
            ]
            if clash:
                raise ValidationError(
                    {"status": _("NIK %(niks)s sudah terdaftar aktif di keluarga lain.") % {"niks": ", ".join(clash)}}
                )
        members.update(is_active=now_in)
    events.household_status_changed(
        household, actor=acting_user, source=source, before=old, after=status, reason=reason
    ).save()
    return household


@transaction.atomic
def household_assign_pendamping(
    *, household: Household, pendamping: Staff | None, acting_user: Any, source: str = "web"
) -> Household:
    """Assign a family to a pendamping who works in the family's kecamatan; audited."""
    staff = staff_of(acting_user)
    if staff is None or staff.role not in (Role.OPERATOR, Role.KORKAB):
        raise PermissionDenied(_("Hanya operator atau korkab yang dapat menetapkan pendamping."))
    _check_scope(household, acting_user)
    if pendamping is not None:
        if pendamping.role != Role.PENDAMPING:
            raise ValidationError({"pendamping": _("Petugas ini bukan pendamping.")})
        kec = household.desa_id.rsplit(".", 1)[0]
        if pendamping.region_id != kec:
            raise ValidationError({"pendamping": _("Pendamping tidak bertugas di kecamatan KPM ini.")})
    old = household.pendamping_id
    if old == (pendamping.pk if pendamping else None):
        return household
    household.pendamping = pendamping
    household.save(update_fields=["pendamping", "updated_at"])
    events.household_pendamping_assigned(
        household, actor=acting_user, source=source, before=old, after=household.pendamping_id
    ).save()
    return household


# --- Members, their dated facts, the carer and the address (applied pemutakhiran) ---------------

MEMBER_FIELDS = ("nik", "name", "sex", "birth_place", "birth_date", "relationship", "mother_name", "presence")
# Audit names of the dated facts, as the import writes them (imports.changes.FACT_NAMES).
FACT_NAMES: dict[type[Model], str] = {
    Pregnancy: "hamil",
    SchoolEnrolment: "sekolah",
    DisabilityAssessment: "disabilitas_berat",
}
MOVE_FIELDS = ("desa", "address", "dusun", "rt", "rw")


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _locked_member(member: Member, acting_user: Any) -> Member:
    """The member's row (and their family's) locked for the change, after the scope check."""
    _check_scope(member.household, acting_user)
    Household.objects.select_for_update().filter(pk=member.household_id).first()
    return Member.objects.select_for_update().select_related("household").get(pk=member.pk)


def _require_present(member: Member, on: dt.date | None = None) -> None:
    if member.presence not in PRESENT or member.left_on is not None:
        raise _error(
            "member", _("%(name)s tidak lagi tinggal di keluarga ini.") % {"name": member.name}, "anggota_tidak_ada"
        )
    if on is not None and on < member.birth_date:
        raise _error("effective_date", _("Tanggal tidak boleh sebelum tanggal lahir anggota."), "tanggal_sebelum_lahir")


def fact_view(fact: Model | None) -> dict[str, Any] | None:
    """A dated fact as the audit trail shows it (the import's shape): {"sejak": ..., "sampai": ...},
    plus the school of an enrolment."""
    if fact is None:
        return None
    view: dict[str, Any] = {"sejak": jsonable(fact.valid_from)}  # type: ignore[attr-defined]
    if fact.valid_to is not None:  # type: ignore[attr-defined]
        view["sampai"] = jsonable(fact.valid_to)  # type: ignore[attr-defined]
    if isinstance(fact, SchoolEnrolment):
        view["jenjang"] = fact.level
        for name in ("grade", "npsn", "nisn", "school_name"):
            if getattr(fact, name) not in (None, ""):
                view[name] = getattr(fact, name)
    return view


def _fact_recorded(
    member: Member, fact: Model, before: Model | None, after: Model | None, *, actor: Any, source: str
) -> None:
    name = FACT_NAMES[type(fact)]
    events.member_fact_recorded(
        member, actor=actor, source=source, before={name: fact_view(before)}, after={name: fact_view(after)}
    ).save()


def _end_fact(member: Member, fact: Any, end: dt.date, *, actor: Any, source: str) -> None:
    """Close an open fact on ``end``; a fact that would end before it began never held: removed."""
    before = type(fact).objects.get(pk=fact.pk)
    if end < fact.valid_from:
        fact.delete()
        _fact_recorded(member, before, before, None, actor=actor, source=source)
        return
    fact.valid_to = end
    fact.full_clean()
    fact.save(update_fields=["valid_to"])
    _fact_recorded(member, fact, before, fact, actor=actor, source=source)


@transaction.atomic
def member_add(
    *,
    household: Household,
    name: str,
    sex: str,
    birth_date: dt.date,
    relationship: int,
    nik: str | None = None,
    birth_place: str = "",
    mother_name: str = "",
    acting_user: Any,
    source: str = "web",
) -> Member:
    """Register a new member of a family (a birth: presence "anggota baru", FORMATS.md §1.2). A NIK,
    when given, must be valid for the birth date and sex (RULES.md: Identity numbers) and not held
    by a member of a family in the programme (one active household per NIK; the database's partial
    unique index is the last line)."""
    _check_scope(household, acting_user)
    household = Household.objects.select_for_update().get(pk=household.pk)
    nik = (nik or "").strip() or None
    if nik:
        violations = nik_violations(
            nik, birth_date=birth_date, sex=sex, kecamatan_exists=kecamatan_codes().__contains__, field_name="nik"
        )
        if violations:
            raise ValidationError({"nik": [ValidationError(v.message, code=v.rule) for v in violations]})
    member = Member(
        household=household,
        nik=nik,
        no_kk=household.no_kk,
        name=name.strip(),
        sex=sex,
        birth_place=birth_place.strip(),
        birth_date=birth_date,
        relationship=relationship,
        mother_name=mother_name.strip(),
        presence=Presence.BARU,
        is_active=household.in_programme,
    )
    held = _("NIK ini sudah terdaftar aktif di KPM lain.")
    if nik and member.is_active and Member.objects.filter(nik=nik, is_active=True).exists():
        raise _error("nik", held, "nik_sudah_aktif")
    member.full_clean(exclude=["household"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a race with another family registering the NIK
        raise _error("nik", held, "nik_sudah_aktif") from exc
    events.member_created(member, actor=acting_user, source=source, after=snapshot(member, MEMBER_FIELDS)).save()
    return member


@transaction.atomic
def member_leave(*, member: Member, presence: int, left_on: dt.date, acting_user: Any, source: str = "web") -> Member:
    """A member dies or moves out on ``left_on``: from that date they count for no component
    (rules.member_components), their NIK is released, and their open facts end the day before. The
    carer cannot leave before another member becomes carer (``carer_change``): the money goes to
    the carer (RULES.md: Disbursement and data)."""
    if presence not in (Presence.MENINGGAL, Presence.PINDAH):
        raise _error("presence", _("Keberadaan tidak sah untuk anggota yang keluar."), "keberadaan_tidak_sah")
    member = _locked_member(member, acting_user)
    _require_present(member, left_on)
    if member.is_carer:
        raise _error("new_carer", _("Pengurus harus diganti lebih dulu."), "pengurus_harus_diganti")
    before = snapshot(member, ("presence", "left_on", "is_active"))
    member.presence, member.left_on, member.is_active = presence, left_on, False
    member.save(update_fields=["presence", "left_on", "is_active", "updated_at"])
    events.member_left(
        member,
        actor=acting_user,
        source=source,
        before=before,
        after=snapshot(member, ("presence", "left_on", "is_active")),
    ).save()
    day_before = left_on - dt.timedelta(days=1)
    for model in FACT_NAMES:
        for fact in model._default_manager.filter(member=member, valid_to__isnull=True).order_by("pk"):
            _end_fact(member, fact, day_before, actor=acting_user, source=source)
    return member


@transaction.atomic
def enrolment_open(
    *,
    member: Member,
    level: str,
    valid_from: dt.date,
    grade: int | None = None,
    school_name: str = "",
    npsn: str = "",
    nisn: str = "",
    acting_user: Any,
    source: str = "web",
) -> SchoolEnrolment:
    """Enrol a child at a school level from ``valid_from``: the school component follows the
    enrolment's level, not age (RULES.md: Components and amounts). Enrolments never overlap."""
    member = _locked_member(member, acting_user)
    _require_present(member, valid_from)
    overlapping = SchoolEnrolment.objects.filter(member=member).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if overlapping.exists():
        raise _error(
            "member",
            _("%(name)s masih tercatat bersekolah pada tanggal itu.") % {"name": member.name},
            "sekolah_tumpang_tindih",
        )
    enrolment = SchoolEnrolment(
        member=member, level=level, grade=grade, school_name=school_name, npsn=npsn, nisn=nisn, valid_from=valid_from
    )
    enrolment.full_clean()
    enrolment.save()
    _fact_recorded(member, enrolment, None, enrolment, actor=acting_user, source=source)
    return enrolment


@transaction.atomic
def enrolment_close(*, member: Member, valid_to: dt.date, acting_user: Any, source: str = "web") -> SchoolEnrolment:
    """End the member's open school enrolment on ``valid_to`` (its last day)."""
    member = _locked_member(member, acting_user)
    enrolment = SchoolEnrolment.objects.filter(member=member, valid_to__isnull=True).order_by("-valid_from").first()
    if enrolment is None:
        raise _error("member", _("%(name)s tidak tercatat bersekolah.") % {"name": member.name}, "tidak_bersekolah")
    if valid_to < enrolment.valid_from:
        raise _error(
            "effective_date",
            _("Sekolah dimulai %(d)s; tanggal keluar harus sesudahnya.") % {"d": f"{enrolment.valid_from:%d-%m-%Y}"},
            "tanggal_sebelum_mulai",
        )
    _end_fact(member, enrolment, valid_to, actor=acting_user, source=source)
    return enrolment


def _pregnancy_end(p: Pregnancy, rules: RegistryRules) -> dt.date:
    """The last day of a pregnancy: recorded, or its natural end (RULES.md: Components)."""
    return p.valid_to if p.valid_to is not None else p.valid_from + dt.timedelta(days=rules.pregnancy_days)


@transaction.atomic
def pregnancy_open(
    *, member: Member, valid_from: dt.date, valid_to: dt.date | None = None, acting_user: Any, source: str = "web"
) -> Pregnancy:
    """Record a pregnancy from ``valid_from`` (ibu hamil, then nifas after it ends; RULES.md:
    Components and amounts); ``valid_to`` when it has already ended (a birth with no pregnancy on
    record). Pregnancies never overlap; an open one past its natural end is closed there first."""
    rules = RegistryRules.from_settings()
    member = _locked_member(member, acting_user)
    _require_present(member, valid_from)
    if member.sex != "P":
        raise _error("member", _("Hanya perempuan yang dapat tercatat hamil."), "hamil_tidak_wajar")
    for p in Pregnancy.objects.filter(member=member).order_by("valid_from"):
        end = _pregnancy_end(p, rules)
        if end >= valid_from and (valid_to is None or p.valid_from <= valid_to):
            raise _error(
                "effective_date",
                _("%(name)s sudah tercatat hamil pada tanggal itu.") % {"name": member.name},
                "hamil_tumpang_tindih",
            )
        if p.valid_to is None:
            _end_fact(member, p, end, actor=acting_user, source=source)
    pregnancy = Pregnancy(member=member, valid_from=valid_from, valid_to=valid_to)
    pregnancy.full_clean()
    pregnancy.save()
    _fact_recorded(member, pregnancy, None, pregnancy, actor=acting_user, source=source)
    return pregnancy


@transaction.atomic
def pregnancy_close(*, member: Member, valid_to: dt.date, acting_user: Any, source: str = "web") -> Pregnancy:
    """End the member's open pregnancy on ``valid_to`` (a birth or a miscarriage); the nifas
    period runs from there (RULES.md: Components and amounts)."""
    member = _locked_member(member, acting_user)
    pregnancy = Pregnancy.objects.filter(member=member, valid_to__isnull=True).order_by("-valid_from").first()
    if pregnancy is None:
        raise _error("mother", _("%(name)s tidak tercatat hamil.") % {"name": member.name}, "tidak_hamil")
    if valid_to < pregnancy.valid_from:
        raise _error("effective_date", _("Tanggal sebelum kehamilan dimulai."), "tanggal_sebelum_mulai")
    _end_fact(member, pregnancy, valid_to, actor=acting_user, source=source)
    return pregnancy


@transaction.atomic
def disability_open(
    *, member: Member, valid_from: dt.date, acting_user: Any, source: str = "web"
) -> DisabilityAssessment:
    """Record the assessment of severe disability from ``valid_from`` (the component holds while
    it is open; RULES.md: Components and amounts)."""
    member = _locked_member(member, acting_user)
    _require_present(member, valid_from)
    if (
        DisabilityAssessment.objects.filter(member=member, severe=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .exists()
    ):
        raise _error(
            "member", _("%(name)s sudah tercatat disabilitas berat.") % {"name": member.name}, "disabilitas_sudah_ada"
        )
    assessment = DisabilityAssessment(member=member, valid_from=valid_from, severe=True)
    assessment.full_clean()
    assessment.save()
    _fact_recorded(member, assessment, None, assessment, actor=acting_user, source=source)
    return assessment


@transaction.atomic
def carer_change(*, household: Household, new_carer: Member, acting_user: Any, source: str = "web") -> Member:
    """Make ``new_carer`` the family's carer (pengurus), who receives the payment (RULES.md:
    Disbursement and data); one carer per family, as the database holds."""
    _check_scope(household, acting_user)
    household = Household.objects.select_for_update().get(pk=household.pk)
    new = Member.objects.select_for_update().get(pk=new_carer.pk)
    if new.household_id != household.pk:
        raise _error("new_carer", _("Pengurus baru harus anggota keluarga ini."), "bukan_anggota")
    _require_present(new)
    if new.is_carer:
        return new
    for old in Member.objects.select_for_update().filter(household=household, is_carer=True):
        old.is_carer = False
        old.save(update_fields=["is_carer", "updated_at"])
        events.member_updated(
            old, actor=acting_user, source=source, before={"is_carer": True}, after={"is_carer": False}
        ).save()
    new.is_carer = True
    new.save(update_fields=["is_carer", "updated_at"])
    events.member_updated(
        new, actor=acting_user, source=source, before={"is_carer": False}, after={"is_carer": True}
    ).save()
    return new


@transaction.atomic
def household_move(
    *,
    household: Household,
    desa: str,
    address: str,
    dusun: str = "",
    rt: str = "",
    rw: str = "",
    acting_user: Any,
    source: str = "web",
) -> Household:
    """Move a family to a new address. A pendamping works in one kecamatan
    (``household_assign_pendamping``): a move out of it releases the family's pendamping, and the
    operator or korkab of the new area assigns one."""
    _check_scope(household, acting_user)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not Region.objects.filter(code=desa, level=Level.DESA).exists():
        raise _error("desa", _("%(code)s bukan kode desa/kelurahan.") % {"code": desa}, "desa_tidak_dikenal")
    data = {"desa": desa, "address": address.strip(), "dusun": dusun.strip(), "rt": rt.strip(), "rw": rw.strip()}
    before = snapshot(household, MOVE_FIELDS)
    old_kecamatan = household.desa_id.rsplit(".", 1)[0]
    household.desa_id = desa
    for k in MOVE_FIELDS[1:]:
        setattr(household, k, data[k])
    household.full_clean(exclude=["pendamping", "desa"])
    b, a = diff(before, snapshot(household, MOVE_FIELDS))
    if not a:
        return household
    household.save(update_fields=[*a, "updated_at"])
    events.household_moved(household, actor=acting_user, source=source, before=b, after=a).save()
    if desa.rsplit(".", 1)[0] != old_kecamatan and household.pendamping_id is not None:
        old = household.pendamping_id
        household.pendamping = None
        household.save(update_fields=["pendamping", "updated_at"])
        events.household_pendamping_assigned(household, actor=acting_user, source=source, before=old, after=None).save()
    return household
