"""Facilitator training in a real browser (issue 7; RULES.md "People and ratios": Facilitator
training; seed 001: pretest scored at once, self-study, forum graded by the facilitator, posttest):
a pendamping on a 360 px phone takes a pretest whose answers are saved as they click (a reload
mid-test keeps them), opens a material, posts in the forum, takes the posttest and sees the score;
the facilitator grades the post; the pendamping sees the grade."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.testing import BONDOWOSO, MAESAN, make_staff
from harapan.training import services
from harapan.training.models import (
    Centre,
    Choice,
    ForumPost,
    MaterialKind,
    MaterialView,
    TestAnswer,
    TestAttempt,
    TestPhase,
)

pytestmark = pytest.mark.browser


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def answer(page: Any, attempt: TestAttempt, index: int, *, right: bool) -> None:
    """Click the right (or a wrong) choice of the attempt's question ``index`` (1-based) and wait
    until htmx says it is saved."""
    qid = attempt.question_ids[index - 1]
    choice = Choice.objects.filter(question_id=qid, is_correct=right).order_by("pk").first()
    assert choice is not None
    page.locator(f'input[name="q{qid}"][value="{choice.pk}"]').check()
    expect(page.get_by_test_id(f"saved-{index}")).to_contain_text("Tersimpan")


def test_pendamping_learns_on_a_phone_and_the_facilitator_grades_the_post(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    balai = make_staff(Role.BALAI_DIKLAT, "34", full_name="Balai Yogyakarta")
    fasilitator = make_staff(Role.FASILITATOR, "34", full_name="Pak Widyaiswara")
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab")
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    centre = Centre.objects.create(name="BBPPKS Yogyakarta", code="bbppks-yogyakarta", region_id="34")
    services.centre_staff_add(staff=balai, centre=centre)
    services.centre_staff_add(staff=fasilitator, centre=centre)
    programme = services.programme_create(
        name="Diklat P2K2",
        from_curriculum=True,
        acting_user=balai.user,
        trains_p2k2=True,
        questions_per_test=3,
        require_materials_before_posttest=True,
    )
    session = programme.sessions.order_by("order").first()
    assert session is not None
    for i in range(3):
        services.question_create(
            session=session,
            text=f"Pertanyaan tambahan {i + 1}",
            choices=[(f"Jawaban tepat {i + 1}", True), ("Jawaban keliru", False), ("Tidak tahu", False)],
            acting_user=balai.user,
        )
    services.material_create(
        session=session,
        title="Bacaan: menjadi orang tua yang lebih baik",
        kind=MaterialKind.TEXT,
        body="Pesan kunci: anak belajar dari contoh orang tuanya.",
        acting_user=balai.user,
    )
    today = timezone.localdate()
    cohort = services.cohort_create(
        programme=programme,
        number=10,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=10),
        facilitators=[fasilitator],
        acting_user=balai.user,
    )
    services.quota_set(cohort=cohort, region_code=BONDOWOSO, places=10, acting_user=balai.user)
    participant = services.participant_nominate(cohort=cohort, pendamping=pendamping, acting_user=korkab.user)
    services.participant_decide(participant=participant, confirm=True, acting_user=balai.user)
    services.cohort_start(cohort=cohort, acting_user=balai.user)
    services.forum_topic_set(
        cohort=cohort,
        session=session,
        title="Menjadi orang tua yang lebih baik",
        text="Bagaimana Anda membuka sesi ini di kelompok Anda?",
        acting_user=fasilitator.user,
    )

    # The pendamping on a phone: the training index, the class, the first session.
    p = phone_page
    p.on("dialog", lambda dialog: dialog.accept())
    login(p, pendamping)
    p.get_by_test_id("nav-training").click()
    p.get_by_test_id(f"learn-link-{participant.pk}").click()
    expect(p.get_by_test_id("learn-session-14")).to_be_visible()
    assert fits(p)
    p.get_by_test_id("session-link-1").click()
    expect(p.get_by_test_id("post-locked")).to_be_visible()
    assert fits(p)

    # The pretest: answers saved as they click; a reload mid-test keeps them.
    p.get_by_test_id("pre-start").click()
    expect(p.get_by_test_id("test-title")).to_have_text("Pretest")
    pre = TestAttempt.objects.get(participant=participant, session=session, phase=TestPhase.PRE)
    assert pre.total == 3
    answer(p, pre, 1, right=True)
    answer(p, pre, 2, right=False)
    assert TestAnswer.objects.filter(attempt=pre).count() == 2
    p.reload()
    for index in (1, 2):
        qid = pre.question_ids[index - 1]
        chosen = TestAnswer.objects.get(attempt=pre, question_id=qid).choice_id
        expect(p.locator(f'input[name="q{qid}"][value="{chosen}"]')).to_be_checked()
    assert TestAttempt.objects.filter(participant=participant, phase=TestPhase.PRE).count() == 1
    answer(p, pre, 3, right=True)
    assert fits(p)
    p.get_by_test_id("test-submit").click()
    expect(p.get_by_test_id("test-score")).to_contain_text("66,67")
    p.get_by_test_id("back-to-session").click()
    expect(p.get_by_test_id("pre-score")).to_contain_text("66,67")

    # The posttest waits for the material; the pendamping opens it.
    expect(p.get_by_test_id("post-locked")).to_be_visible()
    material = session.materials.get()
    p.get_by_test_id(f"material-link-{material.pk}").click()
    expect(p.get_by_test_id("material-body")).to_contain_text("anak belajar dari contoh")
    assert MaterialView.objects.filter(participant=participant, material=material).exists()
    p.get_by_test_id("material-back").click()
    expect(p.get_by_test_id(f"material-seen-{material.pk}")).to_be_visible()

    # The forum.
    p.locator("#id_text").fill("Saya membuka dengan cerita pengalaman ibu-ibu tentang mendidik anak.")
    p.get_by_test_id("post-submit").click()
    post = ForumPost.objects.get(participant=participant)
    expect(p.get_by_test_id(f"post-{post.pk}")).to_contain_text("cerita pengalaman")
    assert fits(p)

    # The posttest, all right, scored at once.
    p.get_by_test_id("post-start").click()
    expect(p.get_by_test_id("test-title")).to_have_text("Posttest")
    post_attempt = TestAttempt.objects.get(participant=participant, session=session, phase=TestPhase.POST)
    for index in range(1, post_attempt.total + 1):
        answer(p, post_attempt, index, right=True)
    p.get_by_test_id("test-submit").click()
    expect(p.get_by_test_id("test-score")).to_contain_text("100")
    p.get_by_test_id("back-to-session").click()
    expect(p.get_by_test_id("post-score")).to_contain_text("100")

    # The facilitator grades the post.
    login(page, fasilitator)
    page.goto("/diklat/")
    page.get_by_test_id(f"cohort-link-{cohort.pk}").click()
    page.get_by_test_id("forum-link").click()
    page.get_by_test_id(f"grade-input-{post.pk}").fill("85")
    page.get_by_test_id(f"grade-comment-{post.pk}").fill("Pembukaan yang baik")
    page.get_by_test_id(f"grade-submit-{post.pk}").click()
    expect(page.get_by_test_id(f"graded-{post.pk}")).to_contain_text("85")

    # The pendamping sees the grade.
    p.reload()
    expect(p.get_by_test_id(f"post-grade-{post.pk}")).to_contain_text("85")
    expect(p.get_by_test_id(f"post-grade-{post.pk}")).to_contain_text("Pembukaan yang baik")
    assert fits(p)
