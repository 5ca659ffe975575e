"""Demo referrals for an area: the complementary programmes its families already receive, and a year of
referrals made by their pendamping (RULES.md: People and ratios, "ensure complementary programmes
(BPNT, KIS, KIP)").

What the data looks like, and why:
- most PKH families hold KIS (PBI-JK) and many BPNT/Sembako; many pupils hold KIP — recorded as
  coverage imported from the programme data (source ``impor``), started some years ago;
- over the year before ``as_of`` about one family in eight is referred to a programme it lacks,
  chosen among the gaps the suggestion rule would show (no KIS, no BPNT, a school-age child without
  KIP, a member without a valid NIK, an elderly member for ATENSI) or to Dinas Koperasi / Rutilahu;
- each referral takes its time: accepted one to four weeks later, completed two to ten weeks after
  that, so the referrals of the last months are still open; about one in seven is refused, with a
  reason heard in the field; a few stall;
- a completed referral opens its coverage (source ``rujukan``) on its closing day, as
  ``services.referral_complete`` does, and every step carries the audit event the services write.

Set-based: families in chunks, rows built in memory and written with ``bulk_create``; deterministic:
each family draws from ``random.Random`` seeded with the seed and its id. Nothing is written when the
area already has referrals.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import region_in_scope, staff_of
from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_events_save, jsonable
from harapan.regions.selectors import kecamatan_codes
from harapan.registry.models import IN_PROGRAMME, PRESENT, Household, Member, SchoolEnrolment
from harapan.registry.rules import RegistryRules, age_on, nik_violations

from . import events
from .models import Coverage, CoverageSource, Programme, Referral, ReferralStatus

CHUNK = 5000


@dataclass(frozen=True)
class DemoRates:
    kis: float = 0.86  # families holding KIS (PBI-JK)
    bpnt: float = 0.72  # families receiving BPNT/Sembako
    kip: float = 0.64  # pupils holding KIP
    referred: float = 1 / 8  # families referred in the year
    referred_without_gap: float = 0.03  # of the families without a gap (to Dinas Koperasi, Rutilahu)
    refused: float = 0.14
    stalled: float = 0.04


# Referral candidates and their weights, by programme code.
WEIGHTS = {"kis": 4.0, "bpnt": 3.0, "kip": 4.0, "dukcapil_nik": 5.0, "atensi": 1.0, "dinkop": 0.6, "rutilahu": 0.3}

OUTCOMES = {
    "kis": "KIS PBI aktif, kartu diterima keluarga",
    "bpnt": "Masuk daftar penerima Sembako; KKS aktif",
    "kip": "KIP terbit; dana PIP cair melalui sekolah",
    "dukcapil_nik": "NIK terekam dan aktif di Dukcapil",
    "atensi": "Menerima alat bantu dan pendampingan ATENSI",
    "dinkop": "Ikut pelatihan usaha; izin PIRT terbit",
    "rutilahu": "Rumah selesai direhabilitasi",
}
REFUSALS = {
    "kis": ("Sudah terdaftar sebagai peserta BPJS mandiri", "Data tidak padan dengan DTKS"),
    "bpnt": ("Kuota Sembako tahun berjalan sudah penuh", "Data tidak padan dengan DTKS"),
    "kip": ("Anak belum terdaftar di Dapodik", "Usulan sekolah terlambat; diusulkan lagi tahun depan"),
    "dukcapil_nik": ("Dokumen pendukung (akta lahir, KK) belum lengkap",),
    "atensi": ("Tidak memenuhi kriteria asesmen sentra",),
    "dinkop": ("Usaha belum berjalan; diminta mengikuti kelompok usaha dulu",),
    "rutilahu": ("Rumah tidak memenuhi syarat (status tanah)", "Kuota Rutilahu desa sudah penuh"),
}
NOTES = ("", "", "", "Berkas diantar pendamping", "Diusulkan melalui desa", "Menunggu verifikasi dinas")


def area_has_referrals(area_code: str) -> bool:
    return Referral.objects.filter(_in_area(area_code)).exists()


def _in_area(area_code: str, path: str = "household__") -> Q:
    return Q(**{f"{path}desa__code__startswith": area_code + "."})


def _at(day: dt.date, minute_of_day: int) -> dt.datetime:
    naive = dt.datetime.combine(day, dt.time(minute_of_day // 60, minute_of_day % 60))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _kis_number(rng: random.Random) -> str:
    return "000" + "".join(rng.choices(string.digits, k=10))


def _kip_number(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_uppercase + string.digits, k=6))


def _card(code: str, rng: random.Random, kks: str) -> str:
    if code == "kis":
        return _kis_number(rng)
    if code == "kip":
        return _kip_number(rng)
    if code == "bpnt":
        return kks
    return ""


@dataclass
class _Person:
    pk: int
    name: str
    age: int
    pupil: bool
    nik_valid: bool


@dataclass
class _Plan:
    """One referral decided for a family, before it is written."""

    household_id: int
    member: _Person | None
    code: str
    status: str
    referred_on: dt.date
    accepted_on: dt.date | None
    closed_on: dt.date | None
    outcome: str
    card: str
    note: str
    staff_id: int
    user_id: int | None


def _timeline(
    rng: random.Random, code: str, referred_on: dt.date, as_of: dt.date, rates: DemoRates
) -> tuple[str, dt.date | None, dt.date | None, str]:
    """(status, accepted_on, closed_on, outcome) of a referral made on ``referred_on``, seen on ``as_of``."""
    accepted = referred_on + dt.timedelta(days=rng.randint(5, 30))
    if rng.random() < rates.refused:
        closed = referred_on + dt.timedelta(days=rng.randint(7, 60))
        if closed <= as_of:
            was_accepted = accepted < closed and rng.random() < 0.4
            return ReferralStatus.DITOLAK, accepted if was_accepted else None, closed, rng.choice(REFUSALS[code])
    else:
        closed = accepted + dt.timedelta(days=rng.randint(14, 75))
        if closed <= as_of and rng.random() >= rates.stalled:
            return ReferralStatus.SELESAI, accepted, closed, OUTCOMES[code]
    if accepted <= as_of:
        return ReferralStatus.DITERIMA, accepted, None, ""
    return ReferralStatus.DIRUJUK, None, None, ""


def _held(
    rng: random.Random,
    household_id: int,
    person: _Person | None,
    programme: Programme,
    years: tuple[int, int],
    *,
    as_of: dt.date,
    kks: str,
    at: dt.datetime,
) -> Coverage:
    """Coverage imported from the programme's data, started ``years`` (low, high) before ``as_of``."""
    return Coverage(
        household_id=household_id,
        member_id=person.pk if person else None,
        programme=programme,
        since=as_of - dt.timedelta(days=rng.randint(365 * years[0], 365 * years[1])),
        source=CoverageSource.IMPOR,
        card_number=_card(programme.code, rng, kks),
        created_at=at,
    )


