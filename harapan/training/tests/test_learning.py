"""Pre/post tests and the rest of a participant's learning, saved as they go (RULES.md "People and
ratios": Facilitator training; seed 001: pretest "nilai langsung keluar", self-study, forum graded
by the facilitator, posttest, video conference)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harapan.audit.models import AuditEvent
from harapan.training import services
from harapan.training.models import (
    Choice,
    ForumPost,
    LiveAttendance,
    Material,
    MaterialKind,
    MaterialView,
    Question,
    TestAnswer,
    TestAttempt,
    TestPhase,
)

from .conftest import TrainingWorld

pytestmark = pytest.mark.django_db


def add_questions(tw: TrainingWorld, session_index: int, n: int) -> list[Question]:
    session = tw.sessions[session_index]
    made = []
    for i in range(n):
        made.append(
            services.question_create(
                session=session,
                text=f"Soal tambahan {i}",
                choices=[(f"benar {i}", True), (f"salah {i}", False), (f"keliru {i}", False)],
                acting_user=tw.user("fasilitator"),
            )
        )
    return made


def answer_all(tw: TrainingWorld, attempt: TestAttempt, key: str, right: int) -> None:
    """Answer the attempt's questions, the first ``right`` of them correctly."""
    for i, qid in enumerate(attempt.question_ids):
        choice = Choice.objects.filter(question_id=qid, is_correct=i < right).first()
        assert choice is not None
        services.test_answer(attempt=attempt, question_id=qid, choice_id=choice.pk, acting_user=tw.user(key))


