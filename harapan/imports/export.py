"""Families as rows of the KPM import layout (FORMATS.md §6.1), for a file that imports back.

``export_families`` reads what a user may see (``registry.selectors.household_list``: the same
scope and filters as the family list) and turns it into ``FamilyRows`` that ``kpm_writer`` writes
and ``import_families`` reads. Every column the import reads is filled from the registry, so a
file exported from one Harapan imports into another with the same families, members, open facts
and statuses, and re-imported into the same Harapan changes nothing.

Set-based: households are read in chunks (keyset on ID_KELUARGA_PKH), and each chunk costs a
fixed handful of queries whatever its size: households, members, open school enrolments, and the
dated facts behind components (``registry.selectors.member_facts``), never one query per family.

What the layout cannot carry: closed facts (history), the start date of an enrolment or a
disability assessment (the import dates them on its reference date), the date a member left, and
HUB_KRT / NUK / FASKES, which Harapan does not keep. A pendamping no longer active is left out of
PENDAMPING (the import would refuse the family; the registered assignment is kept on re-import).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypedDict

from django.utils import timezone

from harapan.accounts.models import Role
from harapan.registry.models import Member, SchoolEnrolment
from harapan.registry.rules import MemberFacts, RegistryRules, household_components
from harapan.registry.selectors import household_list, member_facts

from .kpm_writer import FileStats
from .rows import FamilyRows

log = logging.getLogger(__name__)

EXPORT_CHUNK = 2000

HOUSEHOLD_VALUES = (
    "id",
    "pkh_id",
    "dtks_id",
    "no_kk",
    "desa_id",
    "desa__name",
    "desa__parent__name",
    "desa__parent__parent__name",
    "desa__parent__parent__parent__name",
    "address",
    "dusun",
    "rt",
    "rw",
    "status",
    "status_since",
    "kelompok_label",
    "bank",
    "account_number",
    "account_name",
    "kks_number",
    "latitude",
    "longitude",
    "pendamping__user__username",
    "pendamping__role",
    "pendamping__is_active",
)
MEMBER_VALUES = (
    "id",
    "household_id",
    "art_pkh_id",
    "dtks_art_id",
    "nik",
    "no_kk",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "relationship",
    "marital_status",
    "mother_name",
    "occupation",
    "jenis_cacat",
    "is_carer",
    "presence",
)
ENROLMENT_VALUES = ("member_id", "level", "grade", "npsn", "nisn", "school_name")
SEX_CODE = {"L": "1", "P": "2"}


class ExportFilters(TypedDict):
    """The family list's filters (``registry.selectors.household_list``)."""

    query: str
    region: str
    status: str


def export_families(
    *,
    user: Any,
    query: str = "",
    region: str = "",
    status: str = "",
    on: dt.date | None = None,
    chunk_size: int = EXPORT_CHUNK,
) -> Iterator[FamilyRows]:
    """The families ``user`` may see, filtered as on the family list, as KPM rows, lazily.

    KOMPONEN holds each member's components on ``on`` (default today). Row numbers are those of
    the sheets ``kpm_writer`` writes (header on row 1).
    """
    on = on or timezone.localdate()
    rules = RegistryRules.from_settings()
    households = household_list(user=user, query=query, region=region, status=status).values(*HOUSEHOLD_VALUES)
    keluarga_row = art_row = 2
    last: str | None = None
    while True:
        page = households if last is None else households.filter(pkh_id__gt=last)
        chunk = list(page[:chunk_size])
        for keluarga, art in _chunk_rows(chunk, on=on, rules=rules):
            yield FamilyRows(
                keluarga=keluarga, keluarga_row=keluarga_row, art=[(art_row + i, a) for i, a in enumerate(art)]
            )
            keluarga_row += 1
            art_row += len(art)
        if len(chunk) < chunk_size:
            return
        last = chunk[-1]["pkh_id"]


