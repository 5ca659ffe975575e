"""Alumni evaluation writes: create a survey, define its questions (the default set, or one by
one), open it (an invitation for every alumnus, in bulk), answers saved as they are given, one
submission per link, reminders (email where the alumnus has one, a WhatsApp-ready link where not,
capped per invitation), close it.

Every state change that staff make takes ``acting_user``, runs in one transaction and writes its
audit event; the respondent acts through the link's token, so their submission is audited with no
actor. Messages go out only after the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import staff_of
from harapan.audit.services import audit_events_save
from harapan.conf import setting
from harapan.training.models import Cohort, Programme

from . import events, rules
from .models import Answer, Invitation, Survey, SurveyQuestion, SurveyStatus
from .questions import default_questions
from .selectors import centre_id_of, cohorts_for, manageable_surveys, may_manage, programmes_for, survey_alumni

logger = logging.getLogger(__name__)

QUESTION_FIELDS = (
    "key",
    "section",
    "text",
    "help_text",
    "kind",
    "options",
    "multiple",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "number_min",
    "number_max",
    "unit",
    "required",
    "compares_with",
)


def new_token() -> str:
    """An unguessable, URL-safe token (192 random bits): the credential of one answer link."""
    return secrets.token_urlsafe(24)


def _require_manager(user: Any, survey: Survey | None = None) -> None:
    if not may_manage(user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengelola survei alumni."))
    if survey is not None and not manageable_surveys(user).filter(pk=survey.pk).exists():
        raise PermissionDenied(_("Survei ini bukan milik balai diklat Anda."))


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("Pertanyaan hanya dapat diubah selama survei masih draf."))


# --- The survey and its questions ---------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    programme: Programme,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    acting_user: Any,
    cohorts: Sequence[Cohort] = (),
    completed_before: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    intro: str = "",
) -> Survey:
    """A draft survey of the alumni of ``programme`` (of ``cohorts`` when given). A centre surveys
    its own programmes and the national ones, over its own cohorts; the ministry any. The reference
    period defaults to the REFERENCE_MONTHS whole months before the survey opens."""
    _require_manager(acting_user)
    staff = staff_of(acting_user)
    assert staff is not None
    if not programmes_for(acting_user).filter(pk=programme.pk).exists():
        raise PermissionDenied(_("Program diklat ini bukan milik balai diklat Anda."))
    errors: dict[str, str] = {}
    allowed = set(cohorts_for(acting_user).filter(programme=programme).values_list("pk", flat=True))
    if any(c.programme_id != programme.pk for c in cohorts):
        errors["cohorts"] = _("Angkatan harus dari program diklat yang sama.")
    elif any(c.pk not in allowed for c in cohorts):
        errors["cohorts"] = _("Angkatan ini bukan milik balai diklat Anda.")
    if closes_on < opens_on:
        errors["closes_on"] = _("Tanggal tutup tidak boleh sebelum tanggal buka.")
    if period_start is None or period_end is None:
        period_start, period_end = rules.default_reference_period(opens_on, setting("alumni", "REFERENCE_MONTHS"))
    if period_end < period_start:
        errors["period_end"] = _("Akhir periode acuan tidak boleh sebelum awalnya.")
    if not title.strip():
        errors["title"] = _("Judul wajib diisi.")
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        programme=programme,
        centre_id=centre_id_of(staff) if staff.role != Role.MINISTRY else programme.centre_id,
        title=title.strip(),
        intro=intro,
        completed_before=completed_before,
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=staff,
    )
    if cohorts:
        survey.cohorts.set(cohorts)
    events.survey_event(
        events.SURVEY_CREATED,
        survey,
        actor=acting_user,
        after={"title": survey.title, "programme": programme.pk, "cohorts": [c.pk for c in cohorts]},
    ).save()
    return survey


def question_violations(data: Mapping[str, Any]) -> list[str]:
    """The rule's objections to a question given as the fields of ``SurveyQuestion``."""
    spec = rules.QuestionSpec(
        kind=str(data.get("kind", "")),
        multiple=bool(data.get("multiple", False)),
        scale_min=int(data.get("scale_min", 1)),
        scale_max=int(data.get("scale_max", 5)),
        number_min=data.get("number_min"),
        number_max=data.get("number_max"),
        required=bool(data.get("required", True)),
        compares_with=str(data.get("compares_with", "") or ""),
    )
    return rules.question_violations(spec, data.get("options") or [])


