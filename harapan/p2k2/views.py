"""Curriculum pages: the catalogue taught in the user's kabupaten/kota, one session with its
materials and knowledge questions, and the form for a kabupaten's own muatan lokal module."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harapan.accounts.scope import require_role, staff_of
from harapan.regions.selectors import region_get
from harapan.registry.forms import add_service_errors

from .forms import LocalModuleForm
from .models import ModuleKind
from .selectors import curriculum_for, next_session_after, session_for, user_kabupaten
from .services import LOCAL_MODULE_ROLES, local_module_create


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
        },
    )


@login_required
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for(request.user, pk)
    if session is None:
        raise Http404(_("Sesi tidak ditemukan."))
    return render(
        request,
        "p2k2/session_detail.html",
        {"session": session, "module": session.module, "next_session": next_session_after(session)},
    )


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
