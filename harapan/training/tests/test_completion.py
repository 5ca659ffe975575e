"""Finishing a cohort on the database: the completion rule at its edges decides lulus / tidak lulus,
certificates for those who completed, and the results page (RULES.md "People and ratios":
Facilitator training)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harapan.training import selectors, services
from harapan.training.models import (
    Choice,
    CohortStatus,
    ForumTopic,
    Participant,
    ParticipantStatus,
    TestAttempt,
    TestPhase,
)

from .conftest import TrainingWorld

pytestmark = pytest.mark.django_db

ALL = 99


def take(
    tw: TrainingWorld, p: Participant, key: str, session_index: int, *, pre_right: int, post_right: int | None
) -> None:
    """Pretest then posttest of one session with the given number of right answers (a number at
    least the questions drawn means all right)."""
    session = tw.sessions[session_index]
    for phase, right in ((TestPhase.PRE, pre_right), (TestPhase.POST, post_right)):
        if right is None:
            continue
        attempt = services.test_start(participant=p, session=session, phase=phase, acting_user=tw.user(key))
        for i, qid in enumerate(attempt.question_ids):
            choice = Choice.objects.filter(question_id=qid, is_correct=i < right).first()
            assert choice is not None
            services.test_answer(attempt=attempt, question_id=qid, choice_id=choice.pk, acting_user=tw.user(key))
        services.test_submit(attempt=attempt, acting_user=tw.user(key))


def set_posttest_score(p: Participant, session_index: int, tw: TrainingWorld, score: str) -> None:
    TestAttempt.objects.filter(participant=p, session=tw.sessions[session_index], phase=TestPhase.POST).update(
        score=Decimal(score)
    )


def topics_for(tw: TrainingWorld, indexes: list[int]) -> list[ForumTopic]:
    return [
        services.forum_topic_set(
            cohort=tw.cohort, session=tw.sessions[i], title=f"Topik {i}", text="?", acting_user=tw.user("fasilitator")
        )
        for i in indexes
    ]


def full_record(tw: TrainingWorld, key: str) -> Participant:
    p = tw.enrol(key)
    for i in range(14):
        take(tw, p, key, i, pre_right=0, post_right=ALL)
    return p


def test_finish_marks_lulus_at_exactly_the_pass_mark_and_tidak_lulus_just_below(tw: TrainingWorld) -> None:
    at_mark, below = full_record(tw, "pendamping"), full_record(tw, "pendamping_b")
    for i in range(14):
        set_posttest_score(at_mark, i, tw, "70.00")
        set_posttest_score(below, i, tw, "70.00")
    set_posttest_score(below, 0, tw, "69.00")  # average 69.93
    counts = services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    assert counts == {"lulus": 1, "tidak_lulus": 1}
    at_mark.refresh_from_db()
    below.refresh_from_db()
    assert (at_mark.status, at_mark.final_score) == (ParticipantStatus.PASSED, Decimal("70.00"))
    assert (below.status, below.final_score) == (ParticipantStatus.FAILED, Decimal("69.93"))
    assert at_mark.certificate_number and not below.certificate_number
    assert at_mark.completed_on == timezone.localdate()


def test_one_session_missing_its_posttest_is_tidak_lulus(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    for i in range(13):
        take(tw, p, "pendamping", i, pre_right=0, post_right=ALL)
    take(tw, p, "pendamping", 13, pre_right=0, post_right=None)  # pretest only
    services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    p.refresh_from_db()
    assert p.status == ParticipantStatus.FAILED


def test_one_forum_post_short_is_tidak_lulus_and_the_minimum_met_is_lulus(tw: TrainingWorld) -> None:
    short, enough = full_record(tw, "pendamping"), full_record(tw, "pendamping_b")
    topics = topics_for(tw, [0, 1])
    for t in topics:
        services.forum_post_create(topic=t, text="Pendapat", acting_user=tw.user("pendamping_b"))
    services.forum_post_create(topic=topics[0], text="Pendapat", acting_user=tw.user("pendamping"))
    services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    short.refresh_from_db()
    enough.refresh_from_db()
    assert (short.status, enough.status) == (ParticipantStatus.FAILED, ParticipantStatus.PASSED)


def test_a_facilitators_reply_does_not_count_for_the_participant(tw: TrainingWorld) -> None:
    p = full_record(tw, "pendamping")
    (topic,) = topics_for(tw, [0])
    services.forum_post_create(topic=topic, text="Fasilitator", acting_user=tw.user("fasilitator"))
    result = selectors.cohort_completions(tw.cohort, [p])[p.pk]
    assert not result.completed and result.forum_short_sessions == (tw.sessions[0].pk,)


def test_certificates_are_numbered_in_name_order_and_unique(tw: TrainingWorld) -> None:
    a, b = full_record(tw, "pendamping"), full_record(tw, "pendamping_c")
    services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    numbers = dict(
        Participant.objects.filter(pk__in=[a.pk, b.pk]).values_list("staff__full_name", "certificate_number")
    )
    year = tw.cohort.ends_on.year
    assert numbers == {
        "Pendamping Maesan": f"BBPPKS-YOGYAKARTA/P{tw.programme.pk}/ANGK-10/001/{year}",
        "Pendamping Maesan C": f"BBPPKS-YOGYAKARTA/P{tw.programme.pk}/ANGK-10/002/{year}",
    }


def test_nominations_never_confirmed_are_left_alone_and_the_cohort_is_finished_once(tw: TrainingWorld) -> None:
    waiting = services.participant_nominate(
        cohort=tw.cohort, pendamping=tw.staff["pendamping_b"], acting_user=tw.user("korkab")
    )
    services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    waiting.refresh_from_db()
    tw.cohort.refresh_from_db()
    assert waiting.status == ParticipantStatus.NOMINATED
    assert tw.cohort.status == CohortStatus.FINISHED and tw.cohort.finished_by_id == tw.staff["balai"].pk
    with pytest.raises(ValidationError):
        services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))


@pytest.mark.parametrize("who", ["fasilitator", "korkab", "balai_other", "pendamping"])
def test_only_the_centre_finishes_a_cohort(tw: TrainingWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.cohort_finish(cohort=tw.cohort, acting_user=tw.user(who))


def test_finishing_through_the_page_then_the_participant_sees_lulus_and_is_trained_for_p2k2(tw: TrainingWorld) -> None:
    p = full_record(tw, "pendamping")
    assert not selectors.trained_for_p2k2(tw.staff["pendamping"])
    response = tw.client("balai").post(f"/diklat/angkatan/{tw.cohort.pk}/selesaikan/")
    assert response.status_code == 302
    assert selectors.trained_for_p2k2(tw.staff["pendamping"])
    assert selectors.trained_for_p2k2_ids([tw.staff["pendamping"].pk, tw.staff["pendamping_b"].pk]) == {
        tw.staff["pendamping"].pk
    }
    page = tw.client("pendamping").get(f"/diklat/belajar/{p.pk}/").content.decode()
    assert "Lulus" in page and "sertifikat" in page.lower()


def test_a_programme_that_does_not_train_p2k2_does_not_make_a_p2k2_facilitator(tw: TrainingWorld) -> None:
    tw.programme.trains_p2k2 = False
    tw.programme.save()
    full_record(tw, "pendamping")
    services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    assert not selectors.trained_for_p2k2(tw.staff["pendamping"])


def test_results_give_pre_post_and_gain_per_session_and_participant_and_who_is_at_risk(tw: TrainingWorld) -> None:
    good = full_record(tw, "pendamping")  # pre 0, post 100 everywhere
    late = tw.enrol("pendamping_b")
    take(tw, late, "pendamping_b", 0, pre_right=ALL, post_right=ALL)  # pre 100, post 100, 13 sessions missing
    results = selectors.cohort_results(tw.user("balai"), tw.cohort, today=timezone.localdate())
    first = results.sessions[0]
    assert (first.pre, first.post, first.gain, first.n_pre, first.n_post) == (
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("50.00"),
        2,
        2,
    )
    rows = {r.participant.pk: r for r in results.participants}
    assert (rows[good.pk].pre, rows[good.pk].post, rows[good.pk].gain) == (
        Decimal("0.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    )
    assert rows[late.pk].missing_tests == 13
    assert [r.participant.pk for r in results.at_risk] == [late.pk]
    assert results.completion_rate == Decimal("50.0")
    assert rows[late.pk].days_left == (tw.cohort.ends_on - timezone.localdate()).days + 1
    page = tw.client("balai").get(f"/diklat/angkatan/{tw.cohort.pk}/hasil/").content.decode()
    assert "Berisiko tidak selesai" in page and "13 sesi belum posttest" in page


def test_results_xlsx_holds_the_same_figures(tw: TrainingWorld) -> None:
    from openpyxl import load_workbook

    full_record(tw, "pendamping")
    response = tw.client("balai").get(f"/diklat/angkatan/{tw.cohort.pk}/hasil.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    per_session = list(wb["PER_SESI"].iter_rows(values_only=True))
    assert per_session[1][:5] == (1, tw.sessions[0].title, 0.0, 100.0, 100.0)
    people = list(wb["PER_PESERTA"].iter_rows(values_only=True))
    assert people[1][0] == "Pendamping Maesan" and people[1][5] == 100.0


def test_at_risk_names_days_left_from_the_cohort_end(tw: TrainingWorld) -> None:
    tw.enrol("pendamping")
    today = timezone.localdate()
    results = selectors.cohort_results(tw.user("balai"), tw.cohort, today=today + dt.timedelta(days=100))
    assert results.at_risk[0].days_left == 0
