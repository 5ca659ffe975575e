"""A year in the field for the demo district (issue 3): every planned meeting before the reference
date is held by its group's pendamping with realistic attendance, a few are cancelled, and about
one group in ten sells a flagship product (SEKOPER Bondowoso).

Deterministic: each group draws from ``random.Random`` seeded with the seed and the group's code,
families in household-id order, so the same database and seed give the same year.

What the year looks like, and why:
- most families come (about 88% of marks are *hadir*); an *izin* carries the reason a pendamping
  hears in Bondowoso (sickness, work in the rice field or the tobacco harvest, taking a child to the
  puskesmas, a family event, a funeral in the neighbourhood), the seasonal ones in their months;
- a few families are absent without leave (*alpa*) now and then; a small share are irregular;
  a very small share stop coming (some long enough to reach the proposal of non-eligibility) and
  another small share lapse for three or four meetings and come back — so the 3-absence rule
  (RULES.md "Sanctions (configurable ladder)") raises flags, and lifts some of them;
- one or two meetings of some groups are cancelled (a cancelled meeting has no attendance);
- the marks go through ``meetings.bulk.attendance_record_bulk`` date by date, so every flag comes
  from the real rule (``meetings.services.flags_evaluate``) in the order the meetings happened;
- products go through the products services (``product_create``, ``maker_add``, ``sale_record``):
  makers are carers of the group's own families, one sales record a month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.bulk import MeetingCancel, MeetingMarks, attendance_record_bulk, meetings_cancel_bulk
from harapan.meetings.models import AbsenceFlag, Attendance, Mark, Meeting, MeetingStatus
from harapan.products.models import Product, ProductMaker, ProductSale
from harapan.products.services import maker_add, product_create, sale_record
from harapan.registry.models import Member

from . import names

HADIR = (Mark.HADIR.value, "")
ALPA = (Mark.ALPA.value, "")

# Why a family sends word it cannot come (izin), with weights.
IZIN_REASONS = (
    ("sakit", 30),
    ("anak sakit", 14),
    ("mengantar anak ke puskesmas", 10),
    ("bekerja di sawah", 14),
    ("acara keluarga", 8),
    ("takziah, tetangga meninggal", 6),
    ("merawat orang tua yang sakit", 6),
    ("menghadiri hajatan kerabat", 5),
    ("bekerja di luar desa", 4),
    ("ke pasar menjual hasil kebun", 3),
)
# Seasonal reasons (Bondowoso: rice harvest in March-April, tobacco July-September, Arabika coffee
# on the Ijen highland June-August); in their months they join the list with these weights.
SEASONAL_REASONS = {
    3: (("panen padi", 20),),
    4: (("panen padi", 20),),
    6: (("memetik kopi di kebun", 10),),
    7: (("panen tembakau", 18), ("memetik kopi di kebun", 10)),
    8: (("panen tembakau", 22), ("memetik kopi di kebun", 8)),
    9: (("panen tembakau", 15),),
}
# One constant tuple a month: names.weighted caches its cumulative weights by the tuple's identity.
REASONS_BY_MONTH = {month: IZIN_REASONS + SEASONAL_REASONS.get(month, ()) for month in range(1, 13)}
CANCEL_NOTES = (
    "Bertepatan dengan hari besar keagamaan",
    "Pendamping mengikuti rapat koordinasi di kabupaten",
    "Hujan deras dan jalan desa tergenang",
    "Balai desa dipakai untuk kegiatan desa",
    "Banyak anggota sedang panen",
)
# Consecutive alpa at the end of the year of a family that stopped coming, with weights.
DROPOUT_RUNS = (("3", 32), ("4", 27), ("5", 22), ("6", 9), ("7", 6), ("8", 4))
HIGHLAND_KECAMATAN = {"Sempol", "Sumberwringin", "Pakem", "Tlogosari", "Botolinggo", "Curahdami", "Maesan"}


@dataclass(frozen=True)
class ProductKind:
    name: str
    unit: str
    price: int  # rupiah per unit
    monthly: tuple[int, int]  # units sold a month, low-high
    description: str
    highland: bool = False  # made where coffee grows


PRODUCTS = (
    ProductKind(
        "Kopi Arabika Java Ijen-Raung bubuk",
        "bungkus 250 g",
        45_000,
        (20, 90),
        "Kopi arabika petik merah dari lereng Ijen, disangrai dan digiling sendiri oleh anggota kelompok.",
        highland=True,
    ),
    ProductKind(
        "Kopi robusta sangrai",
        "kg",
        90_000,
        (5, 30),
        "Biji kopi robusta kebun rakyat, disangrai tingkat sedang.",
        highland=True,
    ),
    ProductKind("Tape singkong khas Bondowoso", "besek", 15_000, (40, 160), "Tape singkong manis dalam besek bambu."),
    ProductKind("Brownies tape", "kotak", 35_000, (15, 60), "Brownies panggang dari tape singkong Bondowoso."),
    ProductKind("Keripik singkong balado", "bungkus 200 g", 10_000, (50, 200), "Keripik singkong pedas manis."),
    ProductKind("Keripik pisang", "bungkus 200 g", 12_000, (40, 150), "Keripik pisang kepok, gurih dan renyah."),
    ProductKind("Keripik tempe", "bungkus 150 g", 10_000, (40, 150), "Keripik tempe tipis dengan bumbu ketumbar."),
    ProductKind("Anyaman bambu (tampah dan bakul)", "buah", 35_000, (10, 50), "Tampah, bakul dan besek anyaman bambu."),
    ProductKind("Batik tulis motif Singo Ulung", "lembar", 275_000, (2, 10), "Batik tulis pewarna alam, motif khas."),
    ProductKind("Gula aren cetak", "kg", 28_000, (20, 80), "Gula aren dari nira pohon aren, dicetak batok."),
    ProductKind("Emping melinjo", "kg", 70_000, (5, 25), "Emping melinjo tipis, dijemur matahari."),
    ProductKind("Madu klanceng", "botol 250 ml", 85_000, (3, 15), "Madu lebah tanpa sengat dari pekarangan."),
)
SALE_CHANNELS = (
    ("pasar desa", 30),
    ("SEKOPER Dinas Koperasi", 25),
    ("toko oleh-oleh", 20),
    ("pesanan WhatsApp", 15),
    ("pameran UMKM kabupaten", 10),
)


@dataclass(frozen=True)
class FieldRates:
    """How families behave over the year (shares of families, or of a family's meetings)."""

    hadir: float = 0.89  # of a regular family's meetings (varies a little by group)
    izin_of_absences: float = 0.64  # of a regular family's absences, the ones with leave
    irregular: float = 0.012  # of families: often away
    irregular_alpa: float = 0.2
    irregular_izin: float = 0.12
    dropout: float = 0.0006  # of families: stopped coming before the end of the year
    lapse: float = 0.0008  # of families: three or four alpa in a row, then back
    cancel_one: float = 0.08  # of groups: one meeting cancelled
    cancel_two: float = 0.02  # of groups: two
    product_groups: float = 0.1  # of groups: a flagship product


@dataclass
class FieldYearResult:
    groups: int = 0
    groups_without_pendamping: int = 0
    meetings_held: int = 0
    meetings_cancelled: int = 0
    marks: dict[str, int] = field(default_factory=dict)
    raised: int = 0
    lifted: int = 0
    families_evaluated: int = 0
    products: int = 0
    makers: int = 0
    sales: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class FieldYearSummary:
    """What an area holds after the year (read from the database)."""

    meetings_held: int
    meetings_cancelled: int
    meetings_planned: int
    marks: dict[str, int]
    flags_total: dict[str, int]
    flags_open: dict[str, int]
    flags_lifted: int
    families_flagged_open: int
    products: int
    makers: int
    sales: int
    sales_rupiah: int


def _in_area(area_code: str, path: str = "") -> Q:
    return Q(**{f"{path}desa__code__startswith": area_code + "."})


def area_has_attendance(area_code: str) -> bool:
    """Whether any meeting of the area's groups has been held or has marks."""
    return (
        Meeting.objects.filter(_in_area(area_code, "kelompok__"), status=MeetingStatus.TERLAKSANA).exists()
        or Attendance.objects.filter(_in_area(area_code, "meeting__kelompok__")).exists()
    )


def field_year_summary(area_code: str) -> FieldYearSummary:
    meetings = dict(
        Meeting.objects.filter(_in_area(area_code, "kelompok__"))
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    marks = dict(
        Attendance.objects.filter(_in_area(area_code, "meeting__kelompok__"))
        .values("mark")
        .annotate(n=Count("pk"))
        .values_list("mark", "n")
    )
    flags = AbsenceFlag.objects.filter(_in_area(area_code, "household__"))
    total = dict(flags.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    still_open = flags.filter(lifted_on__isnull=True)
    open_ = dict(still_open.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    products = Product.objects.filter(_in_area(area_code, "kelompok__"))
    sales = ProductSale.objects.filter(product__in=products)
    return FieldYearSummary(
        meetings_held=meetings.get(MeetingStatus.TERLAKSANA, 0),
        meetings_cancelled=meetings.get(MeetingStatus.DIBATALKAN, 0),
        meetings_planned=meetings.get(MeetingStatus.DIRENCANAKAN, 0),
        marks={m: marks.get(m, 0) for m in Mark.values},
        flags_total=total,
        flags_open=open_,
        flags_lifted=flags.filter(lifted_on__isnull=False).count(),
        families_flagged_open=still_open.values("household_id").distinct().count(),
        products=products.count(),
        makers=ProductMaker.objects.filter(product__in=products).count(),
        sales=sales.count(),
        sales_rupiah=sales.aggregate(s=Sum("amount_rupiah"))["s"] or 0,
    )


# --- the year of one group (pure) -----------------------------------------------------------------


def _reason(rng: random.Random, month: int) -> str:
    return names.weighted(rng, REASONS_BY_MONTH[month])


@dataclass
class GroupYear:
    cancelled: list[int]  # indexes into the group's meetings
    marks: dict[int, dict[int, tuple[str, str]]]  # meeting index -> household id -> (mark, reason)


def group_year(
    rng: random.Random,
    dates: list[dt.date],
    families: Sequence[tuple[int, dt.date, dt.date | None]],
    rates: FieldRates,
) -> GroupYear:
    """The cancellations and marks of one group's meetings (``dates`` in order) for its families
    (household id, membership from, to): a family is marked at the meetings its membership covers."""
    n_cancel = 0
    if len(dates) >= 4:
        roll = rng.random()
        n_cancel = 2 if roll < rates.cancel_two else 1 if roll < rates.cancel_two + rates.cancel_one else 0
    cancelled = sorted(rng.sample(range(len(dates)), n_cancel))
    held = [i for i in range(len(dates)) if i not in cancelled]
    hadir = min(0.99, max(0.5, rates.hadir + rng.uniform(-0.035, 0.035)))
    marks: dict[int, dict[int, tuple[str, str]]] = {i: {} for i in held}

    def regular(i: int) -> tuple[str, str]:
        if rng.random() < hadir:
            return HADIR
        if rng.random() < rates.izin_of_absences:
            return (Mark.IZIN.value, _reason(rng, dates[i].month))
        return ALPA

    def irregular(i: int) -> tuple[str, str]:
        roll = rng.random()
        if roll < rates.irregular_alpa:
            return ALPA
        if roll < rates.irregular_alpa + rates.irregular_izin:
            return (Mark.IZIN.value, _reason(rng, dates[i].month))
        return HADIR

    for hid, since, until in families:
        present = [i for i in held if since <= dates[i] and (until is None or dates[i] <= until)]
        n = len(present)
        roll = rng.random()
        seq: list[tuple[str, str]]
        if roll < rates.dropout and n >= 3:
            run = min(n, int(names.weighted(rng, DROPOUT_RUNS)))
            seq = [regular(i) for i in present[: n - run]] + [ALPA] * run
            if n - run > 0:
                seq[n - run - 1] = HADIR  # the last meeting before they stopped
        elif roll < rates.dropout + rates.lapse and n >= 5:
            length = rng.choice((3, 3, 4))
            start = rng.randint(0, n - length - 1)
            seq = [regular(i) for i in present]
            seq[start : start + length] = [ALPA] * length
            seq[start + length] = HADIR  # back: the flag is lifted
        elif roll < rates.dropout + rates.lapse + rates.irregular:
            seq = [irregular(i) for i in present]
        else:
            seq = [regular(i) for i in present]
        for i, mark in zip(present, seq, strict=True):
            marks[i][hid] = mark
    return GroupYear(cancelled=cancelled, marks=marks)


# --- the year of an area (writes) ---------------------------------------------------------------


def _recorded_at(day: dt.date, staff_id: int) -> dt.datetime:
    """The evening of the meeting day, a pendamping's own time (one per pendamping and day, so the
    meetings are marked held with one UPDATE per pendamping)."""
    minutes = 16 * 60 + (staff_id * 37) % 240
    naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def field_year_seed(
    *,
    area_code: str,
    as_of: dt.date,
    seed: int,
    acting_user: Any,
    rates: FieldRates | None = None,
    source: str = "seed",
    say: Callable[[str], None] | None = None,
) -> FieldYearResult:
    """Hold every planned meeting of the area's active groups dated before ``as_of`` (cancelling a
    few), record its attendance, let the absence rule raise and lift flags, and register products.

    ``acting_user`` (operator or korkab of the area) authorises the whole year; each meeting is
    recorded by its group's pendamping (groups without one are left alone)."""
    rates = rates or FieldRates()
    result = FieldYearResult()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = now - clock
        clock = now
        if say:
            say(f"  {name}: {result.seconds[name]:.1f} s")

    groups: dict[int, Kelompok] = {}
    for g in (
        Kelompok.objects.filter(_in_area(area_code), is_active=True).select_related("pendamping__user").order_by("pk")
    ):
        if g.pendamping is None:
            result.groups_without_pendamping += 1
        else:
            groups[g.pk] = g
    result.groups = len(groups)
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    for m in (
        Meeting.objects.filter(
            _in_area(area_code, "kelompok__"),
            kelompok__is_active=True,
            status=MeetingStatus.DIRENCANAKAN,
            scheduled_on__lt=as_of,
        )
        .only("pk", "kelompok_id", "scheduled_on", "status", "session_id")
        .order_by("kelompok_id", "scheduled_on", "pk")
    ):
        if m.kelompok_id in groups:
            m.kelompok = groups[m.kelompok_id]
            meetings[m.kelompok_id].append(m)
    members: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for kid, hid, since, until in (
        GroupMembership.objects.filter(_in_area(area_code, "kelompok__"), kelompok__is_active=True)
        .order_by("kelompok_id", "household_id", "valid_from")
        .values_list("kelompok_id", "household_id", "valid_from", "valid_to")
    ):
        members[kid].append((hid, since, until))
    lap("membaca kelompok, pertemuan, anggota")

    cancels: list[MeetingCancel] = []
    records: list[MeetingMarks] = []
    for kid, group_meetings in meetings.items():
        group = groups[kid]
        pendamping = group.pendamping
        assert pendamping is not None
        rng = random.Random(f"field-year:{seed}:{group.code}")
        year = group_year(rng, [m.scheduled_on for m in group_meetings], members.get(kid, []), rates)
        for i in year.cancelled:
            cancels.append(MeetingCancel(group_meetings[i], pendamping, rng.choice(CANCEL_NOTES)))
        for i, marks in year.marks.items():
            if not marks:
                continue  # nobody in the group yet: the meeting stays planned
            m = group_meetings[i]
            records.append(MeetingMarks(m, marks, pendamping, _recorded_at(m.scheduled_on, pendamping.pk)))
    records.sort(key=lambda r: (r.meeting.scheduled_on, r.meeting.pk))
    lap("membangkitkan kehadiran")

    result.meetings_cancelled = meetings_cancel_bulk(cancellations=cancels, acting_user=acting_user, source=source)
    lap(f"membatalkan {result.meetings_cancelled} pertemuan")

    def stream() -> Iterator[MeetingMarks]:
        # Hand the records over and let go of them: memory stays at one date's marks.
        while records:
            batch = records[:1000]
            del records[:1000]
            yield from batch

    written = attendance_record_bulk(records=stream(), acting_user=acting_user, source=source)
    result.meetings_held = written.meetings
    result.marks = dict(written.marks)
    result.raised, result.lifted, result.families_evaluated = written.raised, written.lifted, written.evaluated
    lap(f"mencatat {written.meetings} pertemuan ({written.dates} tanggal) dan menilai tanda ketidakhadiran")

    products_seed(groups=groups, held=meetings, as_of=as_of, seed=seed, rates=rates, source=source, result=result)
    lap(f"mendaftarkan {result.products} produk unggulan")
    return result


@transaction.atomic
def products_seed(
    *,
    groups: dict[int, Kelompok],
    held: dict[int, list[Meeting]],
    as_of: dt.date,
    seed: int,
    rates: FieldRates,
    source: str,
    result: FieldYearResult,
) -> None:
    """About one group in ten registers a flagship product, made by two to five carers of its own
    families, sold every month since it started (through the products services, as the pendamping)."""
    chosen: list[tuple[Kelompok, random.Random]] = []
    for kid in sorted(held):
        group = groups[kid]
        rng = random.Random(f"field-products:{seed}:{group.code}")
        if rng.random() < rates.product_groups:
            chosen.append((group, rng))
    if not chosen:
        return
    open_members = GroupMembership.objects.filter(kelompok_id__in=[g.pk for g, _r in chosen], valid_to__isnull=True)
    carers: dict[int, list[Member]] = defaultdict(list)
    kelompok_of = dict(open_members.values_list("household_id", "kelompok_id"))
    for member in Member.objects.filter(
        household_id__in=open_members.values("household_id"), is_carer=True, is_active=True
    ).order_by("household_id", "pk"):
        carers[kelompok_of[member.household_id]].append(member)
    kecamatan_names = _kecamatan_names({g.kecamatan_code for g, _r in chosen})
    last_month = dt.date(as_of.year, as_of.month, 1) - dt.timedelta(days=1)
    for group, rng in chosen:
        pool = carers.get(group.pk, [])
        if len(pool) < 2:
            continue
        user = group.pendamping.user  # type: ignore[union-attr]
        highland = kecamatan_names.get(group.kecamatan_code, "") in HIGHLAND_KECAMATAN
        kinds = [k for k in PRODUCTS if highland or not k.highland]
        weights = [4 if k.highland else 1 for k in kinds]
        kind = rng.choices(kinds, weights=weights)[0]
        price = int(round(kind.price * rng.uniform(0.85, 1.2), -3))
        product = product_create(
            acting_user=user,
            kelompok=group,
            name=kind.name,
            price_rupiah=price,
            unit=kind.unit,
            description=kind.description,
            source=source,
        )
        result.products += 1
        for member in rng.sample(pool, min(len(pool), rng.randint(2, 5))):
            maker_add(acting_user=user, product=product, member=member, source=source)
            result.makers += 1
        first = held[group.pk][0].scheduled_on if held.get(group.pk) else as_of
        month = dt.date(first.year, first.month, 1)
        # Sales start a few months into the year and are recorded at the end of each month.
        for _ in range(rng.randint(0, 4)):
            month = _next_month(month)
        while True:
            sold_on = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            if sold_on > last_month:
                break
            quantity = rng.randint(*kind.monthly)
            sale_record(
                acting_user=user,
                product=product,
                sold_on=sold_on,
                quantity=quantity,
                amount_rupiah=quantity * price,
                channel=names.weighted(rng, SALE_CHANNELS),
                source=source,
            )
            result.sales += 1
            month = _next_month(month)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _kecamatan_names(codes: set[str]) -> dict[str, str]:
    from harapan.regions.models import Region

    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
