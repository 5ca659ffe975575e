"""Referral pages (``/rujukan/``): the list with filters, a family's referrals and coverage with the
suggested referrals, the new-referral form, one referral with its follow-up (htmx swaps the status
block in place; without JavaScript the forms post and redirect), the coverage summary per region,
and the programmes. Every page is scoped: a family or referral outside the reader's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.scope import region_in_scope, region_prefix, staff_of
from harapan.regions.selectors import region_ancestors, region_get
from harapan.registry.models import Household
from harapan.registry.selectors import CHILD_CODE_LENGTH, household_get

from .forms import (
    AcceptForm,
    CompleteForm,
    CoverageEndForm,
    CoverageForm,
    ProgrammeForm,
    ReferralFilterForm,
    ReferralForm,
    RejectForm,
)
from .models import Programme, Referral, ReferralStatus
from .selectors import (
    coverage_by_region,
    coverage_gaps,
    coverage_get,
    household_coverages,
    household_referrals,
    programmes,
    referral_counts,
    referral_get,
    referral_list,
)
from .services import (
    PROGRAMME_FIELDS,
    coverage_add,
    coverage_end,
    may_edit_programmes,
    may_follow_up,
    may_record_coverage,
    may_refer,
    programme_create,
    programme_update,
    referral_accept,
    referral_complete,
    referral_create,
    referral_reject,
)

PAGE_SIZE = 50


def _put_errors(form: BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, errors)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- The list ------------------------------------------------------------------------------------


@login_required
def list_view(request: HttpRequest) -> HttpResponse:
    """The referrals the reader may see, newest first, filtered by status, programme and a search."""
    form = ReferralFilterForm(request.GET or None)
    status = programme = query = ""
    if form.is_valid():
        status, programme, query = form.cleaned_data["status"], form.cleaned_data["programme"], form.cleaned_data["q"]
    qs = referral_list(user=request.user, status=status, programme=programme, query=query)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/list.html",
        {"form": form, "page": page, "filtered": bool(status or programme or query)},
    )


# --- A family's referrals and coverage -------------------------------------------------------------


def _family_context(
    request: HttpRequest, household: Household, *, coverage_form: CoverageForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    coverages = list(household_coverages(household))
    can_record = may_record_coverage(request.user, household)
    return {
        "household": household,
        "carer": household.members.filter(is_carer=True).first(),
        "active": [c for c in coverages if c.covers(today)],
        "ended": [c for c in coverages if not c.covers(today)],
        "referrals": list(household_referrals(household)),
        "gaps": coverage_gaps(household, on=today),
        "can_refer": may_refer(request.user, household),
        "can_record": can_record,
        "coverage_form": coverage_form or (CoverageForm(household=household) if can_record else None),
        "end_form": CoverageEndForm() if can_record else None,
    }


@login_required
def family_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_pk)
    return render(request, "referrals/family.html", _family_context(request, household))


@login_required
def create_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    """A new referral from a family: the family fixed, the member chosen among its own members, and
    the suggested referrals (gaps) shown beside the form."""
    household = household_get(user=request.user, pk=household_pk)
    if not may_refer(request.user, household):
        raise PermissionDenied(_("Anda tidak dapat merujuk KPM ini."))
    if request.method == "POST":
        form = ReferralForm(request.POST, household=household)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                referral = referral_create(
                    household=household,
                    programme=cd["programme"],
                    member=cd["member"],
                    referred_on=cd["referred_on"],
                    note=cd["note"],
                    acting_user=request.user,
                )
            except ValidationError as e:
                _put_errors(form, e)
            else:
                messages.success(request, _("Rujukan ke %(p)s dicatat (dirujuk).") % {"p": referral.programme.name})
                return redirect("referrals:detail", pk=referral.pk)
    else:
        initial: dict[str, Any] = {"referred_on": timezone.localdate()}
        if request.GET.get("program"):
            initial["programme"] = request.GET["program"]
        if request.GET.get("anggota", "").isdigit():
            initial["member"] = int(request.GET["anggota"])
        form = ReferralForm(household=household, initial=initial)
    return render(
        request,
        "referrals/create.html",
        {
            "household": household,
            "form": form,
            "gaps": coverage_gaps(household),
            "programmes": programmes(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def coverage_add_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_pk)
    if not may_record_coverage(request.user, household):
        raise PermissionDenied(_("Anda tidak dapat mencatat kepesertaan KPM ini."))
    form = CoverageForm(request.POST, household=household)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            coverage = coverage_add(
                household=household,
                programme=cd["programme"],
                member=cd["member"],
                since=cd["since"],
                card_number=cd["card_number"],
                note=cd["note"],
                acting_user=request.user,
            )
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("Kepesertaan %(p)s dicatat.") % {"p": coverage.programme.name})
            return redirect("referrals:family", household_pk=household.pk)
    return render(request, "referrals/family.html", _family_context(request, household, coverage_form=form), status=400)


@require_POST
@login_required
def coverage_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    coverage = coverage_get(user=request.user, pk=pk)
    form = CoverageEndForm(request.POST)
    if form.is_valid():
        try:
            coverage_end(
                coverage=coverage,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Kepesertaan %(p)s diakhiri.") % {"p": coverage.programme.name})
    else:
        messages.error(request, _("Isi tanggal berakhir yang sah."))
    return redirect("referrals:family", household_pk=coverage.household_id)


# --- One referral and its follow-up ----------------------------------------------------------------


def _status_context(
    request: HttpRequest, referral: Referral, *, forms: dict[str, BaseForm] | None = None, problem: str = ""
) -> dict[str, Any]:
    can = may_follow_up(request.user, referral)
    forms = forms or {}
    return {
        "referral": referral,
        "household": referral.household,
        "can_follow_up": can,
        "accept_form": forms.get("accept")
        or (AcceptForm(prefix="accept") if can and referral.status == ReferralStatus.DIRUJUK else None),
        "complete_form": forms.get("complete")
        or (CompleteForm(prefix="complete") if can and referral.status == ReferralStatus.DITERIMA else None),
        "reject_form": forms.get("reject") or (RejectForm(prefix="reject") if can else None),
        "problem": problem,
    }


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get(user=request.user, pk=pk)
    return render(request, "referrals/detail.html", _status_context(request, referral))


def _follow_up(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Post one follow-up (accept, complete, reject). With htmx the status block is answered in place
    (errors included, status 200 so htmx swaps it); without, a redirect or the page with its errors."""
    referral = referral_get(user=request.user, pk=pk)
    form_class = {"accept": AcceptForm, "complete": CompleteForm, "reject": RejectForm}[kind]
    form = form_class(request.POST, prefix=kind)
    problem = ""
    if form.is_valid():
        cd = form.cleaned_data
        try:
            if kind == "accept":
                referral_accept(
                    referral=referral, accepted_on=cd["accepted_on"], note=cd["note"], acting_user=request.user
                )
                done = _("Rujukan dicatat diterima.")
            elif kind == "complete":
                referral_complete(
                    referral=referral,
                    closed_on=cd["closed_on"],
                    outcome=cd["outcome"],
                    card_number=cd["card_number"],
                    acting_user=request.user,
                )
                done = _("Rujukan selesai; kepesertaan %(p)s dibuka.") % {"p": referral.programme.name}
            else:
                referral_reject(
                    referral=referral, closed_on=cd["closed_on"], reason=cd["outcome"], acting_user=request.user
                )
                done = _("Rujukan dicatat ditolak.")
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                _put_errors(form, e)
            else:
                problem = " ".join(e.messages)
        else:
            referral = referral_get(user=request.user, pk=pk)
            if _is_htmx(request):
                context = _status_context(request, referral)
                context["done"] = done
                return render(request, "referrals/_status.html", context)
            messages.success(request, done)
            return redirect("referrals:detail", pk=pk)
    referral = referral_get(user=request.user, pk=pk)
    context = _status_context(request, referral, forms={kind: form}, problem=problem)
    if _is_htmx(request):
        return render(request, "referrals/_status.html", context)
    return render(request, "referrals/detail.html", context, status=409 if problem else 400)