def _choose(rng: random.Random, candidates: Sequence[tuple[str, _Person | None]]) -> tuple[str, _Person | None]:
    weights = [WEIGHTS[code] for code, _person in candidates]
    return rng.choices(list(candidates), weights=weights, k=1)[0]


def seed_referrals(
    *, area_code: str, as_of: dt.date, seed: int, acting_user: Any, rates: DemoRates | None = None
) -> int:
    """Record the programmes the area's families receive and a year of referrals before ``as_of``;
    return the number of referrals written (0 when the area already had referrals).

    ``acting_user`` (staff of the area, or None for a system job) records the imported coverage; each
    referral is made by the family's pendamping (families without one are only given coverage)."""
    rates = rates or DemoRates()
    authenticated = acting_user is not None and getattr(acting_user, "is_authenticated", False)
    if authenticated and (staff_of(acting_user) is None or not region_in_scope(acting_user, area_code)):
        raise PermissionDenied(_("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": area_code})
    if area_has_referrals(area_code):
        return 0
    progs = {p.code: p for p in Programme.objects.filter(code__in=[*WEIGHTS], is_active=True)}
    registry = RegistryRules.from_settings()
    codes = kecamatan_codes()
    actor_id = acting_user.pk if authenticated else None
    seeded_at = timezone.now()
    ids = list(
        Household.objects.filter(desa__code__startswith=area_code + ".", status__in=IN_PROGRAMME)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            written += _seed_chunk(
                chunk,
                progs=progs,
                as_of=as_of,
                seed=seed,
                rates=rates,
                registry=registry,
                kecamatan=codes,
                actor_id=actor_id,
                seeded_at=seeded_at,
            )
    return written


def _seed_chunk(
    household_ids: list[int],
    *,
    progs: dict[str, Programme],
    as_of: dt.date,
    seed: int,
    rates: DemoRates,
    registry: RegistryRules,
    kecamatan: frozenset[str],
    actor_id: int | None,
    seeded_at: dt.datetime,
) -> int:
    families = list(
        Household.objects.filter(pk__in=household_ids)
        .order_by("pk")
        .values_list("pk", "pendamping_id", "pendamping__user_id", "kks_number")
    )
    pupils = set(
        SchoolEnrolment.objects.filter(member__household_id__in=household_ids, valid_from__lte=as_of)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=as_of))
        .values_list("member_id", flat=True)
    )
    people: dict[int, list[_Person]] = defaultdict(list)
    for pk, hid, name, birth, sex, nik in (
        Member.objects.filter(household_id__in=household_ids, presence__in=PRESENT, left_on__isnull=True)
        .order_by("household_id", "relationship", "birth_date", "pk")
        .values_list("pk", "household_id", "name", "birth_date", "sex", "nik")
    ):
        if birth > as_of:
            continue
        valid = bool(nik) and not nik_violations(
            nik or "", birth_date=birth, sex=sex, kecamatan_exists=kecamatan.__contains__
        )
        people[hid].append(_Person(pk, name, age_on(birth, as_of), pk in pupils, valid))

    coverage: list[Coverage] = []
    plans: list[_Plan] = []
    referable: list[tuple[int, int, int | None, str, random.Random, list[tuple[str, _Person | None]]]] = []
    for hid, staff_id, user_id, kks in families:
        rng = random.Random(f"referrals:{seed}:{hid}")
        members = people.get(hid, [])
        has: set[tuple[str, int | None]] = set()

        held: list[tuple[str, _Person | None, tuple[int, int]]] = []
        if "kis" in progs and rng.random() < rates.kis:
            held.append(("kis", None, (2, 9)))
        if "bpnt" in progs and rng.random() < rates.bpnt:
            held.append(("bpnt", None, (1, 6)))
        if "kip" in progs:
            held += [
                ("kip", p, (1, 4))
                for p in members
                if p.pupil and registry.school_min_age <= p.age <= registry.school_max_age and rng.random() < rates.kip
            ]
        for code, person, years in held:
            coverage.append(_held(rng, hid, person, progs[code], years, as_of=as_of, kks=kks, at=seeded_at))
            has.add((code, person.pk if person else None))

        if staff_id is None:
            continue
        gaps: list[tuple[str, _Person | None]] = [
            (c, None) for c in ("kis", "bpnt") if c in progs and (c, None) not in has
        ]
        for p in members:
            school_age = registry.school_min_age <= p.age <= registry.school_max_age
            if "kip" in progs and school_age and ("kip", p.pk) not in has:
                gaps.append(("kip", p))
            if "dukcapil_nik" in progs and not p.nik_valid:
                gaps.append(("dukcapil_nik", p))
            if "atensi" in progs and p.age >= registry.elderly_min_age:
                gaps.append(("atensi", p))
        referable.append((hid, staff_id, user_id, kks, rng, gaps))

    # Families with a gap are referred more often than the others (to Dinas Koperasi or Rutilahu),
    # so that about ``rates.referred`` of all families are referred in the year.
    with_gap = sum(1 for *_rest, gaps in referable if gaps)
    without = len(referable) - with_gap
    other_rate = min(rates.referred, rates.referred_without_gap)
    gap_rate = min(1.0, (rates.referred * len(referable) - other_rate * without) / with_gap) if with_gap else 0.0
    extras = [(c, None) for c in ("dinkop", "rutilahu") if c in progs]
    for hid, referrer, referrer_user, kks, rng, gaps in referable:
        if rng.random() >= (gap_rate if gaps else other_rate):
            continue
        candidates: list[tuple[str, _Person | None]] = [*gaps, *extras]
        if not candidates:
            continue
        code, person = _choose(rng, candidates)
        referred_on = as_of - dt.timedelta(days=rng.randint(0, 364))
        status, accepted_on, closed_on, outcome = _timeline(rng, code, referred_on, as_of, rates)
        plans.append(
            _Plan(
                household_id=hid,
                member=person,
                code=code,
                status=status,
                referred_on=referred_on,
                accepted_on=accepted_on,
                closed_on=closed_on,
                outcome=outcome,
                card=_card(code, rng, kks) if status == ReferralStatus.SELESAI else "",
                note=rng.choice(NOTES),
                staff_id=referrer,
                user_id=referrer_user,
            )
        )

    Coverage.objects.bulk_create(coverage, batch_size=2000)
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                household_id=p.household_id,
                member_id=p.member.pk if p.member else None,
                programme=progs[p.code],
                status=p.status,
                referred_on=p.referred_on,
                accepted_on=p.accepted_on,
                closed_on=p.closed_on,
                outcome=p.outcome,
                referred_by_id=p.staff_id,
                note=p.note,
                created_at=_at(p.referred_on, 9 * 60 + p.household_id % 300),
            )
            for p in plans
        ],
        batch_size=2000,
    )
    opened = Coverage.objects.bulk_create(
        [
            Coverage(
                household_id=p.household_id,
                member_id=r.member_id,
                programme=progs[p.code],
                since=p.closed_on,
                source=CoverageSource.RUJUKAN,
                referral=r,
                card_number=p.card,
                created_at=_at(p.closed_on, 14 * 60),
            )
            for p, r in zip(plans, referrals, strict=True)
            if p.status == ReferralStatus.SELESAI and p.closed_on is not None
        ],
        batch_size=2000,
    )
    audit_events_save(_events(coverage, plans, referrals, opened, actor_id=actor_id, at=seeded_at))
    return len(referrals)


