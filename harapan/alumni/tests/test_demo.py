"""The demo survey: the finished cohort's alumni surveyed, about 60% answered in waves with reminders
between them, answers plausible (RULES.md "People and ratios": "later evaluation by questionnaire
(718 of 1,142 alumni answered)"; issue 7, "Done when": an alumni survey with answers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.alumni.demo import seed_alumni_survey
from harapan.alumni.models import Answer, Invitation, Survey
from harapan.alumni.report import evaluation_report
from harapan.testing import MAESAN, make_household, make_staff

from .factories import World, make_alumnus

pytestmark = pytest.mark.django_db


def more_alumni(w: World, n: int) -> None:
    """``n`` more alumni of the centre's cohort, now the latest finished one with Bondowoso alumni."""
    w.other_cohort.starts_on, w.other_cohort.ends_on = dt.date(2025, 9, 1), dt.date(2025, 9, 10)
    w.other_cohort.save()
    for i in range(n):
        make_alumnus(w.cohort, make_staff(Role.PENDAMPING, MAESAN, username=f"demo{i}", full_name=f"Demo {i:02d}"))


def test_the_demo_survey_has_about_sixty_percent_answered_and_some_reminded(world: World) -> None:
    more_alumni(world, 20)
    for _ in range(6):
        make_household(desa="35.11.01.2001", pendamping=world.pendamping[0])
    today = timezone.localdate()
    result = seed_alumni_survey(kabupaten_code="35.11", as_of=today, seed=7)
    assert result["created"] and result["invited"] == 24
    assert result["answered"] == 14  # 40% + 15% + 5% of 24
    assert result["rate"] == Decimal("58.33")
    assert result["reminded"] >= 10
    survey = Survey.objects.get(pk=result["survey_id"])
    assert survey.cohorts.get() == world.cohort and survey.questions.count() == 17
    assert survey.opens_on == today - dt.timedelta(days=21)
    submitted = Invitation.objects.filter(survey=survey, submitted_at__isnull=False)
    assert all(survey.opens_on <= timezone.localdate(i.submitted_at) <= today for i in submitted)
    # Those who answered after a reminder had one; nobody beyond the cap.
    assert Invitation.objects.filter(survey=survey, reminder_count__gt=3).count() == 0
    assert Invitation.objects.filter(survey=survey, submitted_at__isnull=True, reminder_count=2).exists()
    # Every required question of every respondent is answered.
    required = survey.questions.filter(required=True).count()
    for inv in submitted:
        assert Answer.objects.filter(invitation=inv, question__required=True).count() == required
    # The report reads it: answers near the recorded figures.
    report = evaluation_report(survey, Invitation.objects.filter(survey=survey))
    assert report.total.answered == 14
    a = next((r for r in report.respondents if r.staff_id == world.pendamping[0].pk), None)
    if a is not None:
        assert a.recorded["caseload"] == 6
        assert 5 <= (a.reported["caseload"] or 0) <= 7


def test_the_demo_seeds_once_and_is_set_based(world: World) -> None:
    more_alumni(world, 4)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        first = seed_alumni_survey(kabupaten_code="35.11", as_of=today, seed=1)
    again = seed_alumni_survey(kabupaten_code="35.11", as_of=today, seed=1)
    assert again["survey_id"] == first["survey_id"] and not again["created"]
    Survey.objects.all().delete()
    more_alumni_count = 24
    for i in range(more_alumni_count):
        make_alumnus(world.cohort, make_staff(Role.PENDAMPING, MAESAN, username=f"many{i}"))
    with CaptureQueriesContext(connection) as many:
        seed_alumni_survey(kabupaten_code="35.11", as_of=today, seed=1)
    assert len(many) <= len(few) + 2  # the same statements, a batch more at most


def test_without_a_finished_cohort_the_demo_skips(world: World) -> None:
    assert "skipped" in seed_alumni_survey(kabupaten_code="33.01", as_of=timezone.localdate(), seed=1)
