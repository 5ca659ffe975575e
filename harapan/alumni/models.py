"""Alumni evaluation of facilitator training: a survey of a programme's alumni, its questions
defined as data, one invitation (and one unguessable link) per alumnus, and the answers saved as
they are given (RULES.md "People and ratios": Facilitator training, "later evaluation by
questionnaire (718 of 1,142 alumni answered)"; seed 003, the Banjarmasin evaluation).

Some questions ask for a figure Harapan also records (families per pendamping, graduasi mandiri,
P2K2 meetings per month, attendance rate, modules delivered in order); ``compares_with`` names it
so that the report sets the self-reported answer beside the recorded one (``figures.py``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class Survey(models.Model):
    """A questionnaire for the alumni of one programme: either of the cohorts listed, or (none
    listed) of every cohort of the programme, by those who completed before ``completed_before``."""

    programme = models.ForeignKey(
        "training.Programme", verbose_name=_("program diklat"), on_delete=models.PROTECT, related_name="surveys"
    )
    # The centre that runs the survey; null: a ministry survey over every centre's cohorts.
    centre = models.ForeignKey(
        "training.Centre",
        verbose_name=_("balai diklat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("judul"), max_length=200)
    intro = models.TextField(_("pengantar untuk responden"), blank=True)
    cohorts = models.ManyToManyField(
        "training.Cohort", verbose_name=_("angkatan"), blank=True, related_name="alumni_surveys"
    )
    completed_before = models.DateField(_("lulus sebelum"), null=True, blank=True)
    # The months whose recorded field work is set beside the answers (caseload is as of today).
    period_start = models.DateField(_("periode acuan dari"))
    period_end = models.DateField(_("periode acuan sampai"))
    opens_on = models.DateField(_("dibuka pada"))
    closes_on = models.DateField(_("ditutup pada"))
    status = models.CharField(_("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    created_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    opened_at = models.DateTimeField(_("dibuka pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("survei alumni")
        verbose_name_plural = _("survei alumni")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SurveyStatus.values), name="alumni_survey_status_known"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="alumni_survey_open_dates_ordered"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="alumni_survey_period_ordered"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opened_at__isnull=False), name="alumni_survey_opened_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_answers_on(self, day: dt.date) -> bool:
        """Answers are taken while the survey is open and ``day`` lies within its dates."""
        return self.status == SurveyStatus.OPEN and self.opens_on <= day <= self.closes_on


class QuestionKind(models.TextChoices):
    NUMBER = "number", _("Angka")
    CHOICE = "choice", _("Pilihan")
    SCALE = "scale", _("Skala")
    TEXT = "text", _("Teks")


class Figure(models.TextChoices):
    """The recorded figure a self-reported answer is set beside (seed 003, figures a-g)."""

    CASELOAD = "caseload", _("KPM per pendamping")
    GRADUASI_MANDIRI = "graduasi_mandiri", _("Graduasi mandiri per pendamping")
    P2K2_MEETINGS_PER_MONTH = "p2k2_meetings_per_month", _("Pertemuan P2K2 per bulan")
    ATTENDANCE_RATE = "attendance_rate", _("Persentase kehadiran KPM")
    MODULES_IN_ORDER = "modules_in_order", _("Modul disampaikan sesuai urutan")
    # No recorded twin: Harapan does not record whether a family applies the material.
    APPLYING_SHARE = "applying_share", _("Persentase KPM menerapkan materi")


class SurveyQuestion(models.Model):
    """One question. ``options`` (choice): a list of {"value", "label"}; ``multiple``: several may be
    picked. Scale: integers ``scale_min``..``scale_max`` with labels at both ends. Number: optional
    bounds and a unit."""

    survey = models.ForeignKey(Survey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("urutan"))
    # A stable name for the question within the survey (the default set's keys), for exports.
    key = models.SlugField(_("kode"), max_length=40, blank=True)
    section = models.CharField(_("bagian"), max_length=120, blank=True)
    text = models.CharField(_("pertanyaan"), max_length=500)
    help_text = models.CharField(_("penjelasan"), max_length=300, blank=True)
    kind = models.CharField(_("jenis"), max_length=8, choices=QuestionKind.choices)
    options = models.JSONField(_("pilihan jawaban"), default=list, blank=True)
    multiple = models.BooleanField(_("boleh lebih dari satu pilihan"), default=False)
    scale_min = models.SmallIntegerField(_("skala terendah"), default=1)
    scale_max = models.SmallIntegerField(_("skala tertinggi"), default=5)
    scale_min_label = models.CharField(_("label skala terendah"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label skala tertinggi"), max_length=60, blank=True)
    number_min = models.DecimalField(_("angka terkecil"), max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(_("angka terbesar"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=30, blank=True)
    required = models.BooleanField(_("wajib dijawab"), default=True)
    compares_with = models.CharField(
        _("dibandingkan dengan data tercatat"), max_length=30, choices=Figure.choices, blank=True
    )

    class Meta:
        verbose_name = _("pertanyaan survei")
        verbose_name_plural = _("pertanyaan survei")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="alumni_question_order_unique"),
            models.UniqueConstraint(fields=["survey", "key"], condition=~Q(key=""), name="alumni_question_key_unique"),
            # One question per recorded figure, so the report's comparison is unambiguous.
            models.UniqueConstraint(
                fields=["survey", "compares_with"],
                condition=~Q(compares_with=""),
                name="alumni_question_one_per_figure",
            ),
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="alumni_question_kind_known"),
            models.CheckConstraint(
                condition=Q(compares_with="") | Q(compares_with__in=Figure.values), name="alumni_question_figure_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind="scale") | Q(scale_min__lt=F("scale_max")), name="alumni_question_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(number_min__isnull=True) | Q(number_max__isnull=True) | Q(number_min__lte=F("number_max")),
                name="alumni_question_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def option_labels(self) -> dict[str, str]:
        return {str(o["value"]): str(o["label"]) for o in self.options or []}


class Invitation(models.Model):
    """One alumnus invited to one survey. ``token`` is the credential of the answer link: whoever
    holds it answers as this alumnus, without logging in; nothing else is reachable with it."""

    survey = models.ForeignKey(Survey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        "training.Participant", verbose_name=_("peserta"), on_delete=models.PROTECT, related_name="+"
    )
    # The participant's pendamping and kabupaten/kota, kept here so every figure groups on them.
    staff = models.ForeignKey("accounts.Staff", verbose_name=_("alumni"), on_delete=models.PROTECT, related_name="+")
    kabupaten = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("jumlah pengingat"), default=0)
    last_reminded_at = models.DateTimeField(_("pengingat terakhir"), null=True, blank=True)
    opened_at = models.DateTimeField(_("pertama dibuka"), null=True, blank=True)
    last_saved_at = models.DateTimeField(_("terakhir disimpan"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("dikirim responden pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")
        ordering = ["survey", "staff__full_name", "pk"]
        constraints = [
            # One respondent per pendamping: an alumnus of two cohorts answers once.
            models.UniqueConstraint(fields=["survey", "staff"], name="alumni_invitation_one_per_staff"),
            models.CheckConstraint(
                condition=Q(reminder_count=0) | Q(last_reminded_at__isnull=False),
                name="alumni_invitation_reminded_has_time",
            ),
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="alumni_invitation_answered")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.staff_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    """One answer of one respondent (the invitation is the response): a number (number and scale),
    a text (text, and the value of a single choice) or a list of values (a multiple choice)."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("undangan"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("pertanyaan"), on_delete=models.CASCADE, related_name="answers"
    )
    number = models.DecimalField(_("angka"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("teks"), blank=True)
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    updated_at = models.DateTimeField(_("disimpan pada"), default=timezone.now)

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["invitation", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="alumni_answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} q{self.question_id}"
