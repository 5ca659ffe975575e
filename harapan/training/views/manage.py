"""Pages of the centre, the korkab and the readers: the training index, programmes and their
question bank and materials, cohorts with quotas, nominations and decisions, results and their
XLSX, certificates and the pendamping's training profile. Every page is scoped (selectors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import staff_of

from .. import selectors, services
from ..certificate import certificate_data, certificate_pdf
from ..export import results_xlsx
from ..forms import CohortForm, MaterialForm, NominateForm, ProgrammeForm, QuestionForm, QuotaForm
from ..models import CentreStaff, CohortStatus, ParticipantStatus, ProgrammeSession, Question
from ..rules import days_left


def put_errors(form: BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    centre = selectors.centre_of(staff)
    return render(
        request,
        "training/index.html",
        {
            "own": list(selectors.own_participations(request.user)),
            "cohorts": list(selectors.cohort_list(request.user)[:200]),
            "programmes": list(selectors.programme_list(request.user).order_by("name")),
            "centre": centre,
            "can_create": staff is not None
            and (staff.role == Role.MINISTRY or (staff.role == Role.BALAI_DIKLAT and centre is not None)),
            "trained": staff is not None and staff.role == Role.PENDAMPING and selectors.trained_for_p2k2(staff),
        },
    )


# --- Programmes, question bank, materials ---------------------------------------------------------


@login_required
def programme_create_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None or staff.role not in (Role.BALAI_DIKLAT, Role.MINISTRY):
        raise PermissionDenied(_("Hanya balai diklat yang membuat program diklat."))
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        rules = {k: cd[k] for k in form.Meta.fields if k not in ("name",)}
        try:
            programme = services.programme_create(
                name=cd["name"],
                from_curriculum=cd["from_curriculum"],
                session_titles=form.titles(),
                acting_user=request.user,
                **rules,
            )
        except ValidationError as e:
            put_errors(form, e)
        else:
            messages.success(request, _("Program %(n)s dibuat.") % {"n": programme.name})
            return redirect("training:programme", pk=programme.pk)
    return render(request, "training/programme_form.html", {"form": form})


@login_required
def programme_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    sessions = selectors.programme_sessions(programme)
    counts = {
        s.pk: (s.questions.filter(is_active=True).count(), s.materials.count()) for s in sessions
    }  # 14 sessions: small
    return render(
        request,
        "training/programme.html",
        {
            "programme": programme,
            "rows": [(s, *counts[s.pk]) for s in sessions],
            "can_edit": services.may_edit_programme(request.user, programme),
            "cohorts": programme.cohorts.filter(selectors.cohort_q(request.user)).order_by("-number"),
        },
    )


def _session_for_editor(request: HttpRequest, pk: int) -> ProgrammeSession:
    session = get_object_or_404(ProgrammeSession.objects.select_related("programme"), pk=pk)
    if not services.may_edit_programme(request.user, session.programme):
        raise Http404(_("Sesi tidak ditemukan."))
    return session


@login_required
def session_bank_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's question bank and materials, for its editors (centre, facilitators)."""
    session = _session_for_editor(request, pk)
    qform = QuestionForm(request.POST if request.POST.get("form") == "question" else None, prefix="q")
    mform = MaterialForm(
        request.POST if request.POST.get("form") == "material" else None,
        request.FILES if request.POST.get("form") == "material" else None,
        prefix="m",
    )
    if request.method == "POST":
        try:
            if qform.is_bound and qform.is_valid():
                services.question_create(
                    session=session,
                    text=qform.cleaned_data["text"],
                    choices=qform.choices(),
                    acting_user=request.user,
                )
                messages.success(request, _("Soal ditambahkan."))
                return redirect("training:session_bank", pk=session.pk)
            if mform.is_bound and mform.is_valid():
                cd = mform.cleaned_data
                services.material_create(
                    session=session,
                    title=cd["title"],
                    kind=cd["kind"],
                    file=cd.get("file"),
                    url=cd.get("url") or "",
                    body=cd.get("body") or "",
                    acting_user=request.user,
                )
                messages.success(request, _("Materi ditambahkan."))
                return redirect("training:session_bank", pk=session.pk)
        except ValidationError as e:
            put_errors(qform if qform.is_bound else mform, e)
    return render(
        request,
        "training/session_bank.html",
        {
            "session": session,
            "questions": session.questions.prefetch_related("choices").order_by("-is_active", "pk"),
            "materials": session.materials.all(),
            "qform": qform,
            "mform": mform,
        },
    )


