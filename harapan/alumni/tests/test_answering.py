"""Answering through the link: no login (the token is the credential), answers saved as they are
given so a dropped connection loses nothing, editable until submitted, one submission per link, and
a closed or expired survey says so (issue 7: "answers from a link that works on a phone"; RULES.md
"People and ratios": Facilitator training, evaluation by questionnaire)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harapan.alumni import services
from harapan.alumni.models import Answer, Invitation, Survey
from harapan.audit.models import AuditEvent

from .factories import World, at, full_answers, open_survey

pytestmark = pytest.mark.django_db


def invitation_of(survey: Survey, w: World, i: int = 0) -> Invitation:
    return Invitation.objects.select_related("survey").get(survey=survey, staff=w.pendamping[i])


def form_data(entries: dict[int, object], **extra: str) -> dict[str, object]:
    return {f"q{pk}": v for pk, v in entries.items()} | extra


def test_the_link_opens_the_questionnaire_without_logging_in(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    response = Client().get(reverse("alumni:answer", args=[inv.token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-state="open"' in body and "Pendamping A" in body
    assert body.count("<fieldset") == survey.questions.count()
    assert 'id="site-nav"' not in body  # a respondent sees no staff menu
    # The token must not leak through caches or the Referer header.
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    inv.refresh_from_db()
    assert inv.opened_at is not None


def test_an_unknown_link_is_not_found(world: World) -> None:
    open_survey(world)
    assert Client().get(reverse("alumni:answer", args=["x" * 32])).status_code == 404
    assert Client().post(reverse("alumni:answer_save", args=["x" * 32]), {}).status_code == 404


def test_answers_are_saved_as_they_go_and_shown_again_on_reload(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    q = {x.key: x for x in survey.questions.all()}
    client = Client()
    save = reverse("alumni:answer_save", args=[inv.token])
    # htmx posts the form as it stands on every change: one answer, then two more.
    r = client.post(save, form_data({q["jumlah_kpm"].pk: "195"}), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Tersimpan" in r.content.decode()
    assert Answer.objects.get(invitation=inv, question=q["jumlah_kpm"]).number == Decimal("195.00")
    client.post(
        save,
        form_data(
            {q["jumlah_kpm"].pk: "195", q["kpm_menerapkan"].pk: "50,09", q["modul_disampaikan"].pk: ["m1", "m3"]}
        ),
    )
    assert Answer.objects.filter(invitation=inv).count() == 3
    assert Answer.objects.get(invitation=inv, question=q["modul_disampaikan"]).choices == ["m1", "m3"]
    # The connection dropped, the phone reloads the link: every saved answer is there.
    page = client.get(reverse("alumni:answer", args=[inv.token])).content.decode()
    assert f'name="q{q["jumlah_kpm"].pk}" id="id_q{q["jumlah_kpm"].pk}" value="195"' in page
    assert 'value="50,09"' in page
    assert page.count("checked") == 2


def test_an_invalid_entry_is_refused_but_the_valid_ones_are_kept(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    q = {x.key: x for x in survey.questions.all()}
    r = Client().post(
        reverse("alumni:answer_save", args=[inv.token]),
        form_data({q["kehadiran"].pk: "120", q["usia"].pk: "29"}),
    )
    body = r.content.decode()
    assert f'data-testid="error-q{q["kehadiran"].pk}"' in body and "paling besar 100" in body
    assert list(Answer.objects.filter(invitation=inv).values_list("question__key", flat=True)) == ["usia"]


def test_an_answer_is_editable_until_submitted(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    q = {x.key: x for x in survey.questions.all()}
    services.answers_save(invitation=inv, raw={q["jumlah_kpm"].pk: "150"})
    services.answers_save(invitation=inv, raw={q["jumlah_kpm"].pk: "180"})
    assert Answer.objects.get(invitation=inv, question=q["jumlah_kpm"]).number == 180
    services.answers_save(invitation=inv, raw={q["jumlah_kpm"].pk: ""})  # cleared
    assert not Answer.objects.filter(invitation=inv).exists()


def test_submission_needs_every_required_answer(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    entries = full_answers(survey)
    required_key = next(x for x in survey.questions.all() if x.required)
    del entries[required_key.pk]
    r = Client().post(reverse("alumni:answer", args=[inv.token]), form_data(entries, action="kirim"))
    assert r.status_code == 400
    assert f'data-testid="error-q{required_key.pk}"' in r.content.decode()
    inv.refresh_from_db()
    assert inv.submitted_at is None
    # What was given is kept meanwhile.
    assert Answer.objects.filter(invitation=inv).count() == len(entries)


def test_one_submission_per_link(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    client = Client()
    url = reverse("alumni:answer", args=[inv.token])
    r = client.post(url, form_data(full_answers(survey), action="kirim"), follow=True)
    assert r.redirect_chain == [(url, 302)]
    assert 'data-testid="answer-submitted"' in r.content.decode()
    inv.refresh_from_db()
    first = inv.submitted_at
    assert first is not None
    assert AuditEvent.objects.filter(action="alumni_survey_response_submitted", object_id=str(inv.pk)).count() == 1
    # A second submission, or a change after it, is refused and changes nothing.
    r = client.post(url, form_data(full_answers(survey, jumlah_kpm="300"), action="kirim"))
    assert r.status_code == 409
    with pytest.raises(ValidationError):
        services.invitation_submit(invitation=Invitation.objects.get(pk=inv.pk))
    r = client.post(reverse("alumni:answer_save", args=[inv.token]), form_data(full_answers(survey, jumlah_kpm="300")))
    assert "sudah dikirim" in r.content.decode()
    assert Answer.objects.get(invitation=inv, question__key="jumlah_kpm").number == 195
    inv.refresh_from_db()
    assert inv.submitted_at == first
    assert 'data-state="submitted"' in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_of_one_link_count_once(world: World) -> None:
    """Two tabs send at the same moment: the conditional update lets one through. On PostgreSQL
    only: SQLite's shared in-memory test database refuses a second writer instead of queueing it."""
    from django.db import connection as main

    if main.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    services.answers_save(invitation=inv, raw=full_answers(survey))
    results: list[str] = []

    def submit() -> None:
        from django.db import connection

        try:
            services.invitation_submit(invitation=Invitation.objects.select_related("survey").get(pk=inv.pk))
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert AuditEvent.objects.filter(action="alumni_survey_response_submitted").count() == 1


