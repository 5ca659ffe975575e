"""Facilitator training (diklat): centres, programmes and their sessions, cohorts (angkatan) with
quotas per kabupaten/kota, participants, and the e-learning record of each participant — material
opened, pre/post tests answer by answer, forum posts graded by the facilitator, live sessions and
their attendance (RULES.md "People and ratios": Facilitator training (Diklat P2K2) [001, 003]).

Seed 001 (FDS e-learning, BBPPKS Yogyakarta, angkatan 10, 10 days, Trenggalek 10 places): pretest
with the score shown at once, self-study from files and videos, a forum whose theme the facilitator
sets and whose answers the facilitator grades, posttest, video conference.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Centre(models.Model):
    """A training centre (balai diklat), e.g. BBPPKS Yogyakarta; ``region`` is its province."""

    name = models.CharField(_("nama"), max_length=200)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("alamat"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("balai diklat")
        verbose_name_plural = _("balai diklat")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CentreStaff(models.Model):
    """A staff member (role balai_diklat or fasilitator) working at a centre. Kept here so that
    accounts knows nothing of training."""

    staff = models.OneToOneField(
        "accounts.Staff", verbose_name=_("petugas"), on_delete=models.CASCADE, related_name="training_centre"
    )
    centre = models.ForeignKey(Centre, verbose_name=_("balai diklat"), on_delete=models.CASCADE, related_name="staff")

    class Meta:
        verbose_name = _("petugas balai diklat")
        verbose_name_plural = _("petugas balai diklat")

    def __str__(self) -> str:
        return f"{self.staff_id}@{self.centre_id}"


class Programme(models.Model):
    """A training programme and its completion rules (configuration, RULES.md "People and ratios")."""

    name = models.CharField(_("nama program"), max_length=200)
    # Null: a national programme any centre may run.
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("balai diklat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    description = models.TextField(_("uraian"), blank=True)
    duration_days = models.PositiveSmallIntegerField(_("lama (hari)"), default=10)
    hours = models.PositiveSmallIntegerField(_("jam pelajaran"), default=60)
    pass_mark = models.PositiveSmallIntegerField(_("nilai kelulusan"), default=70)
    questions_per_test = models.PositiveSmallIntegerField(_("jumlah soal per tes"), default=5)
    require_all_sessions = models.BooleanField(_("wajib posttest semua sesi"), default=True)
    require_posttest_pass = models.BooleanField(_("rata-rata posttest wajib ≥ nilai kelulusan"), default=True)
    # Per session that has a forum topic in the cohort.
    min_forum_posts = models.PositiveSmallIntegerField(_("minimal tulisan forum per sesi"), default=1)
    # Average of the facilitator's grades over the participant's graded posts; null: no minimum.
    min_forum_grade = models.PositiveSmallIntegerField(_("minimal rata-rata nilai forum"), null=True, blank=True)
    require_materials_before_posttest = models.BooleanField(_("materi wajib dibuka sebelum posttest"), default=False)
    trains_p2k2 = models.BooleanField(_("melatih fasilitator P2K2"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("program diklat")
        verbose_name_plural = _("program diklat")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="training_programme_pass_mark_0_100"),
            models.CheckConstraint(
                condition=Q(min_forum_grade__isnull=True) | Q(min_forum_grade__lte=100),
                name="training_programme_min_forum_grade_0_100",
            ),
            models.CheckConstraint(
                condition=Q(questions_per_test__gte=1), name="training_programme_questions_positive"
            ),
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="training_programme_duration_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeSession(models.Model):
    """One session of a programme, in teaching order; optionally one of the P2K2 curriculum's."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul"), max_length=200)
    module_title = models.CharField(_("modul"), max_length=200, blank=True)
    p2k2_session = models.ForeignKey(
        "p2k2.Session",
        verbose_name=_("sesi P2K2"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        verbose_name = _("sesi diklat")
        verbose_name_plural = _("sesi diklat")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="training_session_programme_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class MaterialKind(models.TextChoices):
    FILE = "berkas", _("Berkas untuk diunduh")
    VIDEO = "video", _("Tautan video")
    TEXT = "teks", _("Bacaan")


class Material(models.Model):
    session = models.ForeignKey(
        ProgrammeSession, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=8, choices=MaterialKind.choices)
    file = models.FileField(_("berkas"), upload_to="diklat/materi/", blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    body = models.TextField(_("isi bacaan"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("materi diklat")
        verbose_name_plural = _("materi diklat")
        ordering = ["session", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MaterialKind.values), name="training_material_kind_known"),
            models.CheckConstraint(condition=~Q(kind="berkas") | ~Q(file=""), name="training_material_file_has_file"),
            models.CheckConstraint(condition=~Q(kind="video") | ~Q(url=""), name="training_material_video_has_url"),
            models.CheckConstraint(condition=~Q(kind="teks") | ~Q(body=""), name="training_material_text_has_body"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A multiple-choice question in a session's bank; tests draw from the active ones."""

    session = models.ForeignKey(
        ProgrammeSession, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("pertanyaan"), max_length=500)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("soal"), on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("pilihan"), max_length=300)
    is_correct = models.BooleanField(_("benar"), default=False)

    class Meta:
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = _("pilihan jawaban")
        ordering = ["question", "pk"]

    def __str__(self) -> str:
        return self.text


class CohortStatus(models.TextChoices):
    PLANNED = "direncanakan", _("Direncanakan")
    RUNNING = "berjalan", _("Berjalan")
    FINISHED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class Cohort(models.Model):
    """An angkatan of a programme at a centre (seed 001: "angkatan 10", 19-30 Mei 2018)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts"
    )
    number = models.PositiveSmallIntegerField(_("angkatan ke-"))
    centre = models.ForeignKey(Centre, verbose_name=_("balai diklat"), on_delete=models.PROTECT, related_name="cohorts")
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    status = models.CharField(
        _("status"), max_length=12, choices=CohortStatus.choices, default=CohortStatus.PLANNED, db_index=True
    )
    facilitators = models.ManyToManyField(
        "accounts.Staff", verbose_name=_("fasilitator"), blank=True, related_name="facilitated_cohorts"
    )
    finished_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    finished_by = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("diselesaikan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        ordering = ["-starts_on", "programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="training_cohort_programme_number_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="training_cohort_dates_ordered"),
            models.CheckConstraint(condition=Q(status__in=CohortStatus.values), name="training_cohort_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} angkatan {self.number}"


class CohortQuota(models.Model):
    """Places for one kabupaten/kota in a cohort (seed 001: Trenggalek, 10 places in angkatan 10)."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveSmallIntegerField(_("jumlah tempat"))

    class Meta:
        verbose_name = _("kuota angkatan")
        verbose_name_plural = _("kuota angkatan")
        ordering = ["cohort", "region"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "region"], name="training_quota_one_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.region_id}: {self.places}"


class ParticipantStatus(models.TextChoices):
    NOMINATED = "dinominasikan", _("Dinominasikan")
    CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
    REJECTED = "ditolak", _("Ditolak")
    WITHDRAWN = "mengundurkan_diri", _("Mengundurkan diri")
    PASSED = "lulus", _("Lulus")
    FAILED = "tidak_lulus", _("Tidak lulus")


# Statuses that hold a place of the kabupaten's quota.
QUOTA_STATUSES = frozenset(
    {ParticipantStatus.NOMINATED, ParticipantStatus.CONFIRMED, ParticipantStatus.PASSED, ParticipantStatus.FAILED}
)
# Statuses of a participant who is (or was) actually learning in the cohort.
LEARNING_STATUSES = frozenset({ParticipantStatus.CONFIRMED, ParticipantStatus.PASSED, ParticipantStatus.FAILED})


class Participant(models.Model):
    """A pendamping in a cohort, from nomination by the korkab to the centre's result."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="participants"
    )
    staff = models.ForeignKey(
        "accounts.Staff", verbose_name=_("pendamping"), on_delete=models.PROTECT, related_name="training_participations"
    )
    # The kabupaten/kota whose quota the place counts against (the pendamping's at nomination).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.NOMINATED,
        db_index=True,
    )
    nominated_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dinominasikan oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(_("dinominasikan pada"))
    confirmed_by = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("dikonfirmasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)
    completed_on = models.DateField(_("tanggal lulus"), null=True, blank=True)
    # Posttest average at the end of the cohort (0-100), kept with the result.
    final_score = models.DecimalField(_("nilai akhir"), max_digits=5, decimal_places=2, null=True, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("peserta diklat")
        verbose_name_plural = _("peserta diklat")
        ordering = ["cohort", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "staff"], name="training_participant_once_per_cohort"),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="training_participant_certificate_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values), name="training_participant_status_known"
            ),
            models.CheckConstraint(
                condition=Q(certificate_number="") | Q(status="lulus"),
                name="training_participant_certificate_only_when_passed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}@{self.cohort_id} ({self.status})"


class TestPhase(models.TextChoices):
    __test__ = False  # not a pytest class

    PRE = "pre", _("Pretest")
    POST = "post", _("Posttest")


class TestAttempt(models.Model):
    """A participant's pretest or posttest of one session: the questions drawn once (kept on reload)
    and the score given on submit (seed 001: "nilai langsung keluar")."""

    __test__ = False  # not a pytest class

    participant = models.ForeignKey(
        Participant, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="test_attempts"
    )
    session = models.ForeignKey(ProgrammeSession, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(_("tes"), max_length=4, choices=TestPhase.choices)
    question_ids = models.JSONField(_("soal yang diundi"), default=list)
    started_at = models.DateTimeField(_("dimulai pada"))
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("jawaban benar"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("jumlah soal"))
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("tes")
        verbose_name_plural = _("tes")
        ordering = ["participant", "session__order", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "session", "phase"], name="training_attempt_one_per_phase"),
            models.CheckConstraint(condition=Q(phase__in=TestPhase.values), name="training_attempt_phase_known"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | (Q(score__isnull=False) & Q(correct__isnull=False)),
                name="training_attempt_submitted_has_score",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="training_attempt_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} s{self.session_id} {self.phase}: {self.score}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class TestAnswer(models.Model):
    """One answer, saved the moment it is picked (a dropped connection loses nothing)."""

    __test__ = False

    attempt = models.ForeignKey(TestAttempt, verbose_name=_("tes"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("soal"), on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, verbose_name=_("jawaban"), on_delete=models.CASCADE, related_name="+")
    answered_at = models.DateTimeField(_("dijawab pada"))

    class Meta:
        verbose_name = _("jawaban tes")
        verbose_name_plural = _("jawaban tes")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="training_answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} q{self.question_id}: {self.choice_id}"


class ForumTopic(models.Model):
    """The discussion theme a facilitator sets for one session of one cohort (seed 001)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="forum_topics"
    )
    session = models.ForeignKey(
        ProgrammeSession, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="forum_topics"
    )
    title = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("pertanyaan diskusi"))
    set_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("ditetapkan oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"))

    class Meta:
        verbose_name = _("topik forum")
        verbose_name_plural = _("topik forum")
        ordering = ["cohort", "session__order"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "session"], name="training_topic_one_per_session"),
        ]

    def __str__(self) -> str:
        return self.title


