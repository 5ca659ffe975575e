"""Graduation pages: a family's graduation page and its assessment form (a phone in the field), the
proposal with its statement PDF and the signed scan, the korkab's queue and decision, the progress
against the target, and the readiness indicators. Every page is scoped: a family or proposal
outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.scope import region_in_scope, staff_of
from harapan.conf import setting
from harapan.registry.selectors import household_components_on, household_get

from .forms import AssessmentForm, DecisionForm, IndicatorForm, ProposalForm, StatementUploadForm
from .models import GraduationProposal, IndicatorKind, ReadinessIndicator
from .selectors import (
    LEVELS,
    active_indicators,
    carer_of,
    decision_queue,
    graduation_progress,
    household_proposals,
    latest_assessment,
    proposal_get,
    proposals_by,
)
from .services import (
    assessment_record,
    indicator_update,
    may_decide,
    may_edit_indicators,
    may_propose,
    proposal_cancel,
    proposal_decide,
    proposal_statement_upload,
    proposal_submit,
)
from .statement import statement_data, statement_pdf


def _put_errors(form: BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- The family's graduation page and the assessment ---------------------------------------------


def _met_labels(codes: list[str]) -> list[str]:
    labels = {i.code: i.label for i in ReadinessIndicator.objects.filter(code__in=codes)}
    return [labels.get(c, c) for c in codes]


@login_required
def family_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_pk)
    assessment = latest_assessment(household)
    proposals = list(household_proposals(household))
    open_proposal = next((p for p in proposals if p.is_open), None)
    can_propose = may_propose(request.user, household)
    return render(
        request,
        "graduation/family.html",
        {
            "household": household,
            "carer": carer_of(household),
            "assessment": assessment,
            "met": _met_labels(assessment.met) if assessment else [],
            "proposals": proposals,
            "open_proposal": open_proposal,
            "can_propose": can_propose,
            "proposal_form": ProposalForm() if can_propose and assessment and not open_proposal else None,
        },
    )


@login_required
def assessment_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_pk)
    if not may_propose(request.user, household):
        raise PermissionDenied(_("Anda tidak dapat menilai kesiapan graduasi KPM ini."))
    indicators = active_indicators()
    if request.method == "POST":
        form = AssessmentForm(request.POST, indicators=indicators)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                assessment = assessment_record(
                    household=household,
                    answers=form.answers(),
                    income_per_month=cd["income_per_month"],
                    need_per_month=cd["need_per_month"],
                    assessed_on=cd["assessed_on"],
                    business_type=cd["business_type"],
                    kpm_willing=cd["kpm_willing"],
                    notes=cd["notes"],
                    acting_user=request.user,
                )
            except ValidationError as e:
                _put_errors(form, e)
            else:
                if assessment.ready:
                    messages.success(
                        request,
                        _("Penilaian dicatat: KPM siap graduasi (skor %(s)d dari minimal %(m)d).")
                        % {"s": assessment.score, "m": assessment.min_score},
                    )
                else:
                    messages.warning(
                        request,
                        _("Penilaian dicatat: KPM belum siap graduasi (skor %(s)d dari minimal %(m)d).")
                        % {"s": assessment.score, "m": assessment.min_score},
                    )
                return redirect("graduation:family", household_pk=household.pk)
    else:
        today = timezone.localdate()
        components = household_components_on(household, today)
        initial: dict[str, object] = {"assessed_on": today}
        # The "no component left" indicator starts from what the registry derives today.
        for i in indicators:
            if i.code == "tanpa_komponen" and i.kind == IndicatorKind.YA_TIDAK:
                initial["i_" + i.code] = not components.has_any
        form = AssessmentForm(indicators=indicators, initial=initial)
    return render(
        request,
        "graduation/assessment.html",
        {
            "household": household,
            "carer": carer_of(household),
            "form": form,
            "indicators": indicators,
            "min_score": setting("graduation", "READY_MIN_SCORE"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def propose_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian usulan."))
        return redirect("graduation:family", household_pk=household.pk)
    try:
        proposal = proposal_submit(
            household=household,
            reason_category=form.cleaned_data["reason_category"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("graduation:family", household_pk=household.pk)
    messages.success(
        request,
        _("Graduasi mandiri diusulkan. Cetak surat pernyataan, minta tanda tangan, lalu unggah pindaiannya."),
    )
    return redirect("graduation:proposal", pk=proposal.pk)


# --- One proposal ----------------------------------------------------------------------------------


def _proposal_page(
    request: HttpRequest,
    proposal: GraduationProposal,
    *,
    upload_form: StatementUploadForm | None = None,
    decision_form: DecisionForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    staff = staff_of(request.user)
    is_proposer = staff is not None and proposal.proposed_by_id == staff.pk
    can_upload = proposal.is_open and may_propose(request.user, proposal.household)
    can_decide = may_decide(request.user, proposal)
    return render(
        request,
        "graduation/proposal.html",
        {
            "proposal": proposal,
            "household": proposal.household,
            "carer": carer_of(proposal.household),
            "assessment": proposal.assessment,
            "met": _met_labels(proposal.assessment.met),
            "upload_form": upload_form or (StatementUploadForm() if can_upload else None),
            "decision_form": decision_form or (DecisionForm() if can_decide else None),
            "default_effective": timezone.localdate()
            + dt.timedelta(days=setting("graduation", "EFFECTIVE_DAYS_AFTER_APPROVAL")),
            "can_cancel": proposal.is_open and is_proposer,
            "needs_signature": setting("graduation", "APPROVAL_REQUIRES_SIGNED_STATEMENT")
            and not proposal.statement_signed,
            "problem": problem,
        },
        status=status,
    )


@login_required
def proposal_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, proposal_get(user=request.user, pk=pk))


@login_required
def statement_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement for the carer to sign, as a PDF (only for a reader who may see the family)."""
    proposal = proposal_get(user=request.user, pk=pk)
    on = proposal.statement_signed_on or timezone.localdate()
    body = statement_pdf(statement_data(proposal, on=on))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="surat-pernyataan-graduasi-{proposal.household.pkh_id}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(user=request.user, pk=pk)
    form = StatementUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            proposal_statement_upload(
                proposal=proposal,
                scan=form.cleaned_data["scan"],
                signed_on=form.cleaned_data["signed_on"],
                acting_user=request.user,
            )
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("Pindaian surat pernyataan diunggah; usulan menunggu keputusan korkab."))
            return redirect("graduation:proposal", pk=pk)
    return _proposal_page(request, proposal, upload_form=form, status=400)


