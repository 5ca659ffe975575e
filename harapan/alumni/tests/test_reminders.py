"""Response rate and reminders: the rate per cohort and kabupaten/kota; "kirim pengingat" reminds
only those who have not answered - by email where the alumnus has an address, as a WhatsApp-ready
link where not - records the count and time, keeps its spacing and stops at the cap; a management
command does the same on a schedule (RULES.md "People and ratios": evaluation by questionnaire,
"718 of 1,142 alumni answered"; seed 003)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from harapan.alumni import services
from harapan.alumni.models import Invitation, Survey
from harapan.alumni.selectors import response_by_cohort, response_by_kabupaten, response_total
from harapan.audit.models import AuditEvent

from .factories import World, at, full_answers, open_survey

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise OSError("connection refused")


def begun(w: World, *, days_ago: int = 10) -> Survey:
    """A survey opened ``days_ago`` days ago; Pendamping A has answered; A and B have an email
    address, Jember's pendamping a phone, Pendamping C neither."""
    survey = open_survey(w, day=timezone.localdate() - dt.timedelta(days=days_ago))
    for staff, email in ((w.pendamping[0], "a@pkh.test"), (w.pendamping[1], "b@pkh.test")):
        staff.user.email = email
        staff.user.save(update_fields=["email"])
    w.pendamping_jember.phone = "0812-3456-7890"
    w.pendamping_jember.save(update_fields=["phone"])
    inv = Invitation.objects.select_related("survey").get(survey=survey, staff=w.pendamping[0])
    services.answers_save(invitation=inv, raw=full_answers(survey))
    services.invitation_submit(invitation=inv)
    return survey


def remind(survey: Survey, w: World, now: dt.datetime | None = None) -> services.Delivery:
    return services.invitations_remind(
        survey=survey, acting_user=w.centre_staff.user, base_url="https://harapan.test", now=now
    )


def test_the_response_rate_per_cohort_and_kabupaten(world: World) -> None:
    survey = begun(world)
    invitations = Invitation.objects.filter(survey=survey)
    total = response_total(invitations)
    assert (total.invited, total.answered, total.rate) == (4, 1, Decimal("25.00"))
    rows = {r.key: (r.invited, r.answered, r.rate) for r in response_by_kabupaten(invitations)}
    assert rows == {"35.09": (1, 0, Decimal(0)), "35.11": (3, 1, Decimal("33.33"))}
    cohorts = response_by_cohort(invitations)
    assert [(r.key, r.invited, r.answered) for r in cohorts] == [(str(world.cohort.pk), 4, 1)]


def test_a_reminder_goes_only_to_those_who_have_not_answered(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    survey = begun(world)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = remind(survey, world)
    # Pendamping B by email; Jember's and C by hand; A answered already.
    assert delivery.emailed == 1
    assert [m.to for m in mail.outbox] == [["b@pkh.test"]]
    assert "/evaluasi/isi/" in mail.outbox[0].body and "Pengingat" in mail.outbox[0].subject
    by_hand = {r["name"]: r for r in delivery.by_hand}
    assert set(by_hand) == {"Pendamping C", "Pendamping J"}
    jember = by_hand["Pendamping J"]
    token = Invitation.objects.get(survey=survey, staff=world.pendamping_jember).token
    assert jember["link"] == f"https://harapan.test/evaluasi/isi/{token}/"
    assert jember["whatsapp"].startswith("https://wa.me/6281234567890?text=Pengingat")
    assert by_hand["Pendamping C"]["whatsapp"] is None  # no number: the text to copy remains
    counts = dict(Invitation.objects.filter(survey=survey).values_list("staff__full_name", "reminder_count"))
    assert counts == {"Pendamping A": 0, "Pendamping B": 1, "Pendamping C": 1, "Pendamping J": 1}
    assert Invitation.objects.filter(survey=survey, reminder_count=1, last_reminded_at__isnull=False).count() == 3
    assert AuditEvent.objects.filter(action="alumni_survey_reminders_sent").count() == 1


def test_reminders_keep_their_spacing_and_stop_at_the_cap(world: World, settings: Any) -> None:
    """Configurable: REMINDER_MAX (3) and REMINDER_MIN_DAYS (3)."""
    settings.HARAPAN = {"alumni": {"REMINDER_MAX": 2, "REMINDER_MIN_DAYS": 3}}
    survey = begun(world, days_ago=10)
    today = timezone.localdate()
    first = remind(survey, world, now=at(today - dt.timedelta(days=6)))
    assert first.count == 3
    too_soon = remind(survey, world, now=at(today - dt.timedelta(days=4)))
    assert (too_soon.count, too_soon.skipped_recent) == (0, 3)
    second = remind(survey, world, now=at(today - dt.timedelta(days=3)))
    assert second.count == 3
    capped = remind(survey, world, now=at(today))
    assert (capped.count, capped.skipped_capped) == (0, 3)
    assert set(Invitation.objects.filter(survey=survey).values_list("reminder_count", flat=True)) == {0, 2}


def test_a_first_reminder_waits_for_the_spacing_after_the_invitation(world: World) -> None:
    survey = begun(world, days_ago=1)
    delivery = remind(survey, world)
    assert (delivery.count, delivery.skipped_recent) == (0, 3)


def test_when_email_fails_the_alumnus_is_listed_for_whatsapp(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "harapan.alumni.tests.test_reminders.FailingBackend"
    survey = begun(world)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = remind(survey, world)
    assert delivery.emailed == 0 and delivery.email_failed == 1
    assert {r["name"] for r in delivery.by_hand} == {"Pendamping B", "Pendamping C", "Pendamping J"}


def test_reminders_only_while_the_survey_is_open(world: World) -> None:
    survey = begun(world)
    services.survey_close(survey=survey, acting_user=world.centre_staff.user)
    with pytest.raises(ValidationError):
        remind(survey, world)


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_command_reminds_and_prints_the_whatsapp_messages(world: World) -> None:
    """Outside a test transaction, as a scheduler runs it: the emails go once the reminders commit."""
    survey = begun(world)
    out = io.StringIO()
    call_command("survey_remind", "--survey", str(survey.pk), "--base-url", "https://harapan.test", stdout=out)
    text = out.getvalue()
    assert "1 pengingat lewat email, 2 untuk WhatsApp" in text
    assert "Pendamping J\t0812-3456-7890\thttps://wa.me/6281234567890" in text
    assert "Pendamping C\t-\thttps://harapan.test/evaluasi/isi/" in text
    assert Invitation.objects.filter(survey=survey, reminder_count=1).count() == 3
    event = AuditEvent.objects.get(action="alumni_survey_reminders_sent")
    assert event.source == "command" and event.actor_id is None
    # Run again at once: the spacing holds.
    out = io.StringIO()
    call_command("survey_remind", "--survey", str(survey.pk), stdout=out)
    assert "0 pengingat lewat email, 0 untuk WhatsApp" in out.getvalue()


def test_the_command_refuses_a_user_who_does_not_run_the_survey(world: World) -> None:
    from django.core.management.base import CommandError

    survey = begun(world)
    with pytest.raises(CommandError):
        call_command("survey_remind", "--survey", str(survey.pk), "--user", world.korkab.user.username)
    with pytest.raises(CommandError):
        call_command("survey_remind", "--survey", "999999")
