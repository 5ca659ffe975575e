"""The demo's training data (RULES.md "People and ratios": Facilitator training; seed 001: BBPPKS
Yogyakarta, 10 days, angkatan 10 with 10 places for the kabupaten): a finished cohort with results
from the real completion rule, and a running one with partial progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count

from harapan.accounts.models import Role
from harapan.testing import BONDOWOSO, MAESAN, make_staff
from harapan.training import selectors
from harapan.training.demo import DEMO_PASSWORD, seed_training
from harapan.training.models import (
    Cohort,
    CohortStatus,
    ForumPost,
    LiveAttendance,
    Participant,
    ParticipantStatus,
    TestAttempt,
    TestPhase,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 29)


@pytest.fixture
def district(db: None) -> list:
    make_staff(Role.KORKAB, BONDOWOSO, username="korkab_demo")
    return [make_staff(Role.PENDAMPING, MAESAN, full_name=f"Pendamping Demo {i:02d}") for i in range(22)]


def test_seed_makes_a_finished_and_a_running_cohort_of_the_kabupatens_pendamping(district: list) -> None:
    summary = seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=3)
    assert summary["created"]
    finished = Cohort.objects.get(pk=summary["finished_cohort"])
    running = Cohort.objects.get(pk=summary["running_cohort"])
    assert finished.status == CohortStatus.FINISHED and finished.ends_on < AS_OF
    assert (finished.ends_on - finished.starts_on).days + 1 == 12  # seed 001: 19-30 Mei
    assert running.status == CohortStatus.RUNNING and running.starts_on == AS_OF - dt.timedelta(days=4)
    assert running.number == 10 and running.quotas.get().places == 10  # seed 001: angkatan 10, 10 places
    results = dict(finished.participants.values_list("status").annotate(n=Count("pk")).order_by())
    assert results.get(ParticipantStatus.PASSED, 0) == summary["lulus"] > 0
    assert results.get(ParticipantStatus.FAILED, 0) == summary["tidak_lulus"]
    assert summary["lulus"] + summary["tidak_lulus"] == summary["finished_participants"] == 10
    passed = finished.participants.filter(status=ParticipantStatus.PASSED)
    assert all(p.certificate_number for p in passed)
    assert all(selectors.trained_for_p2k2(p.staff) for p in passed)
    participants = set(Participant.objects.values_list("staff__region_id", flat=True))
    assert participants == {MAESAN}


def test_finished_results_agree_with_the_completion_rule(district: list) -> None:
    summary = seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=3)
    finished = Cohort.objects.get(pk=summary["finished_cohort"])
    people = list(finished.participants.all())
    completions = selectors.cohort_completions(finished, people)
    for p in people:
        assert (p.status == ParticipantStatus.PASSED) == completions[p.pk].completed, p


def test_finished_cohort_has_scores_graded_posts_and_attendance(district: list) -> None:
    summary = seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=3)
    finished = summary["finished_cohort"]
    pre = TestAttempt.objects.filter(participant__cohort_id=finished, phase=TestPhase.PRE, submitted_at__isnull=False)
    post = TestAttempt.objects.filter(participant__cohort_id=finished, phase=TestPhase.POST, submitted_at__isnull=False)
    assert pre.count() == 10 * 14 and post.count() > 120
    assert (
        ForumPost.objects.filter(topic__cohort_id=finished, participant__isnull=False, grade__isnull=False).count()
        > 100
    )
    assert LiveAttendance.objects.filter(live_session__cohort_id=finished).count() == 5 * 10
    for a in post[:20]:
        assert a.answers.count() == a.total and a.score is not None


def test_running_cohort_has_partial_progress_and_the_demo_login_mid_pretest(district: list) -> None:
    summary = seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=3)
    running = Cohort.objects.get(pk=summary["running_cohort"])
    first = district[0]
    me = running.participants.get(staff=first)
    done = TestAttempt.objects.filter(participant=me, phase=TestPhase.POST, submitted_at__isnull=False).count()
    open_pre = TestAttempt.objects.get(participant=me, phase=TestPhase.PRE, submitted_at__isnull=True)
    assert done == 2 and 0 < open_pre.answers.count() < open_pre.total
    assert running.participants.filter(status=ParticipantStatus.NOMINATED).count() == 1
    total_posts = TestAttempt.objects.filter(participant__cohort=running, phase=TestPhase.POST).count()
    assert 0 < total_posts < 9 * 14


def test_centre_logins_work_with_the_demo_password_and_a_second_run_adds_nothing(district: list) -> None:
    summary = seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=3)
    for login in summary["logins"]:
        assert authenticate(username=login["username"], password=DEMO_PASSWORD) is not None
    counts = (Cohort.objects.count(), Participant.objects.count(), TestAttempt.objects.count())
    again = seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=3)
    assert not again["created"]
    assert (Cohort.objects.count(), Participant.objects.count(), TestAttempt.objects.count()) == counts


def test_seed_needs_pendamping(db: None) -> None:
    with pytest.raises(ValueError):
        seed_training(kabupaten_code=BONDOWOSO, as_of=AS_OF, seed=1)


def test_seed_training_command_prints_the_logins(district: list) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_training", "--kabupaten", BONDOWOSO, "--as-of", AS_OF.isoformat(), stdout=out)
    text = out.getvalue()
    assert "balai_diklat" in text and "fasilitator" in text and DEMO_PASSWORD in text
    out = io.StringIO()
    call_command("seed_training", "--kabupaten", BONDOWOSO, "--as-of", AS_OF.isoformat(), stdout=out)
    assert "sudah ada" in out.getvalue()