def _chunk_rows(
    households: list[dict[str, Any]], *, on: dt.date, rules: RegistryRules
) -> Iterator[tuple[dict[str, str], list[dict[str, str]]]]:
    """The KELUARGA row and the ART rows of each household of a chunk, in a fixed number of queries."""
    if not households:
        return
    ids = [h["id"] for h in households]
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in (
        Member.objects.filter(household_id__in=ids)
        .order_by("household_id", "relationship", "birth_date", "id")
        .values(*MEMBER_VALUES)
    ):
        members[m["household_id"]].append(m)
    # The latest open enrolment of each member, as the import compares it (ordered: the latest wins).
    enrolments = {
        e["member_id"]: e
        for e in SchoolEnrolment.objects.filter(member__household_id__in=ids, valid_to=None)
        .order_by("valid_from", "id")
        .values(*ENROLMENT_VALUES)
    }
    facts = {f.member_id: f for f in member_facts(household_ids=ids)}
    for h in households:
        people = members.get(h["id"], [])
        # Facts are read by a second query: a member deleted in between has none.
        family_facts = [facts.get(m["id"]) or MemberFacts(m["id"], m["sex"], m["birth_date"]) for m in people]
        components = household_components(family_facts, on=on, rules=rules).by_member
        art = [
            _art_row(h, m, f, enrolments.get(m["id"]), components[m["id"]])
            for m, f in zip(people, family_facts, strict=True)
        ]
        carer = next((m for m in people if m["is_carer"]), None)
        yield _keluarga_row(h, carer), art


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _keluarga_row(h: dict[str, Any], carer: dict[str, Any] | None) -> dict[str, str]:
    prop, kab, kec, desa = h["desa_id"].split(".")
    pendamping = ""
    if h["pendamping__role"] == Role.PENDAMPING and h["pendamping__is_active"]:
        pendamping = h["pendamping__user__username"]
    carer = carer or {}
    return {
        "ID_KELUARGA_PKH": h["pkh_id"],
        "IDDTKS": h["dtks_id"],
        "NOKK": h["no_kk"],
        "KDPROP": prop,
        "KDKAB": kab,
        "KDKEC": kec,
        "KDDESA": desa,
        "KODE_WILAYAH": h["desa_id"],
        "NMPROP": _text(h["desa__parent__parent__parent__name"]),
        "NMKAB": _text(h["desa__parent__parent__name"]),
        "NMKEC": _text(h["desa__parent__name"]),
        "NMDESA": _text(h["desa__name"]),
        "ALAMAT": h["address"],
        "DUSUN": h["dusun"],
        "RT": h["rt"],
        "RW": h["rw"],
        "ID_PENGURUS": carer.get("art_pkh_id") or carer.get("nik") or "",
        "NIK_PENGURUS": carer.get("nik") or "",
        "NAMA_PENGURUS": carer.get("name", ""),
        "NAMA_IBU_KANDUNG_PENGURUS": carer.get("mother_name", ""),
        "KELOMPOK": h["kelompok_label"],
        "PENDAMPING": pendamping,
        "BANK": h["bank"],
        "NO_REKENING": h["account_number"],
        "NAMA_REKENING": h["account_name"],
        "NO_KKS": h["kks_number"],
        "STATUS_KEPESERTAAN": h["status"].upper(),
        "TGL_STATUS": _text(h["status_since"]),
        "LAT": _text(h["latitude"]),
        "LNG": _text(h["longitude"]),
    }


def _art_row(
    h: dict[str, Any],
    m: dict[str, Any],
    facts: MemberFacts,
    enrolment: dict[str, Any] | None,
    components: list[Any],
) -> dict[str, str]:
    # The open facts the import compares with (valid_to empty; the latest pregnancy wins).
    pregnant_since = max((p.valid_from for p in facts.pregnancies if p.valid_to is None), default=None)
    severe = any(d.valid_to is None for d in facts.severe_disability)
    # 1: at school; 2: no longer at school (an enrolment that ended); empty: not known.
    participation = "1" if enrolment is not None else "2" if facts.enrolments else ""
    enrolment = enrolment or {}
    pregnant = "1" if pregnant_since is not None else "2" if m["sex"] == "P" else ""
    return {
        "ID_KELUARGA_PKH": h["pkh_id"],
        "ID_ART_PKH": m["art_pkh_id"],
        "IDARTDTKS": m["dtks_art_id"],
        "NIK": m["nik"] or "",
        "NOKK": m["no_kk"],
        "NAMA": m["name"],
        "JNSKEL": SEX_CODE.get(m["sex"], m["sex"]),
        "TMPLAHIR": m["birth_place"],
        "TGLLAHIR": _text(m["birth_date"]),
        "HUBKEL": _text(m["relationship"]),
        "STA_KAWIN": _text(m["marital_status"]),
        "STA_HAMIL": pregnant,
        "TGL_MULAI_HAMIL": _text(pregnant_since),
        "JENIS_CACAT": _text(m["jenis_cacat"]),
        "DISABILITAS_BERAT": "Y" if severe else "N",
        "PARTISIPASI_SEKOLAH": participation,
        "JENJANG": enrolment.get("level", ""),
        "KELAS": _text(enrolment.get("grade")),
        "NPSN": enrolment.get("npsn", ""),
        "NISN": enrolment.get("nisn", ""),
        "NAMA_SEKOLAH": enrolment.get("school_name", ""),
        "NAMA_IBU_KANDUNG": m["mother_name"],
        "PEKERJAAN": m["occupation"],
        "STA_KEBERADAAN_ART": _text(m["presence"]),
        "KOMPONEN": ",".join(str(c) for c in components),
    }


def log_export(*, user: Any, kind: str, query: str, region: str, status: str, stats: FileStats) -> None:
    """Who exported which families: one line at INFO (the export changes nothing, so no audit row)."""
    log.info(
        "KPM export %s by %s (q=%r, region=%r, status=%r): %d families, %d members",
        kind,
        getattr(user, "username", user),
        query,
        region,
        status,
        stats.families,
        stats.members,
    )