def test_a_closed_survey_says_so_and_takes_no_answers(world: World) -> None:
    survey = open_survey(world)
    inv = invitation_of(survey, world)
    services.survey_close(survey=survey, acting_user=world.centre_staff.user)
    client = Client()
    page = client.get(reverse("alumni:answer", args=[inv.token])).content.decode()
    assert 'data-testid="answer-closed"' in page and "<form" not in page.split('data-testid="answer-page"')[1]
    r = client.post(reverse("alumni:answer", args=[inv.token]), form_data(full_answers(survey), action="kirim"))
    assert r.status_code == 409
    assert not Answer.objects.filter(invitation=inv).exists()


def test_an_expired_survey_says_so_even_before_it_is_closed(world: World) -> None:
    start = timezone.localdate() - dt.timedelta(days=40)
    survey = open_survey(world, day=start, closes_on=start + dt.timedelta(days=30))
    inv = invitation_of(survey, world)
    page = Client().get(reverse("alumni:answer", args=[inv.token])).content.decode()
    assert 'data-testid="answer-closed"' in page
    with pytest.raises(ValidationError):
        services.answers_save(invitation=inv, raw=full_answers(survey))
    # Saved on the last day, it was still taken.
    services.answers_save(invitation=inv, raw=full_answers(survey), now=at(survey.closes_on, 20))
    assert Answer.objects.filter(invitation=inv).exists()


def test_a_token_answers_only_its_own_invitation(world: World) -> None:
    survey = open_survey(world)
    mine, theirs = invitation_of(survey, world, 0), invitation_of(survey, world, 1)
    q = survey.questions.get(key="jumlah_kpm")
    other_survey_q = open_survey(world, title="Survei lain").questions.get(key="usia")
    services.answers_save(invitation=mine, raw={q.pk: "190", other_survey_q.pk: "30"})
    assert list(Answer.objects.filter(invitation=mine).values_list("question_id", flat=True)) == [q.pk]
    assert not Answer.objects.filter(invitation=theirs).exists()
