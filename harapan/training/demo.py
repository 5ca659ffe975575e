"""Demo data of facilitator training: a centre in the style of BBPPKS Yogyakarta with its staff and
facilitators, the programme "Diklat P2K2" from the P2K2 curriculum, a finished cohort of the demo
kabupaten's pendamping (pre/post scores, graded forum posts, live attendance, lulus / tidak lulus,
certificates) and a running one started a few days before ``as_of`` with partial progress
(RULES.md "People and ratios": Facilitator training; seed 001: FDS e-learning at BBPPKS
Yogyakarta, 10 days, angkatan 10, 10 places for Trenggalek).

Set-based: every table is written with a handful of bulk inserts; the finished cohort's results
come from the real completion rule (``services.cohort_finish``). Idempotent by refusal: when the
centre already holds the programme's cohorts nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from harapan.accounts.models import Role, Staff

from .models import (
    Centre,
    CentreStaff,
    Choice,
    Cohort,
    CohortQuota,
    CohortStatus,
    ForumPost,
    ForumTopic,
    LiveAttendance,
    LiveSession,
    Material,
    MaterialKind,
    MaterialView,
    Participant,
    ParticipantStatus,
    Programme,
    ProgrammeSession,
    Question,
    TestAnswer,
    TestAttempt,
    TestPhase,
)
from .rules import attempt_score
from .services.completion import cohort_finish
from .services.programmes import curriculum_sessions_create

DEMO_PASSWORD = "harapan-demo"
PROGRAMME_NAME = "Diklat P2K2"
CENTRE_CODE = "bbppks-yogyakarta"
FINISHED_NUMBER, RUNNING_NUMBER = 9, 10
PLACES = 10  # seed 001: "alokasi 10 peserta ... angkatan 10"
CALENDAR_DAYS = 12  # seed 001: 19-30 Mei 2018, 10 training days
QUESTIONS_PER_TEST = 4

STAFF = [
    (
        "balai_diklat",
        Role.BALAI_DIKLAT,
        "Sri Wahyuni, S.Sos. (Seksi Penyelenggaraan BBPPKS Yogyakarta)",
        "197804122005012001",
    ),
    ("fasilitator", Role.FASILITATOR, "Drs. Bambang Haryanto, M.Si. (Widyaiswara)", "196805171994031002"),
    ("fasilitator2", Role.FASILITATOR, "Dra. Endang Purwaningsih, M.Kesos. (Widyaiswara)", "197010221996032001"),
]

EXTRA_QUESTIONS = [
    (
        "Dalam sesi “{t}”, peran pendamping sebagai fasilitator adalah ...",
        [
            ("Memandu diskusi dan mengajak KPM berbagi pengalaman", True),
            ("Berceramah tanpa memberi kesempatan bertanya", False),
            ("Membagikan bantuan tunai", False),
            ("Mencatat kehadiran saja", False),
        ],
    ),
    (
        "Agar materi sesi “{t}” diterapkan KPM, fasilitator sebaiknya ...",
        [
            ("Menyepakati satu langkah kecil yang dicoba di rumah", True),
            ("Meminta KPM menghafal modul", False),
            ("Memberi sanksi bila KPM lupa", False),
            ("Menunda materi ke bulan berikutnya", False),
        ],
    ),
    (
        "Pertemuan P2K2 untuk sesi “{t}” sebaiknya berlangsung sekitar ...",
        [
            ("2 jam sebulan sekali per kelompok", True),
            ("15 menit", False),
            ("Sehari penuh", False),
            ("Setahun sekali", False),
        ],
    ),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _staff_ensure(region: str) -> dict[str, Staff]:
    """The centre's demo logins (one password hash for all, as ``demo.services`` does)."""
    User = get_user_model()
    existing = dict(Staff.objects.filter(user__username__in=[s[0] for s in STAFF]).values_list("user__username", "pk"))
    missing = [s for s in STAFF if s[0] not in existing]
    if missing:
        password = make_password(DEMO_PASSWORD)
        User.objects.bulk_create([User(username=u, password=password, is_active=True) for u, *_rest in missing])
        ids = dict(User.objects.filter(username__in=[s[0] for s in missing]).values_list("username", "id"))
        Staff.objects.bulk_create(
            [
                Staff(user_id=ids[u], role=role, region_id=region, full_name=name, nip=nip)
                for u, role, name, nip in missing
            ]
        )
    return {
        s.user.username: s
        for s in Staff.objects.filter(user__username__in=[s[0] for s in STAFF]).select_related("user")
    }