@login_required
@require_POST
def question_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("session__programme"), pk=pk)
    if not services.may_edit_programme(request.user, question.session.programme):
        raise Http404(_("Soal tidak ditemukan."))
    services.question_deactivate(question=question, acting_user=request.user)
    messages.success(request, _("Soal tidak lagi diundi untuk tes baru."))
    return redirect("training:session_bank", pk=question.session_id)


# --- Cohorts --------------------------------------------------------------------------------------


@login_required
def cohort_create_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    centre = selectors.centre_of(staff)
    if staff is None or not (staff.role == Role.MINISTRY or (staff.role == Role.BALAI_DIKLAT and centre)):
        raise PermissionDenied(_("Hanya balai diklat yang membuat angkatan."))
    facilitators = Staff.objects.filter(role=Role.FASILITATOR, is_active=True)
    if centre is not None:
        facilitators = facilitators.filter(pk__in=CentreStaff.objects.filter(centre=centre).values("staff_id"))
    form = CohortForm(
        request.POST or None,
        programmes=selectors.programme_list(request.user).filter(is_active=True).order_by("name"),
        facilitators=facilitators.order_by("full_name"),
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            cohort = services.cohort_create(
                programme=cd["programme"],
                number=cd["number"],
                starts_on=cd["starts_on"],
                ends_on=cd["ends_on"],
                centre=centre,
                facilitators=list(cd["facilitators"]),
                acting_user=request.user,
            )
        except ValidationError as e:
            put_errors(form, e)
        else:
            messages.success(request, _("Angkatan dibuat. Tetapkan kuota per kabupaten/kota."))
            return redirect("training:cohort", pk=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form})


@login_required
def cohort_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    staff = staff_of(request.user)
    if staff is not None and staff.role == Role.PENDAMPING:
        own = selectors.own_participations(request.user).filter(cohort=cohort).first()
        if own is not None and own.status in (
            ParticipantStatus.CONFIRMED,
            ParticipantStatus.PASSED,
            ParticipantStatus.FAILED,
        ):
            return redirect("training:learn", participant_pk=own.pk)
    manages = services.may_manage_cohort(request.user, cohort)
    nominates = services.may_nominate(request.user, cohort)
    usage = selectors.quota_usage(cohort)
    quotas = [(q, usage.get(q.region_id, 0)) for q in cohort.quotas.select_related("region").order_by("region_id")]
    participants = list(selectors.participant_list(request.user, cohort))
    return render(
        request,
        "training/cohort.html",
        {
            "cohort": cohort,
            "facilitators": cohort.facilitators.order_by("full_name"),
            "quotas": quotas,
            "participants": participants,
            "manages": manages,
            "facilitates": services.may_facilitate(request.user, cohort),
            "nominates": nominates,
            "quota_form": QuotaForm(prefix="quota") if manages else None,
            "nominate_form": NominateForm(pendamping=selectors.nominable_pendamping(request.user, cohort), prefix="nom")
            if nominates
            else None,
            "open": cohort.status in (CohortStatus.PLANNED, CohortStatus.RUNNING),
            "days_left": days_left(cohort.ends_on, timezone.localdate()),
            "korkab_region": staff.region_id if staff is not None and staff.role == Role.KORKAB else None,
        },
    )


@login_required
@require_POST
def quota_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    form = QuotaForm(request.POST, prefix="quota")
    if form.is_valid():
        try:
            services.quota_set(
                cohort=cohort,
                region_code=form.cleaned_data["region"].code,
                places=form.cleaned_data["places"],
                acting_user=request.user,
            )
            messages.success(request, _("Kuota disimpan."))
        except ValidationError as e:
            error_message(request, e)
    else:
        messages.error(request, _("Pilih kabupaten/kota dan jumlah tempat."))
    return redirect("training:cohort", pk=cohort.pk)