def _who(name: str, member: _Person | None) -> dict[str, Any]:
    out: dict[str, Any] = {"program": name}
    if member is not None:
        out["anggota"] = member.name
    return out


def _events(
    imported: list[Coverage],
    plans: list[_Plan],
    referrals: list[Referral],
    opened: list[Coverage],
    *,
    actor_id: int | None,
    at: dt.datetime,
) -> list[AuditEvent]:
    """The audit events the services would have written, one per step (``services.referral_create``,
    ``referral_accept``, ``referral_complete``/``referral_reject``, ``coverage_add``)."""
    out: list[AuditEvent] = []
    member_names = {p.member.pk: p.member.name for p in plans if p.member is not None}
    if imported:
        member_names |= dict(
            Member.objects.filter(pk__in={c.member_id for c in imported if c.member_id}).values_list("pk", "name")
        )
    for c in imported:
        who: dict[str, Any] = {"program": c.programme.name}
        if c.member_id:
            who["anggota"] = member_names.get(c.member_id, "")
        out.append(
            events.seeded(
                events.COVERAGE_ADDED,
                c,
                household_id=c.household_id,
                actor_id=actor_id,
                at=at,
                after={
                    **who,
                    "menerima_sejak": jsonable(c.since),
                    "sumber_kepesertaan": c.source,
                    "nomor_kartu": c.card_number,
                },
            )
        )
    coverage_of = {c.referral_id: c for c in opened}
    for p, r in zip(plans, referrals, strict=True):
        name = r.programme.name
        who = _who(name, p.member)
        hid, uid = p.household_id, p.user_id
        out.append(
            events.seeded(
                events.REFERRAL_CREATED,
                r,
                household_id=hid,
                actor_id=uid,
                at=r.created_at,
                after={**who, "status_rujukan": ReferralStatus.DIRUJUK, "tanggal_rujuk": jsonable(p.referred_on)},
                note=p.note,
            )
        )
        if p.accepted_on is not None:
            out.append(
                events.seeded(
                    events.REFERRAL_ACCEPTED,
                    r,
                    household_id=hid,
                    actor_id=uid,
                    at=_at(p.accepted_on, 10 * 60),
                    before={"status_rujukan": ReferralStatus.DIRUJUK},
                    after={
                        **who,
                        "status_rujukan": ReferralStatus.DITERIMA,
                        "tanggal_diterima": jsonable(p.accepted_on),
                    },
                )
            )
        if p.closed_on is None:
            continue
        closed_at = _at(p.closed_on, 14 * 60)
        if p.status == ReferralStatus.DITOLAK:
            out.append(
                events.seeded(
                    events.REFERRAL_REJECTED,
                    r,
                    household_id=hid,
                    actor_id=uid,
                    at=closed_at,
                    before={"status_rujukan": ReferralStatus.DITERIMA if p.accepted_on else ReferralStatus.DIRUJUK},
                    after={
                        **who,
                        "status_rujukan": ReferralStatus.DITOLAK,
                        "tanggal_ditutup": jsonable(p.closed_on),
                        "hasil": p.outcome,
                    },
                )
            )
            continue
        out.append(
            events.seeded(
                events.REFERRAL_COMPLETED,
                r,
                household_id=hid,
                actor_id=uid,
                at=closed_at,
                before={"status_rujukan": ReferralStatus.DITERIMA},
                after={
                    **who,
                    "status_rujukan": ReferralStatus.SELESAI,
                    "tanggal_ditutup": jsonable(p.closed_on),
                    "hasil": p.outcome,
                },
            )
        )
        c = coverage_of[r.pk]
        out.append(
            events.seeded(
                events.COVERAGE_ADDED,
                c,
                household_id=hid,
                actor_id=uid,
                at=closed_at,
                after={
                    **who,
                    "menerima_sejak": jsonable(c.since),
                    "sumber_kepesertaan": c.source,
                    "rujukan": r.pk,
                    "nomor_kartu": c.card_number,
                },
            )
        )
    return out