def _bank_and_materials(sessions: list[ProgrammeSession]) -> None:
    """Three more questions per session beside the curriculum's two starters, a reading and a
    video link per session."""
    questions = Question.objects.bulk_create(
        [Question(session=s, text=text.format(t=s.title)) for s in sessions for text, _c in EXTRA_QUESTIONS]
    )
    choices = [c for _t, c in EXTRA_QUESTIONS] * len(sessions)
    Choice.objects.bulk_create(
        [
            Choice(question=q, text=text, is_correct=ok)
            for q, cs in zip(questions, choices, strict=True)
            for text, ok in cs
        ]
    )
    Material.objects.bulk_create(
        [
            Material(
                session=s,
                title=f"Bacaan: {s.title}",
                kind=MaterialKind.TEXT,
                body=(
                    f"Ringkasan sesi “{s.title}” ({s.module_title}).\n\n"
                    "Tujuan: peserta memahami pesan kunci sesi dan mampu memfasilitasi KPM secara partisipatif.\n"
                    "Langkah fasilitasi: pembukaan dan pengalaman KPM, pesan kunci, diskusi kelompok kecil, "
                    "rencana aksi di rumah, penutup."
                ),
                order=1,
            )
            for s in sessions
        ]
        + [
            Material(
                session=s,
                title=f"Video: {s.title}",
                kind=MaterialKind.VIDEO,
                url=f"https://www.youtube.com/results?search_query=P2K2+{s.title.replace(' ', '+')}",
                order=2,
            )
            for s in sessions
        ]
    )


