"""The pendamping's phone screens: upcoming meetings, and the attendance form (issue 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import staff_of
from harapan.groups.selectors import kelompok_members

from .. import selectors, services
from ..models import Mark, Meeting, MeetingPhoto

PHOTO_TYPES = {".jpg", ".jpeg", ".png", ".webp"}
PHOTO_MAX_BYTES = 8 * 1024 * 1024
MARK_LETTERS = [(Mark.HADIR.value, "H"), (Mark.IZIN.value, "I"), (Mark.ALPA.value, "A")]


@login_required
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_upcoming(request.user)[:100]
    staff = staff_of(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": meetings, "is_pendamping": staff is not None and staff.role == Role.PENDAMPING},
    )


def _rows(meeting: Meeting, typed: dict[int, tuple[str, str]], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "hid": m.household_id,
            "name": getattr(m, "carer_name", None) or m.household.pkh_id,
            "mark": typed.get(m.household_id, ("", ""))[0],
            "reason": typed.get(m.household_id, ("", ""))[1],
            "error": " ".join(errors.get(str(m.household_id), [])),
        }
        for m in kelompok_members(meeting.kelompok)
    ]


def _photos(files: list[UploadedFile]) -> str | None:
    for f in files:
        if Path(f.name or "").suffix.lower() not in PHOTO_TYPES:
            return _("Foto harus berupa berkas JPG, PNG atau WEBP.")
        if (f.size or 0) > PHOTO_MAX_BYTES:
            return _("Ukuran foto paling besar 8 MB.")
    return None


@login_required
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    services.may_record(request.user, meeting.kelompok)
    errors: dict[str, list[str]] = {}
    problem = ""
    if request.method == "POST":
        members = list(kelompok_members(meeting.kelompok).values_list("household_id", flat=True))
        typed = {
            hid: (request.POST.get(f"m-{hid}", ""), request.POST.get(f"r-{hid}", "").strip()[:300]) for hid in members
        }
        files = request.FILES.getlist("foto")
        errors = services.validate_marks(typed)
        photo_error = _photos(files)
        if errors or photo_error:
            problem = photo_error or _("Belum tersimpan. Periksa baris yang ditandai: pilih H/I/A dan isi alasan izin.")
        else:
            try:
                counts = services.attendance_record(meeting=meeting, marks=typed, acting_user=request.user)
            except ValidationError as exc:
                problem = " ".join(exc.messages)
            else:
                for f in files:  # a few photos per meeting
                    MeetingPhoto.objects.create(meeting=meeting, image=f)
                messages.success(
                    request,
                    _("Kehadiran tersimpan: %(h)d hadir, %(i)d izin, %(a)d alpa.")
                    % {"h": counts[Mark.HADIR], "i": counts[Mark.IZIN], "a": counts[Mark.ALPA]},
                )
                return redirect(reverse("meetings:attendance", args=[meeting.pk]) + "?tersimpan=1")
    else:
        typed = selectors.meeting_marks(meeting)
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "rows": _rows(meeting, typed, errors),
            "marks": MARK_LETTERS,
            "problem": problem,
            "saved": request.GET.get("tersimpan") == "1" and not problem,
        },
        status=400 if problem else 200,
    )
