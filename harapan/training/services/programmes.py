"""Programmes, their sessions, question bank and materials; cohorts and their quotas (RULES.md
"People and ratios": Facilitator training; seed 001: FDS e-learning, 10 days, angkatan 10 with 10
places for Trenggalek)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import require_role, staff_of
from harapan.audit.services import snapshot
from harapan.conf import setting
from harapan.regions.models import Region

from .. import events
from ..models import (
    QUOTA_STATUSES,
    Centre,
    CentreStaff,
    Choice,
    Cohort,
    CohortQuota,
    CohortStatus,
    Material,
    MaterialKind,
    Participant,
    Programme,
    ProgrammeSession,
    Question,
)
from ..selectors import centre_of
from .access import may_edit_programme, may_manage_cohort

PROGRAMME_FIELDS = (
    "name",
    "centre",
    "duration_days",
    "hours",
    "pass_mark",
    "questions_per_test",
    "require_all_sessions",
    "require_posttest_pass",
    "min_forum_posts",
    "min_forum_grade",
    "require_materials_before_posttest",
    "trains_p2k2",
)


def centre_staff_add(*, staff: Staff, centre: Centre) -> CentreStaff:
    """Link a balai diklat or fasilitator staff member to the centre they work at."""
    if staff.role not in (Role.BALAI_DIKLAT, Role.FASILITATOR):
        raise ValidationError(_("Hanya petugas balai diklat atau fasilitator yang bekerja di balai diklat."))
    link, _created = CentreStaff.objects.update_or_create(staff=staff, defaults={"centre": centre})
    return link


def curriculum_sessions_create(programme: Programme) -> list[ProgrammeSession]:
    """The 5 modules / 14 sessions of the national P2K2 curriculum in teaching order, with the
    curriculum's starter questions copied into each session's bank (RULES.md "P2K2 / FDS
    curriculum")."""
    from harapan.p2k2.models import KnowledgeQuestion, ModuleKind, Session

    p2k2 = list(
        Session.objects.filter(module__kind=ModuleKind.INTI, module__is_active=True)
        .select_related("module")
        .order_by("module__order", "order")
    )
    sessions = ProgrammeSession.objects.bulk_create(
        [
            ProgrammeSession(
                programme=programme,
                order=i,
                title=s.title,
                module_title=f"Modul {s.module.number}: {s.module.title}",
                p2k2_session=s,
            )
            for i, s in enumerate(p2k2, start=1)
        ]
    )
    by_p2k2 = {s.p2k2_session_id: s for s in sessions}
    starters = list(KnowledgeQuestion.objects.filter(session__in=p2k2).prefetch_related("choices").order_by("order"))
    questions = Question.objects.bulk_create([Question(session=by_p2k2[q.session_id], text=q.text) for q in starters])
    Choice.objects.bulk_create(
        [
            Choice(question=new, text=c.text, is_correct=c.is_correct)
            for new, old in zip(questions, starters, strict=True)
            for c in old.choices.all()
        ]
    )
    return sessions


@transaction.atomic
def programme_create(
    *,
    name: str,
    from_curriculum: bool,
    acting_user: Any,
    centre: Centre | None = None,
    session_titles: Sequence[str] = (),
    **rules: Any,
) -> Programme:
    """A programme with its sessions: the P2K2 curriculum's 14 in order (``from_curriculum``) or
    the titles given. ``rules`` are Programme fields (pass mark, completion rules ...); the
    defaults come from the training configuration."""
    staff = require_role(acting_user, Role.BALAI_DIKLAT, Role.MINISTRY)
    if staff.role == Role.BALAI_DIKLAT:
        own = centre_of(staff)
        if own is None or (centre is not None and centre.pk != own.pk):
            raise PermissionDenied(_("Anda hanya dapat membuat program untuk balai diklat Anda."))
        centre = own
    defaults = {
        "duration_days": setting("training", "DEFAULT_DURATION_DAYS"),
        "hours": setting("training", "DEFAULT_HOURS"),
        "pass_mark": setting("training", "DEFAULT_PASS_MARK"),
        "questions_per_test": setting("training", "DEFAULT_QUESTIONS_PER_TEST"),
        "min_forum_posts": setting("training", "DEFAULT_MIN_FORUM_POSTS"),
    }
    unknown = set(rules) - set(PROGRAMME_FIELDS) - {"description", "is_active"}
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    programme = Programme(name=name, centre=centre, **(defaults | rules))
    programme.full_clean()
    programme.save()
    if from_curriculum:
        curriculum_sessions_create(programme)
    else:
        ProgrammeSession.objects.bulk_create(
            [ProgrammeSession(programme=programme, order=i, title=t) for i, t in enumerate(session_titles, start=1)]
        )
    events.training_event(
        events.PROGRAMME_CREATED, programme, actor=acting_user, after=snapshot(programme, PROGRAMME_FIELDS)
    ).save()
    return programme


def _require_programme_editor(acting_user: Any, programme: Programme) -> None:
    if not may_edit_programme(acting_user, programme):
        raise PermissionDenied(_("Anda tidak dapat mengubah program ini."))


@transaction.atomic
def question_create(
    *, session: ProgrammeSession, text: str, choices: Sequence[tuple[str, bool]], acting_user: Any
) -> Question:
    """A multiple-choice question in the session's bank: two or more choices, exactly one right."""
    _require_programme_editor(acting_user, session.programme)
    choices = [(c.strip(), ok) for c, ok in choices if c.strip()]
    if len(choices) < 2:
        raise ValidationError(_("Isi sedikitnya dua pilihan jawaban."))
    if sum(1 for _c, ok in choices if ok) != 1:
        raise ValidationError(_("Tandai tepat satu jawaban yang benar."))
    question = Question.objects.create(session=session, text=text.strip())
    Choice.objects.bulk_create([Choice(question=question, text=c, is_correct=ok) for c, ok in choices])
    return question


def question_deactivate(*, question: Question, acting_user: Any) -> None:
    """Take a question out of future draws; tests already drawn keep it."""
    _require_programme_editor(acting_user, question.session.programme)
    Question.objects.filter(pk=question.pk).update(is_active=False)


@transaction.atomic
def material_create(
    *,
    session: ProgrammeSession,
    title: str,
    kind: str,
    acting_user: Any,
    file: UploadedFile | None = None,
    url: str = "",
    body: str = "",
) -> Material:
    _require_programme_editor(acting_user, session.programme)
    order = session.materials.count() + 1
    material = Material(
        session=session,
        title=title,
        kind=kind,
        url=url if kind == MaterialKind.VIDEO else "",
        body=body if kind == MaterialKind.TEXT else "",
        order=order,
    )
    if kind == MaterialKind.FILE:
        if file is None:
            raise ValidationError({"file": _("Unggah berkas materi.")})
        material.file.save(file.name or "materi", file, save=False)
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def cohort_create(
    *,
    programme: Programme,
    number: int,
    starts_on: dt.date,
    ends_on: dt.date,
    acting_user: Any,
    centre: Centre | None = None,
    facilitators: Sequence[Staff] = (),
) -> Cohort:
    """An angkatan of the programme at the centre, with its facilitators (widyaiswara)."""
    staff = require_role(acting_user, Role.BALAI_DIKLAT, Role.MINISTRY)
    if staff.role == Role.BALAI_DIKLAT:
        own = centre_of(staff)
        if own is None or (centre is not None and centre.pk != own.pk):
            raise PermissionDenied(_("Anda hanya dapat membuat angkatan di balai diklat Anda."))
        centre = own
    if centre is None:
        raise ValidationError({"centre": _("Pilih balai diklat.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    if Cohort.objects.filter(programme=programme, number=number).exists():
        raise ValidationError({"number": _("Angkatan ke-%(n)d program ini sudah ada.") % {"n": number}})
    if any(f.role != Role.FASILITATOR for f in facilitators):
        raise ValidationError({"facilitators": _("Fasilitator harus petugas berperan fasilitator.")})
    cohort = Cohort.objects.create(
        programme=programme, number=number, centre=centre, starts_on=starts_on, ends_on=ends_on
    )
    cohort.facilitators.set(facilitators)
    events.training_event(
        events.COHORT_CREATED,
        cohort,
        actor=acting_user,
        after=snapshot(cohort, ("programme", "number", "centre", "starts_on", "ends_on"))
        | {"facilitators": [f.pk for f in facilitators]},
    ).save()
    return cohort


@transaction.atomic
def quota_set(*, cohort: Cohort, region_code: str, places: int, acting_user: Any) -> CohortQuota:
    """Places for a kabupaten/kota in the cohort; never below the places already taken."""
    if not may_manage_cohort(acting_user, cohort):
        raise PermissionDenied(_("Hanya balai diklat penyelenggara yang menetapkan kuota."))
    region = Region.objects.filter(code=region_code, level=2).first()
    if region is None:
        raise ValidationError({"region": _("Pilih kabupaten/kota.")})
    if places < 0:
        raise ValidationError({"places": _("Jumlah tempat tidak boleh negatif.")})
    taken = Participant.objects.filter(cohort=cohort, region=region, status__in=QUOTA_STATUSES).count()
    if places < taken:
        raise ValidationError({"places": _("Sudah %(n)d pendamping dinominasikan dari wilayah ini.") % {"n": taken}})
    before = CohortQuota.objects.filter(cohort=cohort, region=region).values_list("places", flat=True).first()
    quota, _created = CohortQuota.objects.update_or_create(cohort=cohort, region=region, defaults={"places": places})
    events.training_event(
        events.QUOTA_SET,
        quota,
        actor=acting_user,
        before={"places": before} if before is not None else {},
        after={"cohort": cohort.pk, "region": region.code, "places": places},
    ).save()
    return quota


@transaction.atomic
def cohort_start(*, cohort: Cohort, acting_user: Any) -> Cohort:
    if not may_manage_cohort(acting_user, cohort):
        raise PermissionDenied(_("Hanya balai diklat penyelenggara yang memulai angkatan."))
    if cohort.status != CohortStatus.PLANNED:
        raise ValidationError(_("Angkatan ini tidak dalam status direncanakan."))
    cohort.status = CohortStatus.RUNNING
    cohort.save(update_fields=["status"])
    events.training_event(events.COHORT_STARTED, cohort, actor=acting_user, after={"status": cohort.status}).save()
    return cohort


def acting_staff(acting_user: Any) -> Staff:
    staff = staff_of(acting_user)
    if staff is None:
        raise PermissionDenied(_("Akun Anda belum terdaftar sebagai petugas."))
    return staff