class _Builder:
    """Accumulates a cohort's learning rows, then writes them in bulk."""

    def __init__(self, rng: random.Random, bank: dict[int, list[tuple[int, list[tuple[int, bool]]]]]):
        self.rng = rng
        self.bank = bank  # session id -> [(question id, [(choice id, correct)])]
        self.attempts: list[TestAttempt] = []
        self.answers: list[list[tuple[int, int]]] = []
        self.views: list[MaterialView] = []
        self.posts: list[ForumPost] = []

    def attempt(self, p: Participant, session_id: int, phase: str, skill: float, day: dt.date, *, submit: bool) -> None:
        pool = self.bank[session_id]
        drawn = self.rng.sample(pool, min(QUESTIONS_PER_TEST, len(pool)))
        picks = []
        for qid, choices in drawn:
            right = [c for c, ok in choices if ok]
            wrong = [c for c, ok in choices if not ok]
            picks.append((qid, right[0] if self.rng.random() < skill or not wrong else self.rng.choice(wrong)))
        if not submit:
            picks = picks[: len(picks) // 2]  # half answered, saved as they went
        correct_ids = {c for _q, cs in drawn for c, ok in cs if ok}
        correct = sum(1 for _q, c in picks if c in correct_ids)
        start = _at(day, 8 if phase == TestPhase.PRE else 15, self.rng.randint(0, 50))
        self.attempts.append(
            TestAttempt(
                participant=p,
                session_id=session_id,
                phase=phase,
                question_ids=[q for q, _c in drawn],
                started_at=start,
                submitted_at=start + dt.timedelta(minutes=self.rng.randint(6, 20)) if submit else None,
                correct=correct if submit else None,
                total=len(drawn),
                score=attempt_score(correct, len(drawn)) if submit else None,
            )
        )
        self.answers.append(picks)

    def save(self) -> None:
        TestAttempt.objects.bulk_create(self.attempts)
        now = timezone.now()
        TestAnswer.objects.bulk_create(
            [
                TestAnswer(attempt=a, question_id=q, choice_id=c, answered_at=a.submitted_at or now)
                for a, picks in zip(self.attempts, self.answers, strict=True)
                for q, c in picks
            ]
        )
        MaterialView.objects.bulk_create(self.views)
        roots = [p for p in self.posts if getattr(p, "_reply_index", None) is None]
        ForumPost.objects.bulk_create(roots)
        replies = [p for p in self.posts if getattr(p, "_reply_index", None) is not None]
        for r in replies:
            r.reply_to = self.posts[r._reply_index]  # type: ignore[attr-defined]
        ForumPost.objects.bulk_create(replies)


POST_TEXTS = [
    "Di kelompok saya, KPM lebih terbuka ketika diajak bercerita dulu tentang pengalaman mereka sendiri.",
    "Saya akan memakai permainan peran agar pesan kunci sesi ini mudah diingat ibu-ibu KPM.",
    "Tantangannya waktu: banyak KPM datang terlambat. Saya sepakati jam mulai bersama ketua kelompok.",
    "Contoh nyata dari desa sendiri membuat diskusi lebih hidup daripada membaca modul.",
    "Saya minta setiap KPM menuliskan satu rencana kecil yang akan dicoba di rumah bulan ini.",
]
COMMENTS = ["Bagus, konkret.", "Tambahkan contoh dari lapangan.", "Refleksi yang baik.", "Kurang terkait materi sesi."]


def _learning(
    b: _Builder,
    *,
    participants: list[Participant],
    sessions: list[ProgrammeSession],
    materials: dict[int, list[int]],
    topics: dict[int, ForumTopic],
    cohort: Cohort,
    grader: Staff,
    reached: dict[int, int],
    graded_upto: int,
    weak: set[int],
) -> None:
    """Each participant's record up to session ``reached[pk]`` (the next one's pretest half done)."""
    rng = b.rng
    span = max((cohort.ends_on - cohort.starts_on).days, 1)
    for p in participants:
        weak_one = p.pk in weak
        upto = reached[p.pk]
        for i, s in enumerate(sessions, start=1):
            day = cohort.starts_on + dt.timedelta(days=min(span, (i - 1) * span // len(sessions)))
            if i > upto + 1:
                break
            in_progress = i == upto + 1
            pre_skill = rng.uniform(0.35, 0.6)
            b.attempt(p, s.pk, TestPhase.PRE, pre_skill, day, submit=not in_progress)
            if in_progress:
                break
            b.views += [
                MaterialView(participant=p, material_id=m, viewed_at=_at(day, 10, rng.randint(0, 59)))
                for m in materials[s.pk]
                if not weak_one or rng.random() < 0.5
            ]
            if not weak_one or rng.random() < 0.4:
                graded = i <= graded_upto
                grade = rng.randint(55, 75) if weak_one else rng.randint(70, 95)
                post = ForumPost(
                    topic=topics[s.pk],
                    author_id=p.staff_id,
                    participant=p,
                    text=rng.choice(POST_TEXTS),
                    created_at=_at(day, 13, rng.randint(0, 59)),
                    grade=grade if graded else None,
                    grade_comment=rng.choice(COMMENTS) if graded else "",
                    graded_by=grader if graded else None,
                    graded_at=_at(day, 20) if graded else None,
                )
                b.posts.append(post)
                if rng.random() < 0.3:  # the facilitator answers now and then
                    reply = ForumPost(
                        topic=topics[s.pk],
                        author=grader,
                        text="Terima kasih. Coba kaitkan dengan pesan kunci sesi ini.",
                        created_at=_at(day, 19),
                    )
                    reply._reply_index = len(b.posts) - 1  # type: ignore[attr-defined]
                    b.posts.append(reply)
            if weak_one and rng.random() < 0.3:
                continue  # a missed posttest
            post_skill = rng.uniform(0.45, 0.7) if weak_one else rng.uniform(0.75, 0.97)
            b.attempt(p, s.pk, TestPhase.POST, post_skill, day, submit=True)


def _cohort(
    *,
    programme: Programme,
    centre: Centre,
    number: int,
    starts_on: dt.date,
    status: str,
    facilitators: list[Staff],
    kabupaten: str,
) -> Cohort:
    cohort = Cohort.objects.create(
        programme=programme,
        number=number,
        centre=centre,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=CALENDAR_DAYS - 1),
        status=status,
    )
    cohort.facilitators.set(facilitators)
    CohortQuota.objects.create(cohort=cohort, region_id=kabupaten, places=PLACES)
    return cohort


def _participants(
    cohort: Cohort, staff: list[Staff], *, kabupaten: str, korkab: Staff | None, decider: Staff, status: str
) -> list[Participant]:
    at = _at(cohort.starts_on - dt.timedelta(days=14), 9)
    return Participant.objects.bulk_create(
        [
            Participant(
                cohort=cohort,
                staff=s,
                region_id=kabupaten,
                status=status,
                nominated_by=korkab,
                nominated_at=at,
                confirmed_by=decider if status != ParticipantStatus.NOMINATED else None,
                confirmed_at=at + dt.timedelta(days=3) if status != ParticipantStatus.NOMINATED else None,
            )
            for s in staff
        ]
    )


def _topics(cohort: Cohort, sessions: list[ProgrammeSession], by: Staff) -> dict[int, ForumTopic]:
    made = ForumTopic.objects.bulk_create(
        [
            ForumTopic(
                cohort=cohort,
                session=s,
                title=f"Diskusi: {s.title}",
                text=f"Ceritakan bagaimana Anda akan memfasilitasi sesi “{s.title}” di kelompok dampingan Anda. "
                "Apa tantangan terbesarnya dan bagaimana mengatasinya?",
                set_by=by,
                created_at=_at(cohort.starts_on, 7),
            )
            for s in sessions
        ]
    )
    return {t.session_id: t for t in made}


def _live(cohort: Cohort, sessions: list[ProgrammeSession], by: Staff) -> list[LiveSession]:
    """One video conference at the first session of each module."""
    firsts, seen = [], set()
    for s in sessions:
        if s.module_title not in seen:
            seen.add(s.module_title)
            firsts.append(s)
    span = (cohort.ends_on - cohort.starts_on).days
    return LiveSession.objects.bulk_create(
        [
            LiveSession(
                cohort=cohort,
                session=s,
                title=f"Vicon {s.module_title}",
                starts_at=_at(cohort.starts_on + dt.timedelta(days=i * span // max(len(firsts), 1)), 19, 30),
                url=f"https://meet.jit.si/harapan-diklat-p2k2-a{cohort.number}-m{i + 1}",
                created_by=by,
            )
            for i, s in enumerate(firsts)
        ]
    )


def _attendance(
    lives: list[LiveSession], participants: list[Participant], by: Staff, rng: random.Random, upto: dt.datetime
) -> int:
    rows = [
        LiveAttendance(
            live_session=live, participant=p, present=rng.random() < 0.85, recorded_by=by, recorded_at=live.starts_at
        )
        for live in lives
        if live.starts_at <= upto
        for p in participants
    ]
    LiveAttendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def seed_training(*, kabupaten_code: str, as_of: dt.date, seed: int) -> dict[str, Any]:
    """Seed the demo's training data for the pendamping of ``kabupaten_code`` (Staff with role
    pendamping working there). Returns a summary with the logins (password ``harapan-demo``)."""
    pendamping = list(
        Staff.objects.filter(
            role=Role.PENDAMPING, is_active=True, region__code__startswith=kabupaten_code + "."
        ).order_by("pk")
    )
    if not pendamping:
        raise ValueError(f"no pendamping in {kabupaten_code}: seed the demo district first")
    centre, _created = Centre.objects.get_or_create(
        code=CENTRE_CODE,
        defaults={
            "name": "BBPPKS Yogyakarta",
            "region_id": "34",
            "address": "Jl. Kesejahteraan Sosial No. 3, Sleman, DI Yogyakarta",
        },
    )
    staff = _staff_ensure("34")
    CentreStaff.objects.bulk_create(
        [
            CentreStaff(staff=s, centre=centre)
            for s in staff.values()
            if not CentreStaff.objects.filter(staff=s).exists()
        ]
    )
    logins = [{"username": u, "role": r, "full_name": n} for u, r, n, _nip in STAFF]
    existing = Cohort.objects.filter(
        centre=centre, programme__name=PROGRAMME_NAME, number__in=[FINISHED_NUMBER, RUNNING_NUMBER]
    )
    if existing.exists():
        return {"created": False, "centre": centre.code, "logins": logins, "password": DEMO_PASSWORD}

    rng = random.Random(seed)
    programme = Programme.objects.create(
        name=PROGRAMME_NAME,
        centre=centre,
        description="Diklat fasilitator Pertemuan Peningkatan Kemampuan Keluarga (P2K2/FDS) secara e-learning.",
        duration_days=10,
        hours=60,
        pass_mark=70,
        questions_per_test=QUESTIONS_PER_TEST,
        min_forum_posts=1,
        trains_p2k2=True,
    )
    sessions = curriculum_sessions_create(programme)
    _bank_and_materials(sessions)
    bank: dict[int, list[tuple[int, list[tuple[int, bool]]]]] = {s.pk: [] for s in sessions}
    choices: dict[int, list[tuple[int, bool]]] = {}
    for qid, cid, ok in Choice.objects.filter(question__session__programme=programme).values_list(
        "question_id", "pk", "is_correct"
    ):
        choices.setdefault(qid, []).append((cid, ok))
    for qid, sid in Question.objects.filter(session__programme=programme).values_list("pk", "session_id"):
        bank[sid].append((qid, choices[qid]))
    materials: dict[int, list[int]] = {s.pk: [] for s in sessions}
    for mid, sid in Material.objects.filter(session__programme=programme).values_list("pk", "session_id"):
        materials[sid].append(mid)

    korkab = Staff.objects.filter(role=Role.KORKAB, region_id=kabupaten_code, is_active=True).order_by("pk").first()
    balai, fas1, fas2 = staff["balai_diklat"], staff["fasilitator"], staff["fasilitator2"]
    # The running cohort holds the demo's first pendamping (the ``pendamping`` login) and the next
    # eight; the finished cohort the ten after them (fewer when the kabupaten has fewer pendamping).
    running_staff = pendamping[: PLACES - 1]
    finished_staff = pendamping[PLACES - 1 : 2 * PLACES - 1] or pendamping[:PLACES]
    waiting = pendamping[2 * PLACES - 1 : 2 * PLACES]

    # --- The finished cohort, some four months before as_of -----------------------------------
    start = as_of - dt.timedelta(days=120)
    start -= dt.timedelta(days=start.weekday())  # a Monday
    finished = _cohort(
        programme=programme,
        centre=centre,
        number=FINISHED_NUMBER,
        starts_on=start,
        status=CohortStatus.RUNNING,
        facilitators=[fas1, fas2],
        kabupaten=kabupaten_code,
    )
    f_part = _participants(
        finished,
        finished_staff,
        kabupaten=kabupaten_code,
        korkab=korkab,
        decider=balai,
        status=ParticipantStatus.CONFIRMED,
    )
    f_topics = _topics(finished, sessions, fas1)
    b = _Builder(rng, bank)
    weak = {p.pk for p in rng.sample(f_part, min(2, len(f_part)))} if len(f_part) > 2 else set()
    _learning(
        b,
        participants=f_part,
        sessions=sessions,
        materials=materials,
        topics=f_topics,
        cohort=finished,
        grader=fas1,
        reached={p.pk: len(sessions) for p in f_part},
        graded_upto=len(sessions),
        weak=weak,
    )
    b.save()
    f_lives = _live(finished, sessions, fas1)
    _attendance(f_lives, f_part, fas1, rng, _at(finished.ends_on, 23))
    counts = cohort_finish(cohort=finished, acting_user=balai.user, on=finished.ends_on)

    # --- The running cohort, started four days before as_of -------------------------------------
    r_start = as_of - dt.timedelta(days=4)
    running = _cohort(
        programme=programme,
        centre=centre,
        number=RUNNING_NUMBER,
        starts_on=r_start,
        status=CohortStatus.RUNNING,
        facilitators=[fas1, fas2],
        kabupaten=kabupaten_code,
    )
    r_part = _participants(
        running,
        running_staff,
        kabupaten=kabupaten_code,
        korkab=korkab,
        decider=balai,
        status=ParticipantStatus.CONFIRMED,
    )
    if waiting:
        _participants(
            running, waiting, kabupaten=kabupaten_code, korkab=korkab, decider=balai, status=ParticipantStatus.NOMINATED
        )
    r_topics = _topics(running, sessions, fas2)
    elapsed = (as_of - r_start).days + 1
    expected = len(sessions) * elapsed // CALENDAR_DAYS  # sessions a participant on schedule has done
    reached = {}
    for i, p in enumerate(r_part):
        if i == 0:
            reached[p.pk] = 2  # the demo login: two sessions done, the third to take
        else:
            reached[p.pk] = max(0, min(len(sessions), expected + rng.randint(-3, 1)))
    b = _Builder(rng, bank)
    _learning(
        b,
        participants=r_part,
        sessions=sessions,
        materials=materials,
        topics=r_topics,
        cohort=running,
        grader=fas2,
        reached=reached,
        graded_upto=max(expected - 2, 0),
        weak={p.pk for p in r_part[-2:]} if len(r_part) > 3 else set(),
    )
    b.save()
    r_lives = _live(running, sessions, fas2)
    _attendance(r_lives, r_part, fas2, rng, _at(as_of, 0))
    return {
        "created": True,
        "centre": centre.code,
        "programme": programme.pk,
        "finished_cohort": finished.pk,
        "running_cohort": running.pk,
        "finished_participants": len(f_part),
        "running_participants": len(r_part),
        "lulus": counts["lulus"],
        "tidak_lulus": counts["tidak_lulus"],
        "logins": logins,
        "password": DEMO_PASSWORD,
    }
