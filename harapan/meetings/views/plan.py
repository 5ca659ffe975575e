"""A group's year of meetings (plan, edit, cancel) and a pendamping's month of meetings across
their groups (issue 3; RULES.md "P2K2 / FDS curriculum"). Everyone in scope may look; only who
works the group (groups.selectors.kelompok_worker) may change it; out of scope is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_prefix, staff_of
from harapan.groups.selectors import kelompok_get, kelompok_members, kelompok_worker, pendamping_get
from harapan.p2k2.models import Session
from harapan.p2k2.selectors import curriculum_for
from harapan.registry.forms import add_service_errors

from .. import selectors, services
from ..forms import MeetingCancelForm, MeetingEditForm
from ..models import Meeting, MeetingStatus, Venue

YEARS = range(2000, 2101)


def _year(year: int) -> int:
    if year not in YEARS:
        raise Http404(_("Tahun tidak dikenal."))
    return year


def _plan_url(meeting: Meeting) -> str:
    return reverse("meetings:plan", args=[meeting.kelompok_id, meeting.scheduled_on.year])


@login_required
def kelompok_plan_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    kelompok = kelompok_get(request.user, pk)
    year = _year(year)
    meetings = list(selectors.kelompok_year_meetings(kelompok, year))
    families: int = kelompok.families  # type: ignore[attr-defined]
    warnings = selectors.meeting_warnings(meetings, families=families)
    rows = [{"m": m, "warnings": warnings.get(m.pk, [])} for m in meetings]
    return render(
        request,
        "meetings/plan.html",
        {
            "kelompok": kelompok,
            "year": year,
            "rows": rows,
            "held": sum(1 for m in meetings if m.status == MeetingStatus.TERLAKSANA),
            "months_missing": 12 - len({m.scheduled_on.month for m in meetings}),
            "can_edit": kelompok_worker(request.user, kelompok) is not None,
        },
    )


@login_required
@require_POST
def kelompok_plan_generate_view(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    kelompok = kelompok_get(request.user, pk)
    year = _year(year)
    created = services.meeting_plan_year(kelompok=kelompok, year=year, acting_user=request.user)
    if created:
        messages.success(
            request, _("%(n)d pertemuan direncanakan untuk tahun %(year)d.") % {"n": len(created), "year": year}
        )
    else:
        messages.info(
            request, _("Setiap bulan tahun %(year)d sudah punya pertemuan; tidak ada yang ditambah.") % {"year": year}
        )
    return redirect("meetings:plan", pk=kelompok.pk, year=year)


def _venues(meeting: Meeting, show_all: bool) -> list[Venue]:
    return selectors.venues_for_kelompok(meeting.kelompok, include_unfit=show_all, keep=meeting.venue_place_id)


@login_required
def meeting_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    services.may_record(request.user, meeting.kelompok)
    if meeting.status != MeetingStatus.DIRENCANAKAN:
        messages.error(request, _("Hanya pertemuan yang masih direncanakan yang dapat diubah."))
        return redirect(_plan_url(meeting))
    show_all = request.GET.get("semua") == "1"
    venues = _venues(meeting, show_all)
    curriculum = curriculum_for(str(meeting.kelompok.desa_id))
    initial = {
        "scheduled_on": meeting.scheduled_on,
        "start_time": meeting.start_time,
        "session": meeting.session_id,
        "venue_place": meeting.venue_place_id,
        "venue": meeting.venue,
    }
    form = MeetingEditForm(request.POST or None, initial=initial, curriculum=curriculum, venues=venues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {v.pk: v for v in venues}
        try:
            services.meeting_update(
                meeting=meeting,
                acting_user=request.user,
                scheduled_on=data["scheduled_on"],
                start_time=data["start_time"],
                session=Session.objects.filter(pk=data["session"]).first() if data["session"] else None,
                venue_place=by_id.get(data["venue_place"]) if data["venue_place"] else None,
                venue=data["venue"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Pertemuan %(day)s pukul %(time)s tersimpan.")
                % {"day": meeting.scheduled_on.strftime("%d-%m-%Y"), "time": meeting.start_time.strftime("%H:%M")},
            )
            year_meetings = list(selectors.kelompok_year_meetings(meeting.kelompok, meeting.scheduled_on.year))
            families = kelompok_members(meeting.kelompok).count()
            for text in selectors.meeting_warnings(year_meetings, families=families).get(meeting.pk, []):
                messages.warning(request, text)
            return redirect(_plan_url(meeting) + f"#m-{meeting.pk}")
    return render(
        request,
        "meetings/meeting_edit.html",
        {
            "meeting": meeting,
            "form": form,
            "show_all": show_all,
            "families": kelompok_members(meeting.kelompok).count(),
            "unfit_hidden": not show_all,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    services.may_record(request.user, meeting.kelompok)
    form = MeetingCancelForm(request.POST or None)
    problem = ""
    if meeting.status == MeetingStatus.TERLAKSANA:
        problem = _("Pertemuan yang sudah terlaksana tidak dapat dibatalkan.")
    elif meeting.status == MeetingStatus.DIBATALKAN:
        problem = _("Pertemuan ini sudah dibatalkan.")
    elif request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, acting_user=request.user, note=form.cleaned_data["reason"])
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request, _("Pertemuan %(day)s dibatalkan.") % {"day": meeting.scheduled_on.strftime("%d-%m-%Y")}
            )
            return redirect(_plan_url(meeting) + f"#m-{meeting.pk}")
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"meeting": meeting, "form": form, "problem": problem},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def month_start_view(request: HttpRequest) -> HttpResponse:
    """A pendamping goes to this month's meetings; others pick a pendamping of their area."""
    staff = staff_of(request.user)
    today = timezone.localdate()
    if staff is not None and staff.role == Role.PENDAMPING:
        return redirect("meetings:month", staff_id=staff.pk, year=today.year, month=today.month)
    pendamping = Staff.objects.none()
    if staff is not None:
        area = region_prefix(staff)
        pendamping = Staff.objects.filter(role=Role.PENDAMPING, is_active=True).select_related("region")
        if area is not None:
            pendamping = pendamping.filter(region__code__startswith=area + ".")
    return render(
        request,
        "meetings/month_pick.html",
        {"pendamping": pendamping.order_by("region_id", "full_name")[:500], "today": today},
    )


@login_required
def pendamping_month_view(request: HttpRequest, staff_id: int, year: int, month: int) -> HttpResponse:
    pendamping = pendamping_get(request.user, staff_id)
    year = _year(year)
    if not 1 <= month <= 12:
        raise Http404(_("Bulan tidak dikenal."))
    meetings = list(selectors.pendamping_month_meetings(pendamping, year, month))
    clashes = selectors.month_clashes(meetings)
    first = dt.date(year, month, 1)
    before = first - dt.timedelta(days=1)
    after = first + dt.timedelta(days=32)
    return render(
        request,
        "meetings/month.html",
        {
            "pendamping": pendamping,
            "year": year,
            "month": month,
            "first": first,
            "rows": [{"m": m, "clash": clashes.get(m.pk)} for m in meetings],
            "count": sum(1 for m in meetings if m.status != MeetingStatus.DIBATALKAN),
            "without": selectors.pendamping_groups_without_meeting(pendamping, year, month),
            "prev": (before.year, before.month),
            "next": (after.year, after.month),
        },
    )