@transaction.atomic
def questions_add(*, survey: Survey, questions: Iterable[Mapping[str, Any]], acting_user: Any) -> list[SurveyQuestion]:
    """Append questions (each the fields of ``SurveyQuestion``) to a draft survey, in one insert.
    Every question is checked by ``rules.question_violations``; a figure already asked, or a key
    already used, is refused."""
    _require_manager(acting_user, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    existing = list(SurveyQuestion.objects.filter(survey=survey).values_list("key", "compares_with"))
    keys = {k for k, _f in existing if k}
    figures = {f for _k, f in existing if f}
    start = (SurveyQuestion.objects.filter(survey=survey).aggregate(m=Max("order"))["m"] or 0) + 1
    rows: list[SurveyQuestion] = []
    problems: list[str] = []
    for i, data in enumerate(questions):
        values = {k: data[k] for k in QUESTION_FIELDS if k in data}
        label = str(values.get("text", "")).strip()
        found = question_violations(values)
        if not label:
            found.append(_("Teks pertanyaan wajib diisi."))
        if values.get("key") and values["key"] in keys:
            found.append(_("Kode %(k)s sudah dipakai.") % {"k": values["key"]})
        if values.get("compares_with") and values["compares_with"] in figures:
            found.append(_("Sudah ada pertanyaan yang dibandingkan dengan data tercatat ini."))
        if found:
            problems.extend(f"{label or '?'}: {p}" for p in found)
            continue
        keys.add(values.get("key", ""))
        figures.add(values.get("compares_with", ""))
        rows.append(SurveyQuestion(survey=survey, order=start + i, **values))
    if problems:
        raise ValidationError(problems)
    created = SurveyQuestion.objects.bulk_create(rows)
    events.survey_event(
        events.QUESTIONS_CHANGED,
        survey,
        actor=acting_user,
        after={"added": [q.key or q.text[:40] for q in created]},
    ).save()
    return created


def questions_load_default(*, survey: Survey, acting_user: Any) -> list[SurveyQuestion]:
    """Append the default set (the Banjarmasin questionnaire's measurable items, ``questions.py``),
    leaving out any question whose key or figure the survey already has."""
    present = SurveyQuestion.objects.filter(survey=survey)
    keys = set(present.exclude(key="").values_list("key", flat=True))
    figures = set(present.exclude(compares_with="").values_list("compares_with", flat=True))
    wanted = [q for q in default_questions() if q["key"] not in keys and q.get("compares_with", "") not in figures]
    return questions_add(survey=survey, questions=wanted, acting_user=acting_user)


@transaction.atomic
def question_delete(*, question: SurveyQuestion, acting_user: Any) -> None:
    survey = question.survey
    _require_manager(acting_user, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    events.survey_event(
        events.QUESTIONS_CHANGED, survey, actor=acting_user, before={"removed": question.key or question.text[:40]}
    ).save()
    question.delete()


# --- Opening, closing -------------------------------------------------------------------------


@dataclass
class Delivery:
    """What happened to the messages of one sending (invitations or reminders). ``count`` alumni
    were invited or reminded; the email counts are known once the transaction has committed."""

    count: int = 0
    emailed: int = 0
    # Alumni to reach another way: no email address, or the email failed. Each is a dict with
    # name, phone, link, whatsapp (a wa.me link or None) and text.
    by_hand: list[dict[str, Any]] = field(default_factory=list)
    email_failed: int = 0
    skipped_capped: int = 0
    skipped_recent: int = 0


@transaction.atomic
def survey_open(
    *, survey: Survey, acting_user: Any, base_url: str, now: dt.datetime | None = None, send_email: bool = True
) -> Delivery:
    """Open a draft survey: one invitation with its own link for every alumnus it covers (one per
    pendamping, in one insert), then the invitation by email where the alumnus has an address and
    as a WhatsApp-ready link where not (``send_email`` False: every message is listed, none sent).
    A survey needs questions and alumni to open, within its dates."""
    _require_manager(acting_user, survey)
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("Survei ini sudah dibuka."))
    if not SurveyQuestion.objects.filter(survey=survey).exists():
        raise ValidationError(_("Survei belum mempunyai pertanyaan."))
    today = timezone.localdate(now)
    if not survey.opens_on <= today <= survey.closes_on:
        raise ValidationError(
            _("Survei hanya dapat dibuka antara %(a)s dan %(b)s.")
            % {"a": survey.opens_on.strftime("%d-%m-%Y"), "b": survey.closes_on.strftime("%d-%m-%Y")}
        )
    # One invitation per pendamping: the latest cohort they passed speaks for them.
    chosen: dict[int, tuple[int, str]] = {}
    for pk, staff_id, region_id in (
        survey_alumni(survey)
        .order_by("staff_id", F("completed_on").desc(nulls_last=True), "-pk")
        .values_list("pk", "staff_id", "region_id")
    ):
        chosen.setdefault(staff_id, (pk, str(region_id)[:5]))
    if not chosen:
        raise ValidationError(_("Tidak ada alumni (peserta lulus) yang tercakup survei ini."))
    Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey, participant_id=pk, staff_id=staff_id, kabupaten_id=kab, token=new_token(), sent_at=now
            )
            for staff_id, (pk, kab) in chosen.items()
        ],
        batch_size=1000,
    )
    survey.status = SurveyStatus.OPEN
    survey.opened_at = now
    survey.save(update_fields=["status", "opened_at"])
    events.survey_event(
        events.SURVEY_OPENED, survey, actor=acting_user, after={"status": survey.status, "invited": len(chosen)}
    ).save()
    delivery = Delivery(count=len(chosen))
    _deliver(
        survey,
        _targets(Invitation.objects.filter(survey=survey)),
        base_url=base_url,
        reminder=False,
        into=delivery,
        send_email=send_email,
    )
    return delivery


