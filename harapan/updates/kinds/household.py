"""Kinds about the family as a whole: its address and its bank account."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.regions.selectors import region_ancestors
from harapan.registry import services as registry
from harapan.registry.models import Bank, Member
from harapan.registry.rules import Violation

from ..models import UpdateKind
from .base import ACCOUNT_FIELDS, ADDRESS_FIELDS, Change, Kind, Row


class Move(Kind):
    """The family moves. A move out of the kecamatan must be confirmed: the pendamping, who works
    in one kecamatan, is released and the new area's operator or korkab assigns one."""

    kind = UpdateKind.PINDAH_ALAMAT

    def check(self, c: Change) -> list[Violation]:
        p, h = c.payload, c.household
        out: list[Violation] = []
        if p["desa"] == h.desa_id and all((p.get(k) or "") == getattr(h, k) for k in ADDRESS_FIELDS):
            out.append(
                Violation(NON_FIELD_ERRORS, "tidak_ada_perubahan", _("Alamat baru sama dengan alamat sekarang."))
            )
        if p["desa"].rsplit(".", 1)[0] != h.desa_id.rsplit(".", 1)[0] and not p.get("outside_kecamatan"):
            out.append(
                Violation(
                    "outside_kecamatan",
                    "konfirmasi_luar_kecamatan",
                    _("Desa baru di luar kecamatan KPM: centang konfirmasi (pendamping akan dilepas)."),
                )
            )
        return out

    def before(self, c: Change) -> dict[str, Any]:
        h = c.household
        return {"desa": h.desa_id, **{k: getattr(h, k) for k in ADDRESS_FIELDS}, "pendamping": h.pendamping_id}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        p = c.payload
        registry.household_move(
            household=c.household,
            desa=p["desa"],
            address=p["address"],
            dusun=p.get("dusun") or "",
            rt=p.get("rt") or "",
            rw=p.get("rw") or "",
            acting_user=acting_user,
            source=source,
        )
        return None

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        def place(code: str) -> str:
            names = [r.name for r in reversed(region_ancestors(code)) if r.level >= 2]
            return f"{', '.join(names)} ({code})"

        p = c.payload
        rows: list[Row] = []
        if p["desa"] != before.get("desa"):
            rows.append((_("Desa/kelurahan"), place(before.get("desa", "")), place(p["desa"])))
        labels = {"address": _("Alamat"), "dusun": _("Dusun"), "rt": "RT", "rw": "RW"}
        for k in ADDRESS_FIELDS:
            if (p.get(k) or "") != (before.get(k) or ""):
                rows.append((str(labels[k]), before.get(k) or "—", p.get(k) or "—"))
        if p["desa"].rsplit(".", 1)[0] != str(before.get("desa", "")).rsplit(".", 1)[0] and before.get("pendamping"):
            pendamping = Staff.objects.filter(pk=before["pendamping"]).values_list("full_name", flat=True).first()
            rows.append((_("Pendamping"), pendamping or "—", _("dilepas; ditetapkan ulang oleh operator")))
        return rows


class Account(Kind):
    """The family's bank account and KKS card (RULES.md: Disbursement and data — paid to the KKS
    account; "blocked accounts are reopened when the number changes")."""

    kind = UpdateKind.REKENING

    def check(self, c: Change) -> list[Violation]:
        if all((c.payload.get(k) or "") == getattr(c.household, k) for k in ACCOUNT_FIELDS):
            return [Violation(NON_FIELD_ERRORS, "tidak_ada_perubahan", _("Data rekening sama dengan yang tercatat."))]
        return []

    def before(self, c: Change) -> dict[str, Any]:
        return {k: getattr(c.household, k) for k in ACCOUNT_FIELDS}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        data = {k: c.payload.get(k) or "" for k in ACCOUNT_FIELDS}
        registry.household_update(
            household=c.household,
            data={k: v for k, v in data.items() if v != getattr(c.household, k)},
            acting_user=acting_user,
            source=source,
        )
        return None

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        labels = {
            "bank": _("Bank"),
            "account_number": _("Nomor rekening"),
            "account_name": _("Nama rekening"),
            "kks_number": _("Nomor KKS"),
        }
        banks = dict(Bank.choices)
        rows: list[Row] = []
        for k in ACCOUNT_FIELDS:
            b, a = before.get(k) or "", c.payload.get(k) or ""
            if b != a:
                if k == "bank":
                    b, a = str(banks.get(b, b)), str(banks.get(a, a))
                rows.append((str(labels[k]), b or "—", a or "—"))
        return rows
