"""The month's verification sheet (who has records, who is missing) and the pendamping's phone form
for one family and month (RULES.md "Obligations (conditionalities)")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_prefix
from harapan.conf import setting
from harapan.groups.selectors import kelompok_list
from harapan.registry.rules import KOMPONEN_LABELS, RegistryRules, member_components
from harapan.registry.selectors import household_get

from ..models import Measure, month_start
from ..rules import month_end
from ..selectors import family_records, household_due, obligation_specs, sheet_households, verification_sheet
from ..services import FormEntry, may_record, verification_form_save
from ..services.records import VERIFIED_STATUSES
from .common import month_key, neighbours, parse_month, staff_required

SHEET_PAGE = 50


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    staff_required(request)
    return redirect("compliance:sheet", month=month_key(month_start(timezone.localdate())))


def _month_or_404(text: str) -> dt.date:
    month = parse_month(text)
    if month is None:
        raise Http404(_("Bulan tidak dikenal."))
    return month


def _pendamping_choices(user: Any, staff: Staff) -> list[Staff]:
    if staff.role == Role.PENDAMPING:
        return []
    qs = Staff.objects.filter(role=Role.PENDAMPING, is_active=True).select_related("region").order_by("full_name")
    area = region_prefix(staff)  # the scope rule: training roles reach no area at all
    if area is not None:
        qs = qs.filter(region__code__startswith=area + ".")
    return list(qs[:500])


@login_required
def sheet_view(request: HttpRequest, month: str) -> HttpResponse:
    """A pendamping's families (or, for area staff, a chosen kelompok's or pendamping's) for one
    month: obligations due, recorded, not met and missing per family."""
    staff = staff_required(request)
    when = _month_or_404(month)
    kelompok_id = int(request.GET["kelompok"]) if request.GET.get("kelompok", "").isdigit() else None
    pendamping_id = int(request.GET["pendamping"]) if request.GET.get("pendamping", "").isdigit() else None
    groups = list(kelompok_list(request.user).filter(is_active=True).order_by("code")[:300])
    pendamping = _pendamping_choices(request.user, staff)
    chosen = staff.role == Role.PENDAMPING or kelompok_id or pendamping_id
    rows: list[Any] = []
    page = None
    if chosen:
        households = sheet_households(request.user, kelompok_id=kelompok_id, pendamping_id=pendamping_id)
        page = Paginator(households.order_by("pkh_id"), SHEET_PAGE).get_page(request.GET.get("page"))
        rows = verification_sheet(households.filter(pk__in=[h.pk for h in page.object_list]), when)
    previous, following = neighbours(when)
    current = month_start(timezone.localdate())
    return render(
        request,
        "compliance/sheet.html",
        {
            "month": when,
            "month_key": month_key(when),
            "previous": previous,
            "following": following if when < current else "",
            "groups": groups,
            "pendamping_list": pendamping,
            "kelompok_id": kelompok_id,
            "pendamping_id": pendamping_id,
            "chosen": bool(chosen),
            "rows": rows,
            "page": page,
            "summary": {
                "families": len(rows),
                "with_due": sum(1 for r in rows if r.due),
                "complete": sum(1 for r in rows if r.due and r.complete),
                "missing": sum(len(r.missing) for r in rows),
                "not_met": sum(r.not_met for r in rows),
            },
            "query": request.GET.urlencode(),
        },
    )


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Decimal("NaN")
    return value


def _form_rows(
    household: Any, when: dt.date, typed: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """One block per member with obligations this month, each obligation with what is recorded
    (or was typed) and its error."""
    due, facts = household_due(household, when)
    specs = {o.code: o for o, _spec in obligation_specs()}
    existing = {(r.member_id, r.obligation.code): r for r in family_records(household, when)}
    registry_rules = RegistryRules.from_settings()
    members = {m.pk: m for m in household.members.all()}
    out = []
    for mid, codes in due.items():
        member = members[mid]
        comps = member_components(facts[mid], on=month_end(when), rules=registry_rules)
        items = []
        for code in codes:
            name = f"{mid}-{code}"
            record = existing.get((mid, code))
            obligation = specs[code]
            met = typed.get(f"o-{name}") if typed else ("1" if record and record.met else "0" if record else "")
            value = (
                typed.get(f"v-{name}", "")
                if typed
                else ("" if not record or record.value is None else str(record.value.normalize()))
            )
            items.append(
                {
                    "name": name,
                    "obligation": obligation,
                    "measured": obligation.measure != Measure.NONE,
                    "percent": obligation.measure == Measure.PERSEN,
                    "met": met,
                    "value": value,
                    "record": record,
                    "error": " ".join(errors.get(name, [])),
                }
            )
        out.append({"member": member, "components": [_(KOMPONEN_LABELS[c]) for c in comps], "items": items})
    return out


@login_required
def form_view(request: HttpRequest, household_id: int, month: str) -> HttpResponse:
    """The pendamping's phone form: the month's obligations of a family's members, Ya/Tidak per
    obligation, a number where one is measured (attendance %, visits so far)."""
    household = household_get(user=request.user, pk=household_id)
    when = _month_or_404(month)
    if not may_record(request.user, household):
        raise PermissionDenied(_("Anda tidak dapat mencatat verifikasi untuk KPM ini."))
    current = month_start(timezone.localdate())
    if when > current:
        raise Http404(_("Bulan verifikasi tidak boleh di masa depan."))
    typed: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    problem = ""
    if request.method == "POST":
        typed = {k: str(request.POST.get(k, "")) for k in request.POST if k[:2] in ("o-", "v-")}
        entries: dict[tuple[int | None, str], FormEntry] = {}
        for key in {k[2:] for k in typed}:
            member, _sep, code = key.partition("-")
            if not member.isdigit():
                continue
            answer = typed.get(f"o-{key}", "")
            met = True if answer == "1" else False if answer == "0" else None
            value = _decimal(typed.get(f"v-{key}", ""))
            if value is not None and not value.is_finite():
                errors[key] = [_("Isi angka.")]
                continue
            if met is None and value is None:
                continue
            entries[(int(member), code)] = FormEntry(met=met, value=value)
        if not errors:
            try:
                result = verification_form_save(
                    household=household, month=when, entries=entries, acting_user=request.user
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
                else:
                    problem = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _("Verifikasi %(month)s tersimpan: %(new)d baru, %(fixed)d dikoreksi, %(same)d tetap.")
                    % {
                        "month": month_key(when),
                        "new": result.created,
                        "fixed": result.updated,
                        "same": result.unchanged,
                    },
                )
                return redirect(
                    reverse("compliance:sheet", args=[month_key(when)])
                    + (f"?pendamping={household.pendamping_id}" if household.pendamping_id else "")
                )
        problem = problem or _("Belum tersimpan. Periksa isian yang ditandai.")
    p2k2 = next((r for r in family_records(household, when) if r.member_id is None), None)
    previous, following = neighbours(when)
    return render(
        request,
        "compliance/form.html",
        {
            "household": household,
            "month": when,
            "month_key": month_key(when),
            "previous": previous,
            "following": following if when < current else "",
            "blocks": _form_rows(household, when, typed, errors),
            "p2k2": p2k2,
            "in_programme": household.status in VERIFIED_STATUSES,
            "problem": problem,
            "threshold": setting("compliance", "SCHOOL_ATTENDANCE_MIN_PERCENT"),
        },
        status=400 if problem else 200,
    )
