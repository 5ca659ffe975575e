"""The P2K2/FDS curriculum: modules, their sessions, session materials and the short
before/after knowledge check (RULES.md "P2K2 / FDS curriculum").

Five national modules (kind ``inti``) with fourteen sessions numbered 1-14 in teaching order;
national *FDS fokus* topics for local problems; and a kabupaten's own *muatan lokal* modules
(e.g. SEKOPER Bondowoso), owned by that kabupaten's region.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModuleKind(models.TextChoices):
    INTI = "inti", _("Modul inti nasional")
    FDS_FOKUS = "fds_fokus", _("FDS fokus")
    MUATAN_LOKAL = "muatan_lokal", _("Muatan lokal")


class Module(models.Model):
    code = models.CharField(_("kode"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("nomor"))
    title = models.CharField(_("judul"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("jenis"), max_length=16, choices=ModuleKind.choices, db_index=True)
    # Null: national. A kabupaten/kota for that district's own muatan lokal.
    owner_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("uraian"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=Q(kind="inti"), name="p2k2_module_inti_number_unique"),
            models.CheckConstraint(
                condition=~Q(kind="inti") | Q(owner_region__isnull=True), name="p2k2_module_inti_is_national"
            ),
            models.CheckConstraint(
                condition=~Q(kind="muatan_lokal") | Q(owner_region__isnull=False),
                name="p2k2_module_muatan_lokal_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_national(self) -> bool:
        return self.owner_region_id is None


class Session(models.Model):
    module = models.ForeignKey(Module, verbose_name=_("modul"), on_delete=models.CASCADE, related_name="sessions")
    # 1-14 for the sessions of the national inti modules; empty for the others.
    number = models.PositiveSmallIntegerField(_("nomor sesi nasional"), null=True, blank=True)
    title = models.CharField(_("judul"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan dalam modul"))
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=120)

    class Meta:
        ordering = ["module__kind", "module__order", "order"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="p2k2_session_module_order_unique"),
            models.UniqueConstraint(
                fields=["number"], condition=Q(number__isnull=False), name="p2k2_session_national_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.order}. {self.title}"


class SessionMaterial(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(_("berkas"), upload_to="p2k2/materi/", blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("materi sesi")
        verbose_name_plural = _("materi sesi")
        constraints = [
            # Exactly one of a file or a link.
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="p2k2_material_file_or_url",
                violation_error_message=_("Isi salah satu: berkas atau tautan."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class KnowledgeQuestion(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("pertanyaan"), max_length=500)
    order = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("pertanyaan pengetahuan")
        verbose_name_plural = _("pertanyaan pengetahuan")
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="p2k2_question_session_order_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class KnowledgeChoice(models.Model):
    question = models.ForeignKey(
        KnowledgeQuestion, verbose_name=_("pertanyaan"), on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(_("pilihan"), max_length=300)
    is_correct = models.BooleanField(_("benar"), default=False)

    class Meta:
        ordering = ["question", "pk"]
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = _("pilihan jawaban")

    def __str__(self) -> str:
        return self.text


class KnowledgeCheck(models.Model):
    """One family's before/after knowledge check at one held meeting: correct answers out of
    ``total``, the number of questions the session had when the check was first recorded (so a
    later change to the questions leaves old scores meaningful). ``pre_correct`` / ``post_correct``
    are empty when that half was not collected (RULES.md "P2K2 / FDS curriculum")."""

    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("pertemuan"), on_delete=models.CASCADE, related_name="knowledge_checks"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="knowledge_checks"
    )
    # Who sat the check; the carer (pengurus) unless the pendamping says otherwise.
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("anggota yang mengikuti"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total = models.PositiveSmallIntegerField(_("jumlah pertanyaan"))
    pre_correct = models.PositiveSmallIntegerField(_("benar sebelum sesi"), null=True, blank=True)
    post_correct = models.PositiveSmallIntegerField(_("benar sesudah sesi"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat pada"))

    class Meta:
        verbose_name = _("cek pengetahuan")
        verbose_name_plural = _("cek pengetahuan")
        ordering = ["meeting", "household"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], name="p2k2_check_one_per_meeting_household"),
            models.CheckConstraint(condition=Q(total__gte=1), name="p2k2_check_total_positive"),
            models.CheckConstraint(
                condition=Q(pre_correct__isnull=True) | Q(pre_correct__lte=models.F("total")),
                name="p2k2_check_pre_within_total",
            ),
            models.CheckConstraint(
                condition=Q(post_correct__isnull=True) | Q(post_correct__lte=models.F("total")),
                name="p2k2_check_post_within_total",
            ),
            models.CheckConstraint(
                condition=Q(pre_correct__isnull=False) | Q(post_correct__isnull=False),
                name="p2k2_check_has_a_score",
            ),
        ]
        indexes = [models.Index(fields=["household", "meeting"], name="p2k2_check_household")]

    def __str__(self) -> str:
        return f"{self.household_id}@{self.meeting_id}: {self.pre_correct}/{self.post_correct} of {self.total}"


class CheckPhase(models.TextChoices):
    PRE = "sebelum", _("Sebelum sesi")
    POST = "sesudah", _("Sesudah sesi")


class KnowledgeAnswer(models.Model):
    """The choice a family picked for one question, before or after the session, when the check
    was taken question by question; its ``KnowledgeCheck`` holds the resulting score."""

    knowledge_check = models.ForeignKey(
        KnowledgeCheck, verbose_name=_("cek pengetahuan"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        KnowledgeQuestion, verbose_name=_("pertanyaan"), on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(_("tahap"), max_length=8, choices=CheckPhase.choices)
    choice = models.ForeignKey(KnowledgeChoice, verbose_name=_("jawaban"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("jawaban cek pengetahuan")
        verbose_name_plural = _("jawaban cek pengetahuan")
        constraints = [
            models.UniqueConstraint(
                fields=["knowledge_check", "question", "phase"], name="p2k2_answer_one_per_question_phase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.knowledge_check_id} {self.phase} q{self.question_id}: {self.choice_id}"
