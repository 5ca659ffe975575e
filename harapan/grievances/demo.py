"""A year of complaints for a demo area, written set-based (bulk inserts: cases, their timelines and
their audit events), never one case at a time through the services.

What the year looks like, and why:
- about one case per 60 families a year (``FAMILIES_PER_CASE``), lodged on working hours of days
  spread over the year before the reference date;
- the categories the field meets most are the card and balance problems RULES.md "Disbursement
  and data" names (a forgotten PIN, a zero balance, a lost or swallowed KKS card), then wrong data,
  an eligible family left out, a few about a pendamping's conduct (handled by the korkab, never by
  the pendamping), and other matters;
- most cases are resolved within the category's SLA by the family's pendamping, some late, a few
  closed (not a PKH matter, a duplicate), and a few remain open past their due time;
- some are escalated to the korkab of the kabupaten (every conduct case, more of the overdue ones).

Deterministic: one ``random.Random`` seeded with the seed and the area code, families in id order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.accounts.scope import region_in_scope, staff_of
from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_events_save
from harapan.conf import setting
from harapan.registry.models import Household, Member

from . import events, rules
from .models import ActionKind, Grievance, GrievanceAction, GrievanceCategory, GrievanceStatus

FAMILIES_PER_CASE = 60  # a year

CATEGORY_WEIGHTS = (
    ("pin_lupa", 24),
    ("saldo_nol", 22),
    ("kks_hilang", 17),
    ("kartu_tertelan", 10),
    ("data_salah", 12),
    ("belum_terdaftar", 6),
    ("lainnya", 6),
    ("perilaku_pendamping", 3),
)
CHANNELS = (("langsung", 40), ("whatsapp", 24), ("p2k2", 16), ("telepon", 10), ("surat", 5), ("lainnya", 5))
LODGERS = (("kpm", 72), ("pendamping", 12), ("aparat_desa", 8), ("masyarakat", 6), ("lainnya", 2))
LODGERS_NOT_REGISTERED = (("masyarakat", 45), ("aparat_desa", 35), ("pendamping", 20))

DESCRIPTIONS = {
    "kks_hilang": (
        "Kartu KKS hilang saat banjir, buku tabungan masih ada.",
        "Kartu KKS hilang di pasar, KPM belum sempat ke bank.",
        "Kartu KKS terselip dan tidak ditemukan, pencairan tahap ini tertunda.",
    ),
    "pin_lupa": (
        "KPM lupa PIN kartu KKS setelah tiga kali salah, kartu terblokir.",
        "Pengurus lupa PIN, ATM menolak penarikan.",
        "PIN kartu KKS tidak diingat, meminta bantuan reset PIN ke bank.",
    ),
    "kartu_tertelan": (
        "Kartu KKS tertelan mesin ATM di kecamatan saat penarikan.",
        "Kartu tertelan ATM karena salah PIN, KPM meminta kartu diganti.",
    ),
    "saldo_nol": (
        "Saldo KKS nol padahal KPM tercatat menerima bantuan tahap ini.",
        "Bantuan tahap ini belum masuk, saldo masih nol di agen.",
        "Saldo nol setelah pencairan kolektif, KPM merasa belum menarik.",
    ),
    "data_salah": (
        "Nama pengurus di kartu KKS tidak sesuai KTP.",
        "Anak sudah lulus SD tetapi data masih tercatat SD.",
        "NIK anggota keluarga tidak padan dengan Dukcapil.",
    ),
    "belum_terdaftar": (
        "Keluarga dengan ibu hamil dan balita belum terdaftar sebagai KPM.",
        "Lansia tinggal sendiri, layak PKH, belum masuk DTKS.",
        "Keluarga miskin baru pindah, belum terdaftar di DTKS.",
    ),
    "perilaku_pendamping": (
        "Pendamping jarang hadir di pertemuan kelompok.",
        "KPM merasa diminta iuran oleh pendamping saat pencairan.",
        "Pendamping dilaporkan menahan kartu KKS KPM.",
    ),
    "lainnya": (
        "KPM menanyakan jadwal pencairan tahap berikutnya.",
        "KPM meminta informasi program KIP untuk anaknya.",
        "Agen e-warong meminta biaya tambahan saat penarikan.",
    ),
}
RESOLUTIONS = {
    "kks_hilang": ("KPM didampingi ke bank dengan surat keterangan hilang; kartu pengganti sudah terbit.",),
    "pin_lupa": ("Reset PIN di kantor cabang bank bersama pendamping; KPM sudah bisa menarik.",),
    "kartu_tertelan": ("Kartu diambil kembali dari bank pengelola ATM dengan KTP pengurus.",),
    "saldo_nol": (
        "Dana masuk setelah proses penyaluran tahap selesai; KPM sudah menarik.",
        "Dicek bersama bank: bantuan sudah ditarik pengurus, dijelaskan kepada KPM.",
    ),
    "data_salah": ("Usulan perbaikan data diajukan lewat pemutakhiran dan sudah disetujui.",),
    "belum_terdaftar": ("Keluarga diusulkan ke DTKS melalui musyawarah desa.",),
    "perilaku_pendamping": ("Korkab melakukan klarifikasi dan pembinaan kepada pendamping.",),
    "lainnya": ("Informasi sudah disampaikan kepada pelapor.",),
}
CLOSE_REASONS = (
    "Pengaduan ganda; sudah ditangani pada pengaduan sebelumnya.",
    "Bukan urusan PKH; pelapor diarahkan ke dinas terkait.",
    "Pelapor mencabut pengaduan.",
)
VILLAGE_OFFICES = ("Kepala Desa", "Sekretaris Desa", "Kasi Kesejahteraan", "Kepala Dusun")
MEN = ("Moh. Holil", "Sutrisno", "Abdul Rofiq", "Samsul Arifin", "Busiri", "Ahmad Marzuki", "Slamet")
WOMEN = ("Siti Aminah", "Sumiati", "Hosnah", "Nur Hasanah", "Suwarni", "Umi Kulsum", "Patimah")
NOTES = (
    "Sudah dikoordinasikan dengan bank penyalur.",
    "Menunggu jadwal layanan bank di kecamatan.",
    "KPM sudah dihubungi, dokumen sedang dilengkapi.",
)


@dataclass
class _Plan:
    code: str
    opened: dt.datetime
    household_id: int | None
    desa: str
    about: int | None
    lodger_kind: str
    lodger_name: str
    channel: str
    description: str
    creator: int  # user id
    pendamping: int | None = None  # the family's pendamping (staff id)
    handler: int | None = None  # staff id
    handler_user: int | None = None
    taken: dt.datetime | None = None
    escalated: dt.datetime | None = None
    escalated_to: int | None = None
    korkab_user: int | None = None
    noted: dt.datetime | None = None
    resolved: dt.datetime | None = None
    closed: dt.datetime | None = None
    text: str = ""


def _pick(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime, lo: float = 0.0, hi: float = 1.0) -> dt.datetime:
    span = max((end - start).total_seconds(), 60.0)
    return start + dt.timedelta(seconds=span * rng.uniform(lo, hi))


def _in_area(area_code: str) -> Q:
    return Q(desa_id=area_code) | Q(desa__code__startswith=area_code + ".")


@transaction.atomic
def seed_grievances(*, area_code: str, as_of: dt.date, seed: int, acting_user: Any) -> int:
    """Lodge, handle and finish a year of complaints in ``area_code`` before ``as_of`` (the state at
    the start of that day). Does nothing, and returns 0, when the area already has cases. Returns
    the number of cases written."""
    staff = staff_of(acting_user)
    if staff is None or not region_in_scope(acting_user, area_code):
        raise PermissionDenied(_("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": area_code})
    if Grievance.objects.filter(_in_area(area_code)).exists():
        return 0
    families = list(
        Household.objects.filter(_in_area(area_code)).order_by("pk").values_list("pk", "desa_id", "pendamping_id")
    )
    n_cases = round(len(families) / FAMILIES_PER_CASE)
    if not n_cases:
        return 0
    rng = random.Random(f"grievances:{seed}:{area_code}")
    cats = {c.code: c for c in GrievanceCategory.objects.filter(active=True)}
    weights = tuple((code, w) for code, w in CATEGORY_WEIGHTS if code in cats)
    pendamping_rows = list(
        Staff.objects.filter(pk__in={p for _h, _d, p in families if p}).values_list("pk", "user_id", "full_name")
    )
    pendamping_users = {pk: user for pk, user, _name in pendamping_rows}
    pendamping_names = {pk: name for pk, _user, name in pendamping_rows}
    escalation_role = setting("grievances", "ESCALATION_ROLE")
    korkab: dict[str, tuple[int, int]] = {}
    for kab in {".".join(d.split(".")[:2]) for _h, d, _p in families}:
        k = Staff.objects.filter(role=escalation_role, region_id=kab, is_active=True).order_by("pk").first()
        if k is not None:
            korkab[kab] = (k.pk, k.user_id)
    tz = timezone.get_current_timezone()
    end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.min), tz)
    first_day = as_of - dt.timedelta(days=365)

    plans: list[_Plan] = []
    for _i in range(n_cases):
        code = _pick(rng, weights)
        family = rng.choice(families)
        hid, desa, pendamping = family
        if code == "perilaku_pendamping" and not (pendamping and ".".join(desa.split(".")[:2]) in korkab):
            code = "lainnya"
        kab = ".".join(desa.split(".")[:2])
        household_id: int | None = hid
        if code == "belum_terdaftar" or (code == "lainnya" and rng.random() < 0.4):
            household_id = None
        day = first_day + dt.timedelta(days=rng.randrange(365))
        opened = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randrange(60), rng.randrange(60))), tz
        )
        about = pendamping if code == "perilaku_pendamping" else None
        kind = _pick(rng, LODGERS_NOT_REGISTERED if household_id is None else LODGERS)
        k_staff, k_user = korkab.get(kab, (None, None))
        p_user = pendamping_users.get(pendamping) if pendamping else None
        creator = acting_user.pk
        if about is None and p_user and household_id is not None and rng.random() < 0.7:
            creator = p_user  # recorded by the pendamping in the field
        elif about is not None and k_user:
            creator = k_user
        plans.append(
            _Plan(
                code=code,
                opened=opened,
                household_id=household_id,
                desa=desa,
                about=about,
                lodger_kind=kind,
                lodger_name="",
                channel=_pick(rng, CHANNELS),
                description=rng.choice(DESCRIPTIONS[code]),
                creator=creator,
                korkab_user=k_user,
                escalated_to=k_staff,
                pendamping=pendamping,
            )
        )
        plan = plans[-1]
        # Who handles it: the family's pendamping, or the korkab (a conduct case, a case without one).
        if about is None and pendamping and household_id is not None:
            plan.handler, plan.handler_user = pendamping, p_user
        else:
            plan.handler, plan.handler_user = k_staff, k_user
        _outcome(rng, plan, sla=cats[code].sla_days, end=end)
    _name_lodgers(rng, plans, pendamping_names)
    return _write(plans, cats=cats, acting_user=acting_user)


def _outcome(rng: random.Random, p: _Plan, *, sla: int, end: dt.datetime) -> None:
    """Decide how far the case got by ``end``: taken, noted, escalated, resolved or closed."""
    due = rules.due_at(p.opened, sla)
    r = rng.random()
    if due <= end:
        outcome = "in_time" if r < 0.80 else "late" if r < 0.88 else "closed" if r < 0.93 else "open"
    else:
        outcome = "in_time" if r < 0.45 else "closed" if r < 0.50 else "open"
    if p.handler is None and outcome in ("in_time", "late"):
        outcome = "open"
    if outcome in ("in_time", "late") or (outcome == "open" and p.handler is not None and rng.random() < 0.6):
        p.taken = _between(rng, p.opened, min(due, end), 0.02, 0.3)
    if outcome == "in_time":
        assert p.taken is not None
        p.resolved = _between(rng, p.taken, min(due, end), 0.1, 0.9)
    elif outcome == "late":
        p.resolved = min(due + dt.timedelta(hours=rng.uniform(12, 24 * 20)), end - dt.timedelta(minutes=5))
        if p.taken is not None and p.resolved <= p.taken:
            p.resolved = _between(rng, p.taken, end, 0.1, 0.9)
    elif outcome == "closed":
        if p.handler is not None and rng.random() < 0.5:
            p.taken = _between(rng, p.opened, min(due, end), 0.02, 0.2)
        p.closed = _between(rng, p.taken or p.opened, min(due, end), 0.1, 0.8)
    finished = p.resolved or p.closed or end
    overdue_open = outcome == "open" and due < end
    if p.escalated_to is not None and (
        p.about is not None or rng.random() < (0.45 if overdue_open else 0.05 if outcome != "open" else 0.1)
    ):
        p.escalated = _between(rng, p.opened, finished, 0.05, 0.6)
    if p.taken is not None and rng.random() < 0.3:
        p.noted = _between(rng, p.taken, finished, 0.1, 0.9)
    if p.resolved:
        p.text = rng.choice(RESOLUTIONS[p.code])
    elif p.closed:
        p.text = rng.choice(CLOSE_REASONS)


def _name_lodgers(rng: random.Random, plans: list[_Plan], pendamping_names: dict[int, str]) -> None:
    """The carer's name when a KPM lodged the case, the pendamping's when they did, a plausible
    name otherwise."""
    carers = dict(
        Member.objects.filter(
            household_id__in={p.household_id for p in plans if p.household_id}, is_carer=True
        ).values_list("household_id", "name")
    )
    for p in plans:
        if p.lodger_kind == "kpm" and p.household_id in carers:
            p.lodger_name = carers[p.household_id]
        elif p.lodger_kind == "pendamping" and p.pendamping in pendamping_names:
            p.lodger_name = pendamping_names[p.pendamping]
        elif p.lodger_kind == "aparat_desa":
            p.lodger_name = f"{rng.choice(VILLAGE_OFFICES)} {rng.choice(MEN)}"
        else:
            p.lodger_name = rng.choice(WOMEN if rng.random() < 0.6 else MEN)


def _write(plans: list[_Plan], *, cats: dict[str, GrievanceCategory], acting_user: Any) -> int:
    prefix = setting("grievances", "NUMBER_PREFIX")
    plans.sort(key=lambda p: p.opened)
    serial: dict[int, int] = {}
    rows: list[Grievance] = []
    for p in plans:
        year = timezone.localtime(p.opened).year
        if year not in serial:
            last = (
                Grievance.objects.filter(number__startswith=f"{prefix}-{year}-")
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            serial[year] = rules.number_serial(last or "")
        serial[year] += 1
        status = (
            GrievanceStatus.SELESAI
            if p.resolved
            else GrievanceStatus.DITUTUP
            if p.closed
            else GrievanceStatus.DITANGANI
            if p.taken
            else GrievanceStatus.BARU
        )
        rows.append(
            Grievance(
                number=rules.grievance_number(prefix, year, serial[year]),
                category=cats[p.code],
                household_id=p.household_id,
                desa_id=p.desa,
                lodged_by_name=p.lodger_name[:150],
                lodged_by_kind=p.lodger_kind,
                channel=p.channel,
                description=p.description,
                status=status,
                opened_at=p.opened,
                due_at=rules.due_at(p.opened, cats[p.code].sla_days),
                resolved_at=p.resolved,
                closed_at=p.closed,
                resolution=p.text,
                escalated_at=p.escalated,
                escalated_to_id=p.escalated_to if p.escalated else None,
                handler_id=p.handler if p.taken or p.resolved else None,
                about_pendamping_id=p.about,
                created_by_id=p.creator,
            )
        )
    Grievance.objects.bulk_create(rows, batch_size=2000)
    ids = dict(Grievance.objects.filter(number__in=[g.number for g in rows]).values_list("number", "pk"))
    for g in rows:
        g.pk = ids[g.number]

    users = get_user_model().objects.in_bulk(
        {p.creator for p in plans} | {u for p in plans for u in (p.handler_user, p.korkab_user) if u}
    )
    handler_names = dict(
        Staff.objects.filter(pk__in={p.handler for p in plans if p.handler}).values_list("pk", "full_name")
    )
    korkab_names = dict(
        Staff.objects.filter(pk__in={p.escalated_to for p in plans if p.escalated_to}).values_list("pk", "full_name")
    )
    actions: list[GrievanceAction] = []
    audits: list[AuditEvent] = []
    for p, g in zip(plans, rows, strict=True):
        handler_user = users.get(p.handler_user) if p.handler_user else acting_user
        korkab_user = users.get(p.korkab_user) if p.korkab_user else acting_user
        steps: list[tuple[dt.datetime, str, Any, str, str, str, dict[str, Any]]] = [
            (
                p.opened,
                ActionKind.DIBUAT,
                users.get(p.creator, acting_user),
                p.description,
                "",
                GrievanceStatus.BARU,
                {
                    "kategori_pengaduan": p.code,
                    "status_pengaduan": GrievanceStatus.BARU,
                    "batas_waktu": timezone.localtime(g.due_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
        ]
        current: str = GrievanceStatus.BARU
        timeline: list[tuple[dt.datetime, str]] = sorted(
            [
                (t, k)
                for t, k in (
                    (p.taken, ActionKind.DITANGANI),
                    (p.escalated, ActionKind.DIESKALASI),
                    (p.noted, ActionKind.CATATAN),
                    (p.resolved, ActionKind.DISELESAIKAN),
                    (p.closed, ActionKind.DITUTUP),
                )
                if t is not None
            ]
        )
        for at, kind in timeline:
            before: str = current
            actor, note, after = handler_user, "", {}
            if kind == ActionKind.DITANGANI:
                current = GrievanceStatus.DITANGANI
                after = {"penanganan": handler_names.get(p.handler or 0, "")}
            elif kind == ActionKind.DIESKALASI:
                actor = handler_user if p.about is None and p.handler_user else korkab_user
                after = {"dieskalasi_ke": korkab_names.get(p.escalated_to or 0, "")}
            elif kind == ActionKind.CATATAN:
                note = NOTES[(g.pk or 0) % len(NOTES)]
            elif kind == ActionKind.DISELESAIKAN:
                current, note = GrievanceStatus.SELESAI, p.text
            else:
                current, note = GrievanceStatus.DITUTUP, p.text
                actor = korkab_user if p.about is not None or p.handler is None else handler_user
            steps.append((at, kind, actor, note, before, current, after))
        for at, kind, actor, note, before, after_status, after in steps:
            actions.append(
                GrievanceAction(
                    grievance=g,
                    at=at,
                    actor=actor,
                    kind=kind,
                    note=note,
                    status_before=before,
                    status_after=after_status,
                )
            )
            changed = before and before != after_status
            audits.append(
                events.grievance_event(
                    kind,
                    g,
                    actor=actor,
                    source="seed",
                    before={"status_pengaduan": before} if changed else None,
                    after={**({"status_pengaduan": after_status} if changed else {}), **after},
                    note=note,
                    at=at,
                )
            )
    GrievanceAction.objects.bulk_create(actions, batch_size=5000)
    audit_events_save(audits)
    return len(rows)


def area_grievance_summary(area_code: str) -> dict[str, int]:
    """Cases of the area by status, for the demo command's report."""
    rows = Grievance.objects.filter(_in_area(area_code)).values("status").annotate(n=Count("pk")).order_by()
    return {r["status"]: r["n"] for r in rows}
