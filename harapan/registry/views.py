"""Family pages: search/list, detail (members, components, status and audit history, the family's
pemutakhiran), and the status-change form. Every read goes through ``selectors`` (the reader's
scope); every write through ``services`` (scope, role, transaction, audit). Family data itself is
changed only by an import or an approved pemutakhiran (``harapan.updates``), never by a direct
edit form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import staff_of
from harapan.audit.labels import action_label, field_label, value_label
from harapan.audit.models import AuditEvent
from harapan.regions.selectors import normalize_code, region_ancestors, region_children, region_get

from .forms import FamilySearchForm, HouseholdStatusForm, ReferenceDateForm, add_service_errors
from .models import Household, HouseholdStatus, Member
from .rules import KOMPONEN_LABELS, age_on
from .selectors import household_components_on, household_get, household_list, with_carer_and_member_count
from .services import STATUS_ROLES, household_set_status

PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 20
# --- Search and list ---------------------------------------------------------------------------


def _region_filter_choices(staff: Staff | None, selected: str) -> list[tuple[str, str]]:
    """The regions one level below the user's working area, for the list filter."""
    if staff is None:
        return []
    area = None if staff.role == Role.MINISTRY else staff.region_id
    choices = [(r.code, f"{r.name} ({r.code})") for r in region_children(area).only("code", "name")]
    if selected and selected not in dict(choices):
        region = region_get(selected)
        if region is not None:
            choices.insert(0, (region.code, f"{region.name} ({region.code})"))
    return choices


@login_required
def household_list_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    region = normalize_code(request.GET.get("region", "")) if request.GET.get("region") else ""
    form = FamilySearchForm(request.GET or None, region_choices=_region_filter_choices(staff, region))
    query = status = ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    qs = with_carer_and_member_count(household_list(user=request.user, query=query, region=region, status=status))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/household_list.html",
        {"form": form, "page": page, "region": region_get(region) if region else None, "query": query},
    )


# --- Detail ------------------------------------------------------------------------------------

SOURCE_LABELS = {
    "web": gettext_lazy("Web"),
    "api": gettext_lazy("API"),
    "seed": gettext_lazy("Data awal"),
    "command": gettext_lazy("Perintah"),
    "meetings": gettext_lazy("Pertemuan P2K2"),
}


def _source_label(source: str) -> str:
    kind, _sep, ref = source.partition(":")
    if kind == "import":
        return _("Impor #%(ref)s") % {"ref": ref}
    if kind == "pemutakhiran":
        return _("Pemutakhiran #%(ref)s") % {"ref": ref}
    return str(SOURCE_LABELS.get(source, source))


def _field_value(model: type[Model], name: str, value: Any, staff_names: dict[int, str]) -> str:
    if value in (None, "", {}):
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dict):  # a dated fact, e.g. {"jenjang": "SD", "sejak": "2026-01-01"}
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if name == "pendamping":
        return staff_names.get(value, str(value))
    if name == "desa" and isinstance(value, str):
        region = region_get(value)
        return f"{region.name} ({value})" if region else value
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a key another app wrote (e.g. an attendance mark) or an importer's note
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value_label(name, value) or str(value)
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))


def _field_label(model: type[Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return field_label(name) or name


@dataclass
class AuditRow:
    event: AuditEvent
    action: str
    actor: str
    source: str
    subject: str
    changes: list[tuple[str, str, str]]


def _audit_rows(events: list[AuditEvent], members: dict[int, Member]) -> list[AuditRow]:
    staff_ids = {v for e in events for side in (e.before, e.after) if isinstance(v := side.get("pendamping"), int)}
    staff_names = {pk: s.full_name for pk, s in Staff.objects.in_bulk(staff_ids).items()} if staff_ids else {}
    rows = []
    for e in events:
        model: type[Model] = Member if e.object_type == "member" else Household
        subject = ""
        if e.object_type == "member":
            member = members.get(int(e.object_id)) if e.object_id.isdigit() else None
            subject = member.name if member else _("anggota #%(id)s") % {"id": e.object_id}
        actor = "—"
        if e.actor is not None:
            staff = getattr(e.actor, "staff", None)
            actor = f"{staff.full_name} ({staff.get_role_display()})" if staff else e.actor.get_username()
        keys = list(dict.fromkeys([*e.before, *e.after]))
        changes = [
            (
                _field_label(model, k),
                _field_value(model, k, e.before.get(k), staff_names),
                _field_value(model, k, e.after.get(k), staff_names),
            )
            for k in keys
        ]
        rows.append(
            AuditRow(
                event=e,
                action=action_label(e.action),
                actor=actor,
                source=_source_label(e.source),
                subject=subject,
                changes=changes,
            )
        )
    return rows


def _detail_context(
    request: HttpRequest,
    household: Household,
    *,
    status_form: HouseholdStatusForm | None = None,
) -> dict[str, Any]:
    staff = staff_of(request.user)
    date_form = ReferenceDateForm(request.GET or None)
    on = date_form.reference_date()
    members = list(household.members.all())
    components = household_components_on(household, on)
    counts = components.counts()
    member_rows = [
        {
            "member": m,
            "age": age_on(m.birth_date, on) if m.birth_date <= on else None,
            "components": [_(KOMPONEN_LABELS[c]) for c in components.by_member.get(m.pk, [])],
        }
        for m in members
    ]
    events = (
        AuditEvent.objects.filter(household=household).select_related("actor", "actor__staff").order_by("-at", "-id")
    )
    audit_page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("audit_page"))
    can_set_status = staff is not None and staff.role in STATUS_ROLES
    return {
        "household": household,
        "places": region_ancestors(household.desa_id),
        "member_rows": member_rows,
        "date_form": date_form,
        "on": on,
        "component_counts": [(str(k), _(label), counts[k]) for k, label in KOMPONEN_LABELS.items() if counts.get(k)],
        "status_periods": list(household.status_history.order_by("-valid_from", "-id")),
        "audit_page": audit_page,
        "audit_rows": _audit_rows(list(audit_page.object_list), {m.pk: m for m in members}),
        "status_form": status_form or (HouseholdStatusForm(household=household) if can_set_status else None),
    }


@login_required
def household_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    return render(request, "registry/household_detail.html", _detail_context(request, household))


# --- Writes ------------------------------------------------------------------------------------


@require_POST
@login_required
def household_set_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    staff = staff_of(request.user)
    if staff is None or staff.role not in STATUS_ROLES:
        raise PermissionDenied(_("Hanya operator, korkab atau Dinas Sosial yang dapat mengubah status KPM."))
    form = HouseholdStatusForm(request.POST, household=household)
    if form.is_valid():
        try:
            household_set_status(
                household=household,
                status=form.cleaned_data["status"],
                valid_from=form.cleaned_data["valid_from"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                source="web",
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Status KPM diubah menjadi %(status)s.")
                % {"status": HouseholdStatus(form.cleaned_data["status"]).label},
            )
            return redirect("registry:detail", pk=household.pk)
    return render(request, "registry/household_detail.html", _detail_context(request, household, status_form=form))