@transaction.atomic
def survey_close(*, survey: Survey, acting_user: Any, now: dt.datetime | None = None) -> Survey:
    """Close an open survey: its links then say so and take no more answers."""
    _require_manager(acting_user, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("Hanya survei yang sedang dibuka yang dapat ditutup."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = now or timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    events.survey_event(events.SURVEY_CLOSED, survey, actor=acting_user, after={"status": survey.status}).save()
    return survey


# --- Messages ---------------------------------------------------------------------------------


def answer_link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("alumni:answer", kwargs={"token": token})


def _targets(invitations: Any) -> list[dict[str, Any]]:
    return list(
        invitations.order_by("staff__full_name", "pk").values(
            "pk", "token", "staff__full_name", "staff__phone", "staff__user__email"
        )
    )


def message_text(survey: Survey, *, name: str, link: str, reminder: bool) -> str:
    """The invitation (or reminder) an alumnus receives, by email or WhatsApp."""
    opening = _("Pengingat: ") if reminder else ""
    return _(
        '%(opening)sYth. %(name)s, alumni %(programme)s. Mohon isi survei evaluasi alumni "%(title)s" '
        "sebelum %(closes)s melalui tautan berikut (dapat dibuka di ponsel, tanpa masuk akun; jawaban "
        "tersimpan otomatis): %(link)s  Terima kasih."
    ) % {
        "opening": opening,
        "name": name,
        "programme": survey.programme.name,
        "title": survey.title,
        "closes": survey.closes_on.strftime("%d-%m-%Y"),
        "link": link,
    }


def _deliver(
    survey: Survey,
    targets: list[dict[str, Any]],
    *,
    base_url: str,
    reminder: bool,
    into: Delivery,
    send_email: bool = True,
) -> None:
    """Build each target's message now; after the transaction commits, email those with an address
    (a failure moves them to ``by_hand``). The others are listed with a WhatsApp-ready link."""
    subject = (_("Pengingat: %(t)s") if reminder else _("Undangan survei: %(t)s")) % {"t": survey.title}
    to_email: list[tuple[dict[str, Any], EmailMessage]] = []
    for t in targets:
        link = answer_link(base_url, t["token"])
        text = message_text(survey, name=t["staff__full_name"], link=link, reminder=reminder)
        row = {
            "invitation_id": t["pk"],
            "name": t["staff__full_name"],
            "phone": t["staff__phone"],
            "link": link,
            "text": text,
            "whatsapp": rules.whatsapp_link(t["staff__phone"], text),
        }
        email = (t["staff__user__email"] or "").strip() if send_email else ""
        if email:
            to_email.append((row, EmailMessage(subject=subject, body=text, to=[email])))
        else:
            into.by_hand.append(row)

    def send() -> None:
        if not to_email:
            return
        try:
            connection = get_connection(fail_silently=False)
            connection.open()
        except Exception:  # no mail server: every alumnus is reached by hand instead
            logger.exception("alumni: mail server unreachable")
            into.email_failed += len(to_email)
            into.by_hand.extend(row for row, _msg in to_email)
            return
        try:
            for row, msg in to_email:
                try:
                    msg.connection = connection
                    msg.send()
                    into.emailed += 1
                except Exception:
                    logger.exception("alumni: email to invitation %s failed", row["invitation_id"])
                    into.email_failed += 1
                    into.by_hand.append(row)
        finally:
            connection.close()
        into.by_hand.sort(key=lambda r: r["name"])

    transaction.on_commit(send)


def invitations_remind(
    *,
    survey: Survey,
    acting_user: Any,
    base_url: str,
    now: dt.datetime | None = None,
    source: str = "web",
    send_email: bool = True,
) -> Delivery:
    """Remind the alumni who have not submitted: those with fewer than REMINDER_MAX reminders and
    not contacted (invited or reminded) in the last REMINDER_MIN_DAYS days. Their count and time
    are recorded in one update; the messages go after commit (email, or a WhatsApp-ready link)."""
    with transaction.atomic():
        if acting_user is not None:
            _require_manager(acting_user, survey)
        now = now or timezone.now()
        survey = Survey.objects.select_for_update().select_related("programme").get(pk=survey.pk)
        if survey.status != SurveyStatus.OPEN or not survey.opens_on <= timezone.localdate(now) <= survey.closes_on:
            raise ValidationError(_("Pengingat hanya dapat dikirim selama survei dibuka."))
        cap = setting("alumni", "REMINDER_MAX")
        since = now - dt.timedelta(days=setting("alumni", "REMINDER_MIN_DAYS"))
        waiting = Invitation.objects.filter(survey=survey, submitted_at__isnull=True)
        contacted = Coalesce("last_reminded_at", "sent_at")
        due = (
            waiting.filter(reminder_count__lt=cap)
            .alias(contacted=contacted)
            .filter(Q(contacted__isnull=True) | Q(contacted__lte=since))
        )
        ids = list(due.values_list("pk", flat=True))
        delivery = Delivery(count=len(ids), skipped_capped=waiting.filter(reminder_count__gte=cap).count())
        delivery.skipped_recent = waiting.count() - delivery.skipped_capped - len(ids)
        Invitation.objects.filter(pk__in=ids, reminder_count__lt=cap).update(
            reminder_count=F("reminder_count") + 1, last_reminded_at=now
        )
        events.survey_event(
            events.REMINDERS_SENT,
            survey,
            actor=acting_user,
            source=source,
            after={"reminded": len(ids), "capped": delivery.skipped_capped, "recent": delivery.skipped_recent},
        ).save()
        _deliver(
            survey,
            _targets(Invitation.objects.filter(pk__in=ids)),
            base_url=base_url,
            reminder=True,
            into=delivery,
            send_email=send_email,
        )
    return delivery


# --- Answering through the link -------------------------------------------------------------------


def _answerable(invitation: Invitation, today: dt.date) -> None:
    survey = invitation.survey
    if invitation.submitted_at is not None:
        raise ValidationError(_("Jawaban Anda sudah dikirim; tidak dapat diubah lagi."))
    if not survey.accepts_answers_on(today):
        raise ValidationError(_("Survei ini sudah ditutup."))


def invitation_opened(invitation: Invitation, *, now: dt.datetime | None = None) -> None:
    """The first time the link is opened."""
    if invitation.opened_at is None:
        now = now or timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


def answers_save(
    *, invitation: Invitation, raw: Mapping[int, str | Sequence[str]], now: dt.datetime | None = None
) -> dict[int, list[str]]:
    """Save what the respondent entered for some questions (question id -> entry), as they go: each
    valid entry is kept at once (an empty entry clears the answer), in one upsert and one delete;
    the others come back with the reason. Refused once submitted or when the survey is closed."""
    now = now or timezone.now()
    _answerable(invitation, timezone.localdate(now))
    questions = {q.pk: q for q in SurveyQuestion.objects.filter(survey_id=invitation.survey_id, pk__in=list(raw))}
    text_max = setting("alumni", "TEXT_ANSWER_MAX")
    errors: dict[int, list[str]] = {}
    keep: list[Answer] = []
    clear: list[int] = []
    for qid, entry in raw.items():
        question = questions.get(qid)
        if question is None:
            continue
        parsed, problems = rules.parse_answer(rules.QuestionSpec.from_question(question), entry, text_max=text_max)
        if problems:
            errors[qid] = problems
        elif parsed.empty:
            clear.append(qid)
        else:
            keep.append(
                Answer(
                    invitation=invitation,
                    question=question,
                    number=parsed.number,
                    text=parsed.text,
                    choices=list(parsed.choices),
                    updated_at=now,
                )
            )
    with transaction.atomic():
        # Re-read under lock: a submission in another tab must not be followed by a change.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _answerable(locked, timezone.localdate(now))
        if keep:
            Answer.objects.bulk_create(
                keep,
                update_conflicts=True,
                unique_fields=["invitation", "question"],
                update_fields=["number", "text", "choices", "updated_at"],
            )
        if clear:
            Answer.objects.filter(invitation=invitation, question_id__in=clear).delete()
        if keep or clear:
            Invitation.objects.filter(pk=invitation.pk).update(last_saved_at=now, opened_at=Coalesce("opened_at", now))
    return errors


def invitation_submit(*, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    """Submit the answers: every required question answered, once per link (a second submission,
    even racing the first, is refused)."""
    now = now or timezone.now()
    _answerable(invitation, timezone.localdate(now))
    required = SurveyQuestion.objects.filter(survey_id=invitation.survey_id, required=True)
    answered = Answer.objects.filter(invitation=invitation).values_list("question_id", flat=True)
    missing = rules.missing_required(required.values_list("pk", flat=True), answered)
    if missing:
        raise ValidationError(
            {str(q): _("Pertanyaan ini wajib dijawab.") for q in missing},
        )
    with transaction.atomic():
        done = Invitation.objects.filter(pk=invitation.pk, submitted_at__isnull=True).update(
            submitted_at=now, opened_at=Coalesce("opened_at", now)
        )
        if not done:
            raise ValidationError(_("Jawaban Anda sudah dikirim; tidak dapat diubah lagi."))
        invitation.submitted_at = now
        audit_events_save(
            [
                events.survey_event(
                    events.RESPONSE_SUBMITTED,
                    invitation,
                    actor=None,
                    source="tautan",
                    after={"survey": invitation.survey_id, "staff": invitation.staff_id},
                )
            ]
        )
    return invitation
