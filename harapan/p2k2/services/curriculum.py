"""Writes to the curriculum. Each takes ``acting_user``, checks role and scope, runs in one
transaction and audits (harapan.audit).

A kabupaten/kota's own muatan lokal (RULES.md "P2K2 / FDS curriculum": SEKOPER in Bondowoso)
is created by that kabupaten's Dinas Sosial or korkab. Materials and questions of a kabupaten's
module are managed by Dinas Sosial, korkab and operator of that kabupaten; those of the national
modules by the ministry only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import region_in_scope, require_role, staff_of
from harapan.regions.models import Region

from .. import events
from ..models import KnowledgeChoice, KnowledgeQuestion, Module, ModuleKind, Session, SessionMaterial

LOCAL_MODULE_ROLES = (Role.DINSOS_KAB, Role.KORKAB)
# Who manages the materials and questions of their kabupaten's own modules.
LOCAL_CONTENT_ROLES = (Role.DINSOS_KAB, Role.KORKAB, Role.OPERATOR)
KABUPATEN_LEVEL = 2


def _require_kabupaten_editor(acting_user: Any, region_code: str, roles: tuple[str, ...] = LOCAL_MODULE_ROLES) -> None:
    staff = require_role(acting_user, *roles)
    if staff.region_id != region_code or not region_in_scope(acting_user, region_code):
        raise PermissionDenied(_("Kabupaten/kota ini di luar wilayah kerja Anda."))


def _require_module_editor(acting_user: Any, module: Module) -> None:
    if module.owner_region_id is None:
        require_role(acting_user, Role.MINISTRY)
    else:
        _require_kabupaten_editor(acting_user, str(module.owner_region_id), LOCAL_CONTENT_ROLES)


def may_edit_session_content(user: Any, session: Session) -> bool:
    """Whether ``user`` may add and remove the materials and questions of ``session``."""
    if staff_of(user) is None:
        return False
    try:
        _require_module_editor(user, session.module)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def local_module_create(
    *,
    region: Region | str,
    title: str,
    description: str = "",
    sessions: list[str],
    acting_user: Any,
    source: str = "web",
) -> Module:
    """A kabupaten/kota's own muatan lokal module with its sessions, in the order given."""
    code = region if isinstance(region, str) else region.code
    _require_kabupaten_editor(acting_user, code)
    region_obj = Region.objects.filter(pk=code).first()
    if region_obj is None or region_obj.level != KABUPATEN_LEVEL:
        raise ValidationError({"region": _("Muatan lokal dimiliki oleh satu kabupaten/kota.")})
    title = title.strip()
    titles = [t.strip() for t in sessions if t.strip()]
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Judul modul wajib diisi.")
    if not titles:
        errors["sessions"] = _("Isi paling sedikit satu sesi.")
    if errors:
        raise ValidationError(errors)
    # Lock the region row so two editors of one kabupaten do not take the same number.
    Region.objects.select_for_update().filter(pk=code).first()
    last = Module.objects.filter(kind=ModuleKind.MUATAN_LOKAL, owner_region_id=code).aggregate(n=Max("number"))["n"]
    number = (last or 0) + 1
    module = Module(
        code=f"ML-{code}-{number}",
        number=number,
        title=title,
        order=number,
        kind=ModuleKind.MUATAN_LOKAL,
        owner_region=region_obj,
        description=description.strip(),
    )
    module.full_clean()
    module.save()
    made = Session.objects.bulk_create(Session(module=module, title=t, order=i) for i, t in enumerate(titles, start=1))
    events.created(
        events.MODULE_CREATED,
        module,
        actor=acting_user,
        source=source,
        after={"code": module.code, "title": module.title, "region": code, "sessions": [s.title for s in made]},
    ).save()
    return module


@transaction.atomic
def session_material_add(
    *,
    session: Session,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    acting_user: Any,
    source: str = "web",
) -> SessionMaterial:
    """A material (an uploaded file or a link, exactly one of them) for a session."""
    _require_module_editor(acting_user, session.module)
    material = SessionMaterial(session=session, title=title.strip(), url=url.strip())
    if file is not None:
        material.file = file  # type: ignore[assignment]
    material.full_clean()
    material.save()
    events.created(
        events.MATERIAL_ADDED,
        material,
        actor=acting_user,
        source=source,
        after={"session": session.pk, "title": material.title, "file": material.file.name, "url": material.url},
    ).save()
    return material


@transaction.atomic
def question_add(
    *,
    session: Session,
    text: str,
    choices: list[tuple[str, bool]],
    acting_user: Any,
    source: str = "web",
) -> KnowledgeQuestion:
    """A knowledge question with at least two choices, exactly one of them correct."""
    _require_module_editor(acting_user, session.module)
    text = text.strip()
    clean = [(c.strip(), ok) for c, ok in choices if c.strip()]
    if not text:
        raise ValidationError({"text": _("Pertanyaan wajib diisi.")})
    if len(clean) < 2:
        raise ValidationError({"choices": _("Isi paling sedikit dua pilihan jawaban.")})
    if sum(1 for _c, ok in clean if ok) != 1:
        raise ValidationError({"choices": _("Tandai tepat satu jawaban yang benar.")})
    last = KnowledgeQuestion.objects.filter(session=session).aggregate(n=Max("order"))["n"]
    question = KnowledgeQuestion(session=session, text=text, order=(last or 0) + 1)
    question.full_clean()
    question.save()
    KnowledgeChoice.objects.bulk_create(KnowledgeChoice(question=question, text=c, is_correct=ok) for c, ok in clean)
    events.created(
        events.QUESTION_ADDED,
        question,
        actor=acting_user,
        source=source,
        after={"session": session.pk, "text": text, "choices": [c for c, _ok in clean]},
    ).save()
    return question


@transaction.atomic
def session_material_remove(*, material: SessionMaterial, acting_user: Any, source: str = "web") -> None:
    """Remove a material from its session (the uploaded file stays in storage for the record)."""
    _require_module_editor(acting_user, material.session.module)
    before = {
        "session": material.session_id,
        "title": material.title,
        "file": material.file.name,
        "url": material.url,
    }
    event = events.removed(events.MATERIAL_REMOVED, material, actor=acting_user, source=source, before=before)
    material.delete()
    event.save()


@transaction.atomic
def question_remove(*, question: KnowledgeQuestion, acting_user: Any, source: str = "web") -> None:
    """Remove a knowledge question and its choices. Scores already recorded keep the number of
    questions they were out of (``KnowledgeCheck.total``)."""
    _require_module_editor(acting_user, question.session.module)
    before = {
        "session": question.session_id,
        "text": question.text,
        "choices": [c.text for c in question.choices.all()],
    }
    event = events.removed(events.QUESTION_REMOVED, question, actor=acting_user, source=source, before=before)
    question.delete()
    event.save()