class ForumPost(models.Model):
    """A post in a forum topic by a participant or a facilitator; a participant's post is graded
    0-100 by the facilitator ("keaktifan dan kualitas jawaban dinilai oleh fasilitator", seed 001)."""

    topic = models.ForeignKey(ForumTopic, verbose_name=_("topik"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey("accounts.Staff", verbose_name=_("penulis"), on_delete=models.PROTECT, related_name="+")
    # Set when the author wrote as a participant of the cohort; empty for a facilitator's post.
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("peserta"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_posts",
    )
    reply_to = models.ForeignKey(
        "self", verbose_name=_("membalas"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("tulisan"))
    created_at = models.DateTimeField(_("ditulis pada"))
    grade = models.PositiveSmallIntegerField(_("nilai"), null=True, blank=True)
    grade_comment = models.CharField(_("komentar nilai"), max_length=500, blank=True)
    graded_by = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("dinilai oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tulisan forum")
        verbose_name_plural = _("tulisan forum")
        ordering = ["topic", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__lte=100), name="training_post_grade_0_100"
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(participant__isnull=False),
                name="training_post_only_participants_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.pk} by {self.author_id}"


class LiveSession(models.Model):
    """A scheduled video conference (vicon) led by a facilitator (seed 001)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="live_sessions"
    )
    session = models.ForeignKey(
        ProgrammeSession, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(_("judul"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=90)
    url = models.URLField(_("tautan video conference"), max_length=500)
    created_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dibuat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sesi langsung")
        verbose_name_plural = _("sesi langsung")
        ordering = ["cohort", "starts_at"]

    def __str__(self) -> str:
        return f"{self.cohort_id} {self.starts_at:%Y-%m-%d %H:%M}"


class LiveAttendance(models.Model):
    live_session = models.ForeignKey(
        LiveSession, verbose_name=_("sesi langsung"), on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="live_attendance"
    )
    present = models.BooleanField(_("hadir"))
    recorded_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat pada"))

    class Meta:
        verbose_name = _("kehadiran sesi langsung")
        verbose_name_plural = _("kehadiran sesi langsung")
        constraints = [
            models.UniqueConstraint(fields=["live_session", "participant"], name="training_live_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.live_session_id} {self.participant_id}: {self.present}"


class MaterialView(models.Model):
    """A participant opened a material (first time), for progress."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="material_views"
    )
    material = models.ForeignKey(Material, verbose_name=_("materi"), on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(_("dibuka pada"))

    class Meta:
        verbose_name = _("materi dibuka")
        verbose_name_plural = _("materi dibuka")
        constraints = [
            models.UniqueConstraint(fields=["participant", "material"], name="training_material_view_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} m{self.material_id}"