@require_POST
@login_required
def accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up(request, pk, "accept")


@require_POST
@login_required
def complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up(request, pk, "complete")


@require_POST
@login_required
def reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up(request, pk, "reject")


# --- The coverage summary per region ----------------------------------------------------------------


@login_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    """Families covered per programme, region by region one level below the chosen region (a
    korkab's kecamatan, then a kecamatan's desa), with the referrals by programme and status."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied(_("Tidak berwenang."))
    within = request.GET.get("wilayah", "").strip() or region_prefix(staff) or ""
    if within and not region_in_scope(request.user, within):
        raise Http404(_("Wilayah di luar wilayah kerja Anda."))
    region = region_get(within) if within else None
    if within and region is None:
        raise Http404(_("Wilayah tidak ditemukan."))
    today = timezone.localdate()
    rows = coverage_by_region(
        request.user, within=within or None, child_length=CHILD_CODE_LENGTH[len(within)], on=today
    )
    active = programmes()
    total_families = sum(r.families for r in rows)
    totals = {p.code: sum(r.covered.get(p.code, 0) for r in rows) for p in active}
    # Referral counts are by region, so a pendamping (whose scope is their families, not an area)
    # sees them for their own families only.
    counts = referral_counts(within or None, pendamping_id=staff.pk if staff.role == "pendamping" else None)
    return render(
        request,
        "referrals/coverage.html",
        {
            "region": region,
            "places": region_ancestors(within) if within else [],
            "table": [(r, [(p, r.covered.get(p.code, 0), r.share(p.code)) for p in active]) for r in rows],
            "programmes": active,
            "total_families": total_families,
            "totals": [
                (p, totals[p.code], totals[p.code] * 100 // total_families if total_families else 0) for p in active
            ],
            "counts": [(p, counts["programmes"].get(p.code, {})) for p in active],
            "counts_total": counts["total"],
            "drillable": len(within) < 13,
            "on": today,
        },
    )


# --- Programmes -------------------------------------------------------------------------------------


@login_required
def programmes_view(request: HttpRequest) -> HttpResponse:
    if staff_of(request.user) is None:
        raise PermissionDenied(_("Tidak berwenang."))
    return render(
        request,
        "referrals/programmes.html",
        {"programmes": programmes(active_only=False), "can_edit": may_edit_programmes(request.user)},
    )


@login_required
def programme_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add (``pk`` None) or change a programme; korkab, Dinas Sosial and the ministry only."""
    if not may_edit_programmes(request.user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengubah daftar program komplementer."))
    programme = get_object_or_404(Programme, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = ProgrammeForm(request.POST, instance=Programme.objects.get(pk=pk) if pk else None)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in PROGRAMME_FIELDS}
            try:
                if programme is None:
                    programme_create(code=form.cleaned_data["code"], data=data, acting_user=request.user)
                else:
                    programme_update(programme=programme, data=data, acting_user=request.user)
            except ValidationError as e:
                _put_errors(form, e)
            else:
                messages.success(request, _("Program disimpan."))
                return redirect("referrals:programmes")
    else:
        form = ProgrammeForm(instance=programme)
    return render(
        request,
        "referrals/programme_form.html",
        {"form": form, "programme": programme},
        status=400 if request.method == "POST" else 200,
    )
