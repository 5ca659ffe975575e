"""Creating a survey of a programme's alumni, its questions as data (the Banjarmasin questionnaire's
measurable items by default), and opening it: one invitation with its own unguessable link for
every alumnus, in bulk (RULES.md "People and ratios": Facilitator training, "later evaluation by
questionnaire (718 of 1,142 alumni answered)"; seed 003)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.alumni import services
from harapan.alumni.models import Figure, Invitation, Survey, SurveyQuestion, SurveyStatus
from harapan.alumni.questions import default_questions
from harapan.audit.models import AuditEvent
from harapan.testing import MAESAN, make_staff

from .factories import World, at, make_alumnus, make_cohort, make_programme, open_survey

pytestmark = pytest.mark.django_db


def draft(w: World, **extra: Any) -> Survey:
    today = timezone.localdate()
    return services.survey_create(
        programme=w.programme,
        title="Evaluasi",
        cohorts=extra.pop("cohorts", [w.cohort]),
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        acting_user=w.centre_staff.user,
        **extra,
    )


def test_the_default_set_reproduces_the_banjarmasin_questionnaire(world: World) -> None:
    """Seed 003 B.2 a-g: KPM per pendamping, graduasi mandiri, P2K2 schedule, attendance, modules
    delivered (in order, as standardised), KPM applying the material; h-j on a scale."""
    survey = draft(world)
    added = services.questions_load_default(survey=survey, acting_user=world.centre_staff.user)
    assert len(added) == len(default_questions())
    figures = set(
        SurveyQuestion.objects.filter(survey=survey).exclude(compares_with="").values_list("compares_with", flat=True)
    )
    assert figures == set(Figure.values)
    applying = SurveyQuestion.objects.get(survey=survey, compares_with=Figure.APPLYING_SHARE)
    assert "menerapkan materi modul diklat P2K2" in applying.text
    assert [q.order for q in SurveyQuestion.objects.filter(survey=survey)] == list(range(1, len(added) + 1))
    # Loading it again adds nothing: every key and figure is there already.
    assert services.questions_load_default(survey=survey, acting_user=world.centre_staff.user) == []


def test_a_question_is_checked_before_it_is_kept(world: World) -> None:
    survey = draft(world)
    user = world.centre_staff.user
    with pytest.raises(ValidationError):
        services.questions_add(
            survey=survey, questions=[{"text": "Pilih", "kind": "choice", "options": []}], acting_user=user
        )
    with pytest.raises(ValidationError):
        services.questions_add(
            survey=survey,
            questions=[{"text": "Skala", "kind": "scale", "scale_min": 5, "scale_max": 1}],
            acting_user=user,
        )
    with pytest.raises(ValidationError):
        services.questions_add(
            survey=survey,
            questions=[{"text": "Jumlah KPM", "kind": "text", "compares_with": "caseload"}],
            acting_user=user,
        )
    services.questions_add(
        survey=survey,
        questions=[{"text": "Jumlah KPM", "kind": "number", "compares_with": "caseload"}],
        acting_user=user,
    )
    # One question per recorded figure: refused by the service, and by the database itself.
    with pytest.raises(ValidationError):
        services.questions_add(
            survey=survey, questions=[{"text": "Lagi", "kind": "number", "compares_with": "caseload"}], acting_user=user
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyQuestion.objects.create(survey=survey, order=99, text="x", kind="number", compares_with="caseload")
    assert SurveyQuestion.objects.filter(survey=survey).count() == 1


def test_questions_change_only_while_the_survey_is_a_draft(world: World) -> None:
    survey = open_survey(world)
    with pytest.raises(ValidationError):
        services.questions_add(
            survey=survey, questions=[{"text": "Baru", "kind": "text"}], acting_user=world.centre_staff.user
        )
    with pytest.raises(ValidationError):
        services.question_delete(question=survey.questions.all()[0], acting_user=world.centre_staff.user)


def test_a_centre_surveys_only_its_own_cohorts(world: World) -> None:
    with pytest.raises(ValidationError):
        draft(world, cohorts=[world.other_cohort])
    with pytest.raises(PermissionDenied):
        services.survey_create(
            programme=world.programme,
            title="x",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            acting_user=world.korkab.user,
        )
    other_programme = make_programme(world.centre, name="Diklat Stunting")
    elsewhere = make_cohort(other_programme, world.centre)
    with pytest.raises(ValidationError):
        draft(world, cohorts=[elsewhere])


def test_opening_invites_every_alumnus_once_with_an_unguessable_link(world: World) -> None:
    survey = open_survey(world)
    invitations = list(Invitation.objects.filter(survey=survey))
    invited = {i.staff_id for i in invitations}
    # The centre's cohort's alumni who passed, in both kabupaten; not the one who failed, not the
    # other centre's alumnus.
    assert invited == {p.pk for p in world.pendamping} | {world.pendamping_jember.pk}
    assert {i.kabupaten_id for i in invitations} == {"35.11", "35.09"}
    tokens = [i.token for i in invitations]
    assert len(set(tokens)) == len(tokens)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)
    assert all(i.sent_at is not None and i.reminder_count == 0 for i in invitations)
    assert survey.status == SurveyStatus.OPEN
    assert AuditEvent.objects.filter(action="alumni_survey_opened", object_id=str(survey.pk)).exists()


def test_an_alumnus_of_two_cohorts_is_invited_once(world: World) -> None:
    second = make_cohort(world.programme, world.centre, ends_on=dt.date(2026, 6, 1))
    make_alumnus(second, world.pendamping[0])
    today = timezone.localdate()
    survey = services.survey_create(
        programme=world.programme,
        title="Semua alumni",
        opens_on=today,
        closes_on=today,
        acting_user=world.centre_staff.user,
    )
    services.questions_load_default(survey=survey, acting_user=world.centre_staff.user)
    services.survey_open(survey=survey, acting_user=world.centre_staff.user, base_url="https://h.test")
    mine = Invitation.objects.get(survey=survey, staff=world.pendamping[0])
    assert mine.participant.cohort_id == second.pk  # the latest cohort speaks for them
    # No cohorts listed: every cohort of the programme at the survey's centre, not the other centre's.
    assert not Invitation.objects.filter(survey=survey, staff=world.other_alumnus).exists()


def test_completed_before_limits_the_alumni(world: World) -> None:
    later = make_cohort(world.programme, world.centre, ends_on=timezone.localdate() - dt.timedelta(days=10))
    newcomer = make_staff(Role.PENDAMPING, MAESAN, full_name="Baru Lulus")
    make_alumnus(later, newcomer)
    today = timezone.localdate()
    survey = services.survey_create(
        programme=world.programme,
        title="Alumni lama",
        completed_before=later.ends_on,
        opens_on=today,
        closes_on=today,
        acting_user=world.centre_staff.user,
    )
    services.questions_load_default(survey=survey, acting_user=world.centre_staff.user)
    services.survey_open(survey=survey, acting_user=world.centre_staff.user, base_url="https://h.test")
    assert not Invitation.objects.filter(survey=survey, staff=newcomer).exists()
    assert Invitation.objects.filter(survey=survey).count() == 4


def test_opening_is_set_based(world: World) -> None:
    """The same number of queries for 4 alumni as for 40."""

    def queries_to_open() -> int:
        survey = draft(world)
        services.questions_load_default(survey=survey, acting_user=world.centre_staff.user)
        with CaptureQueriesContext(connection) as ctx:
            services.survey_open(survey=survey, acting_user=world.centre_staff.user, base_url="https://h.test")
        return len(ctx)

    few = queries_to_open()
    for i in range(36):
        make_alumnus(world.cohort, make_staff(Role.PENDAMPING, MAESAN, username=f"extra{i}"))
    assert Invitation.objects.filter(survey__title="Evaluasi").count() == 4
    assert queries_to_open() == few


def test_a_survey_opens_only_with_questions_and_alumni_within_its_dates(world: World) -> None:
    survey = draft(world)
    with pytest.raises(ValidationError):
        services.survey_open(survey=survey, acting_user=world.centre_staff.user, base_url="https://h.test")
    services.questions_load_default(survey=survey, acting_user=world.centre_staff.user)
    tomorrow = at(timezone.localdate() + dt.timedelta(days=31))
    with pytest.raises(ValidationError):
        services.survey_open(
            survey=survey, acting_user=world.centre_staff.user, base_url="https://h.test", now=tomorrow
        )
    empty = make_cohort(world.programme, world.centre)
    nobody = draft(world, cohorts=[empty])
    services.questions_load_default(survey=nobody, acting_user=world.centre_staff.user)
    with pytest.raises(ValidationError):
        services.survey_open(survey=nobody, acting_user=world.centre_staff.user, base_url="https://h.test")
    with pytest.raises(PermissionDenied):
        services.survey_open(survey=survey, acting_user=world.other_centre_staff.user, base_url="https://h.test")
