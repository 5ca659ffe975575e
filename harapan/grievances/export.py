"""The list of cases as an XLSX sheet (the reader's own scope and filters: the caller passes the
queryset from ``selectors.grievance_list``)."""

from __future__ import annotations

from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Grievance

CHUNK = 2000


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def write_xlsx(grievances: QuerySet[Grievance], out: IO[bytes]) -> int:
    """Write one row per case to ``out``; return how many."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Pengaduan"))
    ws.append(
        [
            _("Nomor"),
            _("Dicatat"),
            _("Batas waktu"),
            _("Kategori"),
            _("Status"),
            _("Lewat batas waktu"),
            _("Dieskalasi"),
            _("ID keluarga PKH"),
            _("Kode desa"),
            _("Desa/kelurahan"),
            _("Nama pelapor"),
            _("Pelapor"),
            _("Saluran"),
            _("Ditangani oleh"),
            _("Selesai/ditutup"),
            _("Uraian pengaduan"),
            _("Penyelesaian"),
        ]
    )
    now = timezone.now()
    n = 0
    qs = grievances.select_related("category", "household", "desa", "handler").order_by("opened_at", "pk")
    for g in qs.iterator(chunk_size=CHUNK):
        ws.append(
            [
                g.number,
                _local(g.opened_at),
                _local(g.due_at),
                g.category.name,
                g.get_status_display(),
                _("Ya") if g.overdue_at(now) else "",
                _local(g.escalated_at),
                g.household.pkh_id if g.household else "",
                g.desa_id,
                g.desa.name,
                g.lodged_by_name,
                g.get_lodged_by_kind_display(),
                g.get_channel_display(),
                g.handler.full_name if g.handler else "",
                _local(g.finished_at),
                g.description,
                g.resolution,
            ]
        )
        n += 1
    wb.save(out)
    return n
