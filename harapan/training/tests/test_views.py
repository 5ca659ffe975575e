"""The centre's and facilitator's pages: a programme from the P2K2 curriculum, a cohort with its
facilitators, the question bank and materials, forum topics, live sessions; the pendamping's
training line on their caseload page (RULES.md "P2K2 / FDS curriculum"; "People and ratios")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.p2k2.models import ModuleKind, Session
from harapan.training import services
from harapan.training.models import Cohort, ForumTopic, LiveSession, Material, Programme, Question

from .conftest import TrainingWorld

pytestmark = pytest.mark.django_db


def test_a_programme_from_the_curriculum_has_the_5_modules_14_sessions_in_order(tw: TrainingWorld) -> None:
    response = tw.client("balai").post(
        "/diklat/program/baru/",
        {
            "name": "FDS e-learning",
            "duration_days": 10,
            "hours": 60,
            "pass_mark": 75,
            "questions_per_test": 5,
            "require_all_sessions": "on",
            "require_posttest_pass": "on",
            "min_forum_posts": 1,
            "trains_p2k2": "on",
            "from_curriculum": "on",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="FDS e-learning")
    assert programme.centre == tw.centre and programme.pass_mark == 75 and programme.trains_p2k2
    sessions = list(programme.sessions.order_by("order"))
    national = list(Session.objects.filter(module__kind=ModuleKind.INTI).order_by("module__order", "order"))
    assert len(sessions) == 14
    assert [s.p2k2_session_id for s in sessions] == [s.pk for s in national]
    assert [s.order for s in sessions] == list(range(1, 15))
    assert (
        sessions[0].title == "Menjadi Orang Tua yang Lebih Baik"
        and sessions[-1].title == "Pentingnya Kesejahteraan Lanjut Usia"
    )
    assert Question.objects.filter(session__programme=programme).count() >= 14  # the starter questions
    assert AuditEvent.objects.filter(action="training_programme_created", object_id=str(programme.pk)).exists()


def test_a_programme_with_its_own_sessions(tw: TrainingWorld) -> None:
    response = tw.client("balai").post(
        "/diklat/program/baru/",
        {
            "name": "Diklat stunting",
            "duration_days": 3,
            "hours": 24,
            "pass_mark": 70,
            "questions_per_test": 5,
            "min_forum_posts": 0,
            "session_titles": "Gizi 1000 HPK\nPemantauan tumbuh kembang\n",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Diklat stunting")
    assert list(programme.sessions.values_list("title", flat=True)) == ["Gizi 1000 HPK", "Pemantauan tumbuh kembang"]
    assert not programme.trains_p2k2


@pytest.mark.parametrize("key", ["korkab", "fasilitator", "pendamping"])
def test_only_the_centre_or_ministry_creates_programmes_and_cohorts(tw: TrainingWorld, key: str) -> None:
    client = tw.client(key)
    assert client.get("/diklat/program/baru/").status_code == 403
    assert client.get("/diklat/angkatan/baru/").status_code == 403


def test_the_centre_creates_a_cohort_with_its_own_facilitators(tw: TrainingWorld) -> None:
    today = timezone.localdate()
    page = tw.client("balai").get("/diklat/angkatan/baru/").content.decode()
    assert "Widyaiswara Satu" in page and "Widyaiswara Lain" in page
    response = tw.client("balai").post(
        "/diklat/angkatan/baru/",
        {
            "programme": tw.programme.pk,
            "number": 11,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=11)).isoformat(),
            "facilitators": [tw.staff["fasilitator_other"].pk],
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(programme=tw.programme, number=11)
    assert cohort.centre == tw.centre and list(cohort.facilitators.all()) == [tw.staff["fasilitator_other"]]
    again = tw.client("balai").post(
        "/diklat/angkatan/baru/",
        {"programme": tw.programme.pk, "number": 11, "starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    assert again.status_code == 200 and "sudah ada" in again.content.decode()


def test_the_centre_sets_quotas_through_the_page(tw: TrainingWorld) -> None:
    response = tw.client("balai").post(
        f"/diklat/angkatan/{tw.cohort.pk}/kuota/", {"quota-region": "35.03", "quota-places": 10}
    )
    assert response.status_code == 302
    assert tw.cohort.quotas.get(region_id="35.03").places == 10
    assert (
        tw.client("korkab")
        .post(f"/diklat/angkatan/{tw.cohort.pk}/kuota/", {"quota-region": "35.11", "quota-places": 99})
        .status_code
        == 403
    )
    assert tw.cohort.quotas.get(region_id="35.11").places == 10  # the korkab does not set quotas


def test_facilitator_adds_questions_and_materials_to_the_bank(tw: TrainingWorld) -> None:
    session = tw.sessions[0]
    client = tw.client("fasilitator")
    response = client.post(
        f"/diklat/sesi/{session.pk}/",
        {
            "form": "question",
            "q-text": "Apa tujuan P2K2?",
            "q-choice_1": "Perubahan perilaku KPM",
            "q-choice_2": "Menambah bantuan",
            "q-correct": 1,
        },
    )
    assert response.status_code == 302
    q = Question.objects.get(text="Apa tujuan P2K2?")
    assert [(c.text, c.is_correct) for c in q.choices.order_by("pk")] == [
        ("Perubahan perilaku KPM", True),
        ("Menambah bantuan", False),
    ]
    response = client.post(
        f"/diklat/sesi/{session.pk}/",
        {"form": "material", "m-title": "Video sesi 1", "m-kind": "video", "m-url": "https://example.org/v1"},
    )
    assert response.status_code == 302
    assert Material.objects.get(title="Video sesi 1").url == "https://example.org/v1"
    client.post(f"/diklat/soal/{q.pk}/nonaktifkan/")
    q.refresh_from_db()
    assert not q.is_active
    # A facilitator of no cohort of the programme, and a pendamping, do not reach the bank.
    assert tw.client("fasilitator_other").get(f"/diklat/sesi/{session.pk}/").status_code == 404
    assert tw.client("pendamping").get(f"/diklat/sesi/{session.pk}/").status_code == 404


def test_a_question_needs_exactly_one_right_answer(tw: TrainingWorld) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.question_create(
            session=tw.sessions[0], text="?", choices=[("a", True), ("b", True)], acting_user=tw.user("balai")
        )
    with pytest.raises(ValidationError):
        services.question_create(session=tw.sessions[0], text="?", choices=[("a", True)], acting_user=tw.user("balai"))


def test_facilitator_sets_a_topic_and_schedules_a_live_session(tw: TrainingWorld) -> None:
    tw.enrol("pendamping")
    client = tw.client("fasilitator")
    session = tw.sessions[2]
    response = client.post(
        f"/diklat/angkatan/{tw.cohort.pk}/topik/",
        {"topic-session": session.pk, "topic-title": "Belajar lewat bermain", "topic-text": "Bagaimana?"},
    )
    assert response.status_code == 302
    assert ForumTopic.objects.get(cohort=tw.cohort, session=session).title == "Belajar lewat bermain"
    starts = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/diklat/angkatan/{tw.cohort.pk}/langsung/",
        {
            "live-session": session.pk,
            "live-title": "Vicon modul 1",
            "live-starts_at": starts,
            "live-duration_minutes": 90,
            "live-url": "https://meet.jit.si/uji",
        },
    )
    assert response.status_code == 302
    assert LiveSession.objects.get(cohort=tw.cohort).url == "https://meet.jit.si/uji"
    assert client.get(f"/diklat/angkatan/{tw.cohort.pk}/forum/").status_code == 200
    assert client.get(f"/diklat/angkatan/{tw.cohort.pk}/langsung/").status_code == 200
    for key in ("korkab", "pendamping", "fasilitator_other"):
        assert tw.client(key).get(f"/diklat/angkatan/{tw.cohort.pk}/forum/").status_code in (403, 404), key


@pytest.mark.parametrize(
    "key", ["balai", "fasilitator", "korkab", "operator", "pendamping", "dinsos_prov", "ministry", "balai_other"]
)
def test_the_training_index_opens_for_every_role(tw: TrainingWorld, key: str) -> None:
    tw.enrol("pendamping")
    response = tw.client(key).get("/diklat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="nav-training"' in html
    shown = f'data-testid="cohort-link-{tw.cohort.pk}"' in html or 'data-testid="learn-link-' in html
    assert shown == (key != "balai_other")


def test_the_participants_class_lists_the_14_sessions_in_order_with_progress(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    response = tw.client("pendamping").get(f"/diklat/belajar/{p.pk}/")
    assert response.status_code == 200
    progress = response.context["progress"]
    assert [r.session.order for r in progress] == list(range(1, 15))
    assert response.context["done"] == 0


def test_the_caseload_page_of_a_pendamping_shows_the_training_line(tw: TrainingWorld) -> None:
    response = tw.client("korkab").get(f"/kelompok/beban/pendamping/{tw.staff['pendamping'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="staff-training"' in html and f"/diklat/peserta/{tw.staff['pendamping'].pk}/" in html


def test_training_centre_command_registers_a_centre_and_links_its_staff(tw: TrainingWorld) -> None:
    from django.core.management import CommandError, call_command

    from harapan.training.models import Centre, CentreStaff

    call_command("training_centre", "--code", "bbppks-bandung", "--name", "BBPPKS Bandung", "--province", "32")
    call_command("training_centre", "--code", "bbppks-bandung", "--staff", "t_fasilitator_other")
    assert CentreStaff.objects.get(staff=tw.staff["fasilitator_other"]).centre == Centre.objects.get(
        code="bbppks-bandung"
    )
    with pytest.raises(CommandError):
        call_command("training_centre", "--code", "bbppks-bandung", "--staff", "t_pendamping")
