"""The printed attendance list of a meeting (FORMATS.md §6.4), as a print page and as XLSX.
Anyone who may see the meeting may print it (``selectors.meeting_get`` is the scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..daftar_hadir import COLUMNS, attendance_sheet, sheet_xlsx


@login_required
def attendance_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    return render(
        request,
        "meetings/daftar_hadir.html",
        {"meeting": meeting, "sheet": attendance_sheet(meeting), "columns": COLUMNS},
    )


@login_required
def attendance_sheet_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    response = HttpResponse(
        sheet_xlsx(attendance_sheet(meeting)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"daftar-hadir-{meeting.kelompok.code}-{meeting.scheduled_on:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