@login_required
@require_POST
def nominate_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    if not services.may_nominate(request.user, cohort):
        raise PermissionDenied(_("Anda tidak dapat menominasikan peserta untuk angkatan ini."))
    # Any pendamping may be posted; the service refuses those of another kabupaten/kota.
    form = NominateForm(request.POST, pendamping=Staff.objects.filter(role=Role.PENDAMPING), prefix="nom")
    if form.is_valid():
        try:
            services.participant_nominate(
                cohort=cohort, pendamping=form.cleaned_data["pendamping"], acting_user=request.user
            )
            messages.success(request, _("Pendamping dinominasikan; menunggu konfirmasi balai diklat."))
        except ValidationError as e:
            error_message(request, e)
    else:
        messages.error(request, _("Pilih pendamping."))
    return redirect("training:cohort", pk=cohort.pk)


@login_required
@require_POST
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk)
    decision = request.POST.get("decision")
    try:
        if decision == "mundur":
            services.participant_withdraw(
                participant=participant, acting_user=request.user, note=request.POST.get("note", "")
            )
        elif decision in ("konfirmasi", "tolak"):
            services.participant_decide(
                participant=participant,
                confirm=decision == "konfirmasi",
                acting_user=request.user,
                note=request.POST.get("note", ""),
            )
        else:
            raise ValidationError(_("Keputusan tidak dikenal."))
        messages.success(request, _("Keputusan disimpan."))
    except ValidationError as e:
        error_message(request, e)
    return redirect("training:cohort", pk=participant.cohort_id)


@login_required
@require_POST
def cohort_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    try:
        services.cohort_start(cohort=cohort, acting_user=request.user)
        messages.success(request, _("Angkatan dimulai."))
    except ValidationError as e:
        error_message(request, e)
    return redirect("training:cohort", pk=cohort.pk)


@login_required
@require_POST
def cohort_finish_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    try:
        counts = services.cohort_finish(cohort=cohort, acting_user=request.user)
        messages.success(
            request,
            _("Angkatan selesai: %(l)d lulus, %(t)d tidak lulus.") % {"l": counts["lulus"], "t": counts["tidak_lulus"]},
        )
    except ValidationError as e:
        error_message(request, e)
    return redirect("training:results", pk=cohort.pk)


# --- Results, certificates, profile ---------------------------------------------------------------


@login_required
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    staff = staff_of(request.user)
    if staff is not None and staff.role == Role.PENDAMPING:
        raise Http404(_("Angkatan tidak ditemukan."))  # a pendamping sees only their own results
    results = selectors.cohort_results(request.user, cohort, today=timezone.localdate())
    return render(
        request,
        "training/results.html",
        {
            "cohort": cohort,
            "results": results,
            "finished": cohort.status == CohortStatus.FINISHED,
            "manages": services.may_manage_cohort(request.user, cohort),
        },
    )


@login_required
def results_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(request.user, pk)
    staff = staff_of(request.user)
    if staff is not None and staff.role == Role.PENDAMPING:
        raise Http404(_("Angkatan tidak ditemukan."))
    results = selectors.cohort_results(request.user, cohort, today=timezone.localdate())
    body = results_xlsx(cohort, results)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="hasil-angkatan-{cohort.pk}.xlsx"'
    return response


def may_download_certificate(user: object, participant: object) -> bool:
    """The participant, the staff of the cohort's centre (and the ministry), and the korkab of the
    participant's kabupaten/kota."""
    from ..models import Participant

    assert isinstance(participant, Participant)
    me = staff_of(user)
    if me is None:
        return False
    if me.pk == participant.staff_id:
        return True
    if services.may_manage_cohort(user, participant.cohort):
        return True
    return me.role == Role.KORKAB and me.region_id == participant.region_id


@login_required
def certificate_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    participant = selectors.participant_get(request.user, pk)
    if not may_download_certificate(request.user, participant):
        raise PermissionDenied(_("Anda tidak dapat mengunduh sertifikat ini."))
    if participant.status != ParticipantStatus.PASSED or not participant.certificate_number:
        raise Http404(_("Sertifikat belum ada untuk peserta ini."))
    pdf = certificate_pdf(certificate_data(participant))
    import io

    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=False,
        filename=f"sertifikat-{participant.certificate_number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )


@login_required
def profile_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    pendamping = selectors.profile_staff_get(request.user, staff_id)
    trainings = list(selectors.staff_trainings(request.user, pendamping))
    return render(
        request,
        "training/profile.html",
        {
            "pendamping": pendamping,
            "trainings": [(t, may_download_certificate(request.user, t)) for t in trainings],
            "trained": selectors.trained_for_p2k2(pendamping),
            "is_me": staff_of(request.user) == pendamping,
        },
    )