@require_POST
@login_required
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, decision_form=form, status=400)
    try:
        proposal = proposal_decide(
            proposal=proposal,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
            effective_on=form.cleaned_data.get("effective_on"),
            acting_user=request.user,
        )
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            _put_errors(form, e)
            return _proposal_page(request, proposal_get(user=request.user, pk=pk), decision_form=form, status=400)
        return _proposal_page(
            request,
            proposal_get(user=request.user, pk=pk),
            decision_form=form,
            problem=" ".join(e.messages),
            status=409,
        )
    if form.approve:
        messages.success(
            request,
            _("Usulan disetujui: KPM berstatus graduasi mandiri sejak %(on)s.")
            % {"on": proposal.effective_date.strftime("%d-%m-%Y") if proposal.effective_date else ""},
        )
    else:
        messages.success(request, _("Usulan ditolak."))
    return redirect("graduation:proposal", pk=pk)


@require_POST
@login_required
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(user=request.user, pk=pk)
    try:
        proposal_cancel(proposal=proposal, acting_user=request.user)
    except ValidationError as e:
        return _proposal_page(request, proposal, problem=" ".join(e.messages), status=409)
    messages.success(request, _("Usulan dibatalkan."))
    return redirect("graduation:proposal", pk=pk)


@login_required
def scan_view(request: HttpRequest, pk: int) -> FileResponse:
    """The signed statement's scan, only for a reader who may see the family."""
    proposal = proposal_get(user=request.user, pk=pk)
    if not proposal.statement_scan:
        raise Http404(_("Belum ada pindaian."))
    response = FileResponse(
        proposal.statement_scan.open("rb"), content_type=proposal.scan_content_type or "application/octet-stream"
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


# --- The queue, the progress, the indicators --------------------------------------------------------


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    """Proposals awaiting the korkab's decision, and the user's own proposals."""
    staff = staff_of(request.user)
    return render(
        request,
        "graduation/index.html",
        {
            "queue": list(decision_queue(request.user)[:200]),
            "decides": staff is not None and staff.role in setting("graduation", "DECIDE_ROLES"),
            "mine": list(proposals_by(request.user)[:100]),
        },
    )


@login_required
def progress_view(request: HttpRequest) -> HttpResponse:
    """Graduations of the year against the target per district, kecamatan and pendamping."""
    if staff_of(request.user) is None:
        raise PermissionDenied(_("Tidak berwenang."))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun", today.year))
    except ValueError:
        year = today.year
    if not 2007 <= year <= today.year:
        year = today.year
    region = request.GET.get("wilayah", "").strip()
    if region and not region_in_scope(request.user, region):
        raise Http404(_("Wilayah di luar wilayah kerja Anda."))
    as_of = min(today, dt.date(year, 12, 31))
    levels = {
        level: graduation_progress(request.user, level=level, year=year, as_of=as_of, region=region) for level in LEVELS
    }
    return render(
        request,
        "graduation/progress.html",
        {
            "year": year,
            "years": list(range(today.year, max(2007, today.year - 5) - 1, -1)),
            "region": region,
            "as_of": as_of,
            "districts": levels["kabupaten"],
            "kecamatan": levels["kecamatan"],
            "pendamping": levels["pendamping"],
            "target_percent": setting("graduation", "TARGET_PERCENT"),
        },
    )


@login_required
def indicators_view(request: HttpRequest) -> HttpResponse:
    """The readiness indicators; the ministry and Dinas Sosial change them here."""
    if staff_of(request.user) is None:
        raise PermissionDenied(_("Tidak berwenang."))
    can_edit = may_edit_indicators(request.user)
    forms: list[tuple[ReadinessIndicator, IndicatorForm | None]] = []
    problem_pk = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Peran Anda tidak dapat mengubah indikator kesiapan graduasi."))
        indicator = get_object_or_404(ReadinessIndicator, pk=request.POST.get("pk"))
        form = IndicatorForm(
            request.POST, instance=ReadinessIndicator.objects.get(pk=indicator.pk), prefix=f"i{indicator.pk}"
        )
        if form.is_valid():
            try:
                indicator_update(
                    indicator=indicator,
                    data={k: form.cleaned_data[k] for k in IndicatorForm.Meta.fields},
                    acting_user=request.user,
                )
            except ValidationError as e:
                _put_errors(form, e)
            else:
                messages.success(request, _("Indikator disimpan."))
                return redirect("graduation:indicators")
        problem_pk = indicator.pk
        forms.append((indicator, form))
    for i in ReadinessIndicator.objects.order_by("order", "code"):
        if i.pk != problem_pk:
            forms.append((i, IndicatorForm(instance=i, prefix=f"i{i.pk}") if can_edit else None))
    forms.sort(key=lambda pair: (pair[0].order, pair[0].code))
    return render(
        request,
        "graduation/indicators.html",
        {"rows": forms, "can_edit": can_edit, "min_score": setting("graduation", "READY_MIN_SCORE")},
        status=400 if problem_pk else 200,
    )