def test_pretest_draws_questions_per_test_from_the_sessions_active_bank(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    add_questions(tw, 0, 8)  # 2 curriculum starters + 8 = 10 in the bank
    session = tw.sessions[0]
    attempt = services.test_start(
        participant=p, session=session, phase=TestPhase.PRE, acting_user=tw.user("pendamping")
    )
    assert attempt.total == len(attempt.question_ids) == tw.programme.questions_per_test == 5
    bank = set(Question.objects.filter(session=session).values_list("pk", flat=True))
    assert set(attempt.question_ids) <= bank


def test_reopening_a_test_keeps_the_same_draw(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    add_questions(tw, 0, 20)
    session = tw.sessions[0]
    first = services.test_start(
        participant=p, session=session, phase=TestPhase.PRE, acting_user=tw.user("pendamping"), rng=random.Random(1)
    )
    again = services.test_start(
        participant=p, session=session, phase=TestPhase.PRE, acting_user=tw.user("pendamping"), rng=random.Random(99)
    )
    assert again.pk == first.pk and again.question_ids == first.question_ids
    assert TestAttempt.objects.filter(participant=p, session=session, phase=TestPhase.PRE).count() == 1


def test_test_page_reload_shows_the_same_questions_and_the_saved_answers(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    add_questions(tw, 0, 10)
    session = tw.sessions[0]
    client = tw.client("pendamping")
    url = f"/diklat/belajar/{p.pk}/sesi/{session.pk}/tes/pre/"
    first = client.get(url)
    assert first.status_code == 200
    attempt = TestAttempt.objects.get(participant=p, session=session, phase="pre")
    qid = attempt.question_ids[0]
    choice = Choice.objects.filter(question_id=qid).order_by("pk").last()
    assert choice is not None
    saved = client.post(
        f"/diklat/tes/{attempt.pk}/jawab/", {"question": qid, "choice": choice.pk}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200 and "Tersimpan" in saved.content.decode()
    again = client.get(url)
    html = again.content.decode()
    assert [q.pk for _i, q, _c in again.context["questions"]] == attempt.question_ids
    assert f'value="{choice.pk}"' in html
    chosen = {q.pk: c for _i, q, c in again.context["questions"]}
    assert chosen[qid] == choice.pk


def test_each_answer_is_saved_on_its_own_and_a_change_replaces_it(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    attempt = services.test_start(
        participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping")
    )
    qid = attempt.question_ids[0]
    wrong = Choice.objects.filter(question_id=qid, is_correct=False).first()
    right = Choice.objects.get(question_id=qid, is_correct=True)
    assert wrong is not None
    services.test_answer(attempt=attempt, question_id=qid, choice_id=wrong.pk, acting_user=tw.user("pendamping"))
    assert TestAnswer.objects.get(attempt=attempt).choice_id == wrong.pk
    services.test_answer(attempt=attempt, question_id=qid, choice_id=right.pk, acting_user=tw.user("pendamping"))
    assert list(TestAnswer.objects.filter(attempt=attempt).values_list("choice_id", flat=True)) == [right.pk]


def test_an_answer_to_a_question_not_drawn_or_a_choice_of_another_question_is_refused(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    attempt = services.test_start(
        participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping")
    )
    other_q = Question.objects.filter(session=tw.sessions[1]).first()
    assert other_q is not None
    other_choice = other_q.choices.first()
    assert other_choice is not None
    with pytest.raises(ValidationError):
        services.test_answer(
            attempt=attempt, question_id=other_q.pk, choice_id=other_choice.pk, acting_user=tw.user("pendamping")
        )
    with pytest.raises(ValidationError):
        services.test_answer(
            attempt=attempt,
            question_id=attempt.question_ids[0],
            choice_id=other_choice.pk,
            acting_user=tw.user("pendamping"),
        )
    assert not TestAnswer.objects.exists()


def test_submit_scores_at_once_and_unanswered_questions_count_as_wrong(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    add_questions(tw, 0, 8)
    attempt = services.test_start(
        participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping")
    )
    # Three right, one wrong, one not answered: 3 of 5.
    answer_all(tw, attempt, "pendamping", right=3)
    TestAnswer.objects.filter(attempt=attempt, question_id=attempt.question_ids[-1]).delete()
    done = services.test_submit(attempt=attempt, acting_user=tw.user("pendamping"))
    assert (done.correct, done.total, done.score) == (3, 5, Decimal("60.00"))
    assert AuditEvent.objects.filter(action="training_test_submitted", object_id=str(attempt.pk)).count() == 1


def test_a_submitted_test_cannot_be_answered_again_and_a_second_submit_changes_nothing(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    attempt = services.test_start(
        participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping")
    )
    answer_all(tw, attempt, "pendamping", right=0)
    done = services.test_submit(attempt=attempt, acting_user=tw.user("pendamping"))
    right = Choice.objects.get(question_id=attempt.question_ids[0], is_correct=True)
    with pytest.raises(ValidationError):
        services.test_answer(
            attempt=done, question_id=attempt.question_ids[0], choice_id=right.pk, acting_user=tw.user("pendamping")
        )
    again = services.test_submit(attempt=done, acting_user=tw.user("pendamping"))
    assert (again.score, again.submitted_at) == (done.score, done.submitted_at)


def test_posttest_opens_only_after_the_pretest_is_submitted(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    session = tw.sessions[0]
    with pytest.raises(ValidationError):
        services.test_start(participant=p, session=session, phase=TestPhase.POST, acting_user=tw.user("pendamping"))
    pre = services.test_start(participant=p, session=session, phase=TestPhase.PRE, acting_user=tw.user("pendamping"))
    with pytest.raises(ValidationError):
        services.test_start(participant=p, session=session, phase=TestPhase.POST, acting_user=tw.user("pendamping"))
    services.test_submit(attempt=pre, acting_user=tw.user("pendamping"))
    post = services.test_start(participant=p, session=session, phase=TestPhase.POST, acting_user=tw.user("pendamping"))
    assert post.phase == TestPhase.POST


def test_posttest_waits_for_every_material_when_the_programme_says_so(tw: TrainingWorld) -> None:
    tw.programme.require_materials_before_posttest = True
    tw.programme.save()
    p = tw.enrol("pendamping")
    session = tw.sessions[0]
    material = services.material_create(
        session=session, title="Bacaan", kind=MaterialKind.TEXT, body="Isi", acting_user=tw.user("fasilitator")
    )
    pre = services.test_start(participant=p, session=session, phase=TestPhase.PRE, acting_user=tw.user("pendamping"))
    services.test_submit(attempt=pre, acting_user=tw.user("pendamping"))
    with pytest.raises(ValidationError):
        services.test_start(participant=p, session=session, phase=TestPhase.POST, acting_user=tw.user("pendamping"))
    services.material_open(participant=p, material=material, acting_user=tw.user("pendamping"))
    assert (
        services.test_start(
            participant=p, session=session, phase=TestPhase.POST, acting_user=tw.user("pendamping")
        ).phase
        == TestPhase.POST
    )


def test_only_the_participant_takes_their_own_test(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    tw.enrol("pendamping_c")
    with pytest.raises(PermissionDenied):
        services.test_start(
            participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping_c")
        )
    attempt = services.test_start(
        participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping")
    )
    response = tw.client("pendamping_c").post(
        f"/diklat/tes/{attempt.pk}/jawab/", {"question": attempt.question_ids[0], "choice": 1}
    )
    assert response.status_code == 404
    assert tw.client("pendamping_c").post(f"/diklat/tes/{attempt.pk}/kirim/").status_code == 404


def test_submit_form_without_htmx_saves_the_posted_answers_then_scores(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    client = tw.client("pendamping")
    session = tw.sessions[0]
    client.get(f"/diklat/belajar/{p.pk}/sesi/{session.pk}/tes/pre/")
    attempt = TestAttempt.objects.get(participant=p)
    data = {f"q{qid}": Choice.objects.get(question_id=qid, is_correct=True).pk for qid in attempt.question_ids}
    response = client.post(f"/diklat/tes/{attempt.pk}/kirim/", data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    page = client.get(response["Location"])
    assert "100" in page.content.decode()


def test_opening_a_material_records_it_once_for_progress(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    material = services.material_create(
        session=tw.sessions[0],
        title="Bacaan sesi 1",
        kind=MaterialKind.TEXT,
        body="Pesan kunci",
        acting_user=tw.user("balai"),
    )
    client = tw.client("pendamping")
    assert client.get(f"/diklat/materi/{material.pk}/").status_code == 200
    assert client.get(f"/diklat/materi/{material.pk}/").status_code == 200
    assert MaterialView.objects.filter(participant=p, material=material).count() == 1
    # Someone neither in the programme nor editing it does not reach the material.
    assert tw.client("pendamping_jember").get(f"/diklat/materi/{material.pk}/").status_code == 404


def test_a_file_material_is_downloaded_through_the_page(tw: TrainingWorld) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = tw.enrol("pendamping")
    material = services.material_create(
        session=tw.sessions[0],
        title="Modul",
        kind=MaterialKind.FILE,
        file=SimpleUploadedFile("modul.pdf", b"%PDF-1.4 modul", content_type="application/pdf"),
        acting_user=tw.user("balai"),
    )
    response = tw.client("pendamping").get(f"/diklat/materi/{material.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 modul"  # type: ignore[attr-defined]
    assert MaterialView.objects.filter(participant=p, material=material).exists()
    assert str(Material.objects.get(pk=material.pk).file.name).startswith("diklat/materi/")


def test_forum_post_and_reply_are_saved_and_the_facilitator_grades_the_participants_post(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    session = tw.sessions[0]
    topic = services.forum_topic_set(
        cohort=tw.cohort, session=session, title="Diskusi", text="Bagaimana?", acting_user=tw.user("fasilitator")
    )
    client = tw.client("pendamping")
    response = client.post(f"/diklat/belajar/{p.pk}/sesi/{session.pk}/forum/", {"text": "Pendapat saya ..."})
    assert response.status_code == 302
    post = ForumPost.objects.get(topic=topic)
    assert post.participant_id == p.pk and post.author_id == p.staff_id
    services.forum_post_create(topic=topic, text="Tanggapan", reply_to=post, acting_user=tw.user("fasilitator"))
    graded = tw.client("fasilitator").post(f"/diklat/tulisan/{post.pk}/nilai/", {"grade": 85, "comment": "Baik"})
    assert graded.status_code == 302
    post.refresh_from_db()
    assert (post.grade, post.grade_comment, post.graded_by_id) == (85, "Baik", tw.staff["fasilitator"].pk)
    page = client.get(f"/diklat/belajar/{p.pk}/sesi/{session.pk}/").content.decode()
    assert "Tanggapan" in page and "85" in page


def test_grades_stay_within_0_to_100_and_only_participant_posts_are_graded(tw: TrainingWorld) -> None:
    tw.enrol("pendamping")
    topic = services.forum_topic_set(
        cohort=tw.cohort, session=tw.sessions[0], title="D", text="?", acting_user=tw.user("fasilitator")
    )
    post = services.forum_post_create(topic=topic, text="Saya", acting_user=tw.user("pendamping"))
    with pytest.raises(ValidationError):
        services.forum_post_grade(post=post, grade=101, acting_user=tw.user("fasilitator"))
    own = services.forum_post_create(topic=topic, text="Fasilitator", acting_user=tw.user("fasilitator"))
    with pytest.raises(ValidationError):
        services.forum_post_grade(post=own, grade=80, acting_user=tw.user("fasilitator"))


def test_a_facilitator_of_another_cohort_cannot_grade_or_set_topics(tw: TrainingWorld) -> None:
    tw.enrol("pendamping")
    topic = services.forum_topic_set(
        cohort=tw.cohort, session=tw.sessions[0], title="D", text="?", acting_user=tw.user("fasilitator")
    )
    post = services.forum_post_create(topic=topic, text="Saya", acting_user=tw.user("pendamping"))
    with pytest.raises(PermissionDenied):
        services.forum_post_grade(post=post, grade=80, acting_user=tw.user("fasilitator_other"))
    assert tw.client("fasilitator_other").post(f"/diklat/tulisan/{post.pk}/nilai/", {"grade": 80}).status_code == 404
    post.refresh_from_db()
    assert post.grade is None


def test_live_attendance_gives_every_participant_a_row_and_can_be_corrected(tw: TrainingWorld) -> None:
    import datetime as dt

    from django.utils import timezone

    a, b = tw.enrol("pendamping"), tw.enrol("pendamping_b")
    live = services.live_session_create(
        cohort=tw.cohort,
        session=tw.sessions[0],
        starts_at=timezone.now() - dt.timedelta(hours=2),
        url="https://meet.jit.si/harapan-uji",
        acting_user=tw.user("fasilitator"),
    )
    response = tw.client("fasilitator").post(f"/diklat/langsung/{live.pk}/kehadiran/", {"present": [a.pk]})
    assert response.status_code == 302
    assert dict(LiveAttendance.objects.values_list("participant_id", "present")) == {a.pk: True, b.pk: False}
    services.live_attendance_record(live_session=live, present=[a.pk, b.pk], acting_user=tw.user("fasilitator"))
    assert dict(LiveAttendance.objects.values_list("participant_id", "present")) == {a.pk: True, b.pk: True}
    page = tw.client("pendamping_b").get(f"/diklat/belajar/{b.pk}/sesi/{tw.sessions[0].pk}/").content.decode()
    assert "harapan-uji" in page and "hadir" in page


def test_learning_closes_when_the_cohort_is_finished(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    services.cohort_finish(cohort=tw.cohort, acting_user=tw.user("balai"))
    p.refresh_from_db()
    with pytest.raises(ValidationError):
        services.test_start(
            participant=p, session=tw.sessions[0], phase=TestPhase.PRE, acting_user=tw.user("pendamping")
        )
