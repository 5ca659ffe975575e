"""Curriculum pages: the catalogue taught in the user's kabupaten/kota, one session with its
materials and knowledge questions, the page to manage them, and the form for a kabupaten's own
muatan lokal module."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.models import Role
from harapan.accounts.scope import require_role, staff_of
from harapan.regions.selectors import region_get
from harapan.registry.forms import add_service_errors

from ..forms import CHOICES_SHOWN, LocalModuleForm, MaterialForm, QuestionForm
from ..models import ModuleKind, Session
from ..selectors import curriculum_for, next_session_after, session_for, user_kabupaten
from ..services import (
    LOCAL_MODULE_ROLES,
    local_module_create,
    may_edit_session_content,
    question_add,
    question_remove,
    session_material_add,
    session_material_remove,
)


@login_required
def catalogue_view(request: HttpRequest) -> HttpResponse:
    kabupaten = user_kabupaten(request.user)
    modules = curriculum_for(kabupaten) if staff_of(request.user) is not None else []
    staff = staff_of(request.user)
    return render(
        request,
        "p2k2/catalogue.html",
        {
            "modules": modules,
            "kabupaten": region_get(kabupaten) if kabupaten else None,
            "can_add_local": staff is not None and staff.role in LOCAL_MODULE_ROLES,
            "inti": ModuleKind.INTI,
            "progress_area": _progress_area(staff),
        },
    )


def _progress_area(staff: object) -> str | None:
    """The area whose P2K2 progress the catalogue links to: a pendamping's kecamatan, a
    kabupaten role's kabupaten; none for province and ministry (they pick an area)."""
    role = getattr(staff, "role", None)
    region = getattr(staff, "region_id", None)
    if role is None or region is None or role in (Role.DINSOS_PROV, Role.MINISTRY):
        return None
    return str(region)


@login_required
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for(request.user, pk)
    if session is None:
        raise Http404(_("Sesi tidak ditemukan."))
    return render(
        request,
        "p2k2/session_detail.html",
        {
            "session": session,
            "module": session.module,
            "next_session": next_session_after(session),
            "can_edit": may_edit_session_content(request.user, session),
        },
    )


def _editable_session(request: HttpRequest, pk: int) -> Session:
    session = session_for(request.user, pk)
    if session is None:
        raise Http404(_("Sesi tidak ditemukan."))
    if not may_edit_session_content(request.user, session):
        raise PermissionDenied(_("Materi dan pertanyaan sesi ini dikelola oleh pemilik modulnya."))
    return session


@login_required
def session_manage_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Add materials (a file or a link) and knowledge questions to a session; remove them. A
    kabupaten's own module: its Dinas Sosial, korkab and operator; a national one: the ministry."""
    session = _editable_session(request, pk)
    which = request.POST.get("form") if request.method == "POST" else None
    material_form = (
        MaterialForm(request.POST or None, request.FILES or None, prefix="m")
        if which == "materi"
        else MaterialForm(prefix="m")
    )
    question_form = (
        QuestionForm(request.POST or None, prefix="q") if which == "pertanyaan" else QuestionForm(prefix="q")
    )
    if which == "materi" and material_form.is_valid():
        try:
            material = session_material_add(
                session=session,
                title=material_form.cleaned_data["title"],
                file=material_form.cleaned_data.get("file"),
                url=material_form.cleaned_data.get("url") or "",
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(material_form, error)
        else:
            messages.success(request, _("Materi %(title)s ditambahkan.") % {"title": material.title})
            return redirect("p2k2:session_manage", pk=session.pk)
    if which == "pertanyaan" and question_form.is_valid():
        try:
            question = question_add(
                session=session,
                text=question_form.cleaned_data["text"],
                choices=question_form.choices(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(question_form, error)
        else:
            messages.success(request, _("Pertanyaan %(n)d ditambahkan.") % {"n": question.order})
            return redirect("p2k2:session_manage", pk=session.pk)
    choice_rows = [
        (i, question_form[f"choice_{i}"], str(question_form["correct"].value() or "") == str(i))
        for i in range(1, CHOICES_SHOWN + 1)
    ]
    return render(
        request,
        "p2k2/session_manage.html",
        {
            "session": session,
            "module": session.module,
            "material_form": material_form,
            "question_form": question_form,
            "choice_rows": choice_rows,
        },
        status=400 if which else 200,
    )


@login_required
@require_POST
def material_remove_view(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    session = _editable_session(request, pk)
    material = session.materials.filter(pk=material_id).first()
    if material is None:
        raise Http404(_("Materi tidak ditemukan."))
    session_material_remove(material=material, acting_user=request.user)
    messages.success(request, _("Materi %(title)s dihapus.") % {"title": material.title})
    return redirect(reverse("p2k2:session_manage", args=[session.pk]))


@login_required
@require_POST
def question_remove_view(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    session = _editable_session(request, pk)
    question = session.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404(_("Pertanyaan tidak ditemukan."))
    question_remove(question=question, acting_user=request.user)
    messages.success(request, _("Pertanyaan dihapus."))
    return redirect(reverse("p2k2:session_manage", args=[session.pk]))


@login_required
def local_module_create_view(request: HttpRequest) -> HttpResponse:
    staff = require_role(request.user, *LOCAL_MODULE_ROLES)
    region = region_get(str(staff.region_id)) if staff.region_id else None
    form = LocalModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = local_module_create(
                region=str(staff.region_id),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                sessions=form.session_titles(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Modul muatan lokal %(title)s ditambahkan.") % {"title": module.title})
            return redirect("p2k2:catalogue")
    return render(request, "p2k2/local_module_form.html", {"form": form, "region": region})
