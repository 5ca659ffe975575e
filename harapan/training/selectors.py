"""Training reads, each scoped to the user (RULES.md "People and ratios": Facilitator training).

Who sees what: a pendamping their own participations only; a training centre's staff (balai
diklat) its centre's cohorts; a facilitator the cohorts they facilitate; kabupaten roles (korkab,
supervisor, operator, Dinas Sosial kabupaten) the participants from their kabupaten/kota and the
cohorts with a quota or a participant there; Dinas Sosial provinsi those of its province; the
ministry everything. Outside scope a cohort or a participant does not exist (404).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_prefix, staff_of

from .models import (
    LEARNING_STATUSES,
    Centre,
    CentreStaff,
    Cohort,
    CohortStatus,
    ForumPost,
    ForumTopic,
    Material,
    MaterialView,
    Participant,
    ParticipantStatus,
    Programme,
    ProgrammeSession,
    TestAttempt,
    TestPhase,
)
from .rules import Completion, CompletionRules, LearningRecord, completion, gain, mean

NOTHING = Q(pk__in=[])


def centre_of(staff: Staff | None) -> Centre | None:
    """The training centre a staff member works at (``CentreStaff``), if any."""
    if staff is None:
        return None
    link = CentreStaff.objects.filter(staff=staff).select_related("centre").first()
    return link.centre if link else None


def _area_q(area: str, field_name: str) -> Q:
    return Q(**{f"{field_name}_id": area}) | Q(**{f"{field_name}__code__startswith": area + "."})


def participant_q(user: Any, *, prefix: str = "") -> Q:
    """The participants ``user`` may see (``prefix`` reaches them through a relation)."""
    staff = staff_of(user)
    if staff is None:
        return NOTHING
    if staff.role == Role.MINISTRY:
        return Q()
    if staff.role == Role.PENDAMPING:
        return Q(**{f"{prefix}staff": staff})
    if staff.role == Role.BALAI_DIKLAT:
        centre = centre_of(staff)
        return Q(**{f"{prefix}cohort__centre": centre}) if centre else NOTHING
    if staff.role == Role.FASILITATOR:
        return Q(**{f"{prefix}cohort__facilitators": staff})
    area = region_prefix(staff)
    if area is None:
        return Q()
    return _area_q(area, f"{prefix}region")


def cohort_q(user: Any) -> Q:
    """The cohorts ``user`` may see."""
    staff = staff_of(user)
    if staff is None:
        return NOTHING
    if staff.role == Role.MINISTRY:
        return Q()
    if staff.role == Role.PENDAMPING:
        return Q(pk__in=Participant.objects.filter(staff=staff).values("cohort_id"))
    if staff.role == Role.BALAI_DIKLAT:
        centre = centre_of(staff)
        return Q(centre=centre) if centre else NOTHING
    if staff.role == Role.FASILITATOR:
        return Q(pk__in=Cohort.objects.filter(facilitators=staff).values("pk"))
    area = region_prefix(staff)
    if area is None:
        return Q()
    quota = Q(quotas__region_id=area) | Q(quotas__region__code__startswith=area + ".")
    return Q(pk__in=Cohort.objects.filter(quota).values("pk")) | Q(
        pk__in=Participant.objects.filter(_area_q(area, "region")).values("cohort_id")
    )


def cohort_list(user: Any) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(cohort_q(user))
        .select_related("programme", "centre")
        .annotate(
            n_participants=Count("participants", filter=Q(participants__status__in=LEARNING_STATUSES), distinct=True)
        )
        .order_by("-starts_on", "programme__name", "number")
    )


def cohort_get(user: Any, pk: int) -> Cohort:
    cohort = Cohort.objects.filter(cohort_q(user), pk=pk).select_related("programme", "centre").first()
    if cohort is None:
        raise Http404(_("Angkatan tidak ditemukan."))
    return cohort


def participant_list(user: Any, cohort: Cohort) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(participant_q(user), cohort=cohort)
        .select_related("staff", "region", "nominated_by", "confirmed_by")
        .order_by("region_id", "staff__full_name")
    )


def participant_get(user: Any, pk: int) -> Participant:
    p = (
        Participant.objects.filter(participant_q(user), pk=pk)
        .select_related("cohort", "cohort__programme", "cohort__centre", "staff", "region")
        .first()
    )
    if p is None:
        raise Http404(_("Peserta tidak ditemukan."))
    return p


def own_participant_get(user: Any, pk: int) -> Participant:
    """A participation of the user themself, while they are learning: the learning pages are the
    participant's own (anyone else gets 404)."""
    staff = staff_of(user)
    p = (
        Participant.objects.filter(pk=pk, staff=staff, status__in=LEARNING_STATUSES)
        .select_related("cohort", "cohort__programme", "cohort__centre", "staff")
        .first()
        if staff
        else None
    )
    if p is None:
        raise Http404(_("Peserta tidak ditemukan."))
    return p


def own_participations(user: Any) -> QuerySet[Participant]:
    staff = staff_of(user)
    if staff is None:
        return Participant.objects.none()
    return (
        Participant.objects.filter(staff=staff)
        .select_related("cohort", "cohort__programme", "cohort__centre")
        .order_by("-cohort__starts_on")
    )


def programme_list(user: Any) -> QuerySet[Programme]:
    """Programmes a centre or the ministry manages (a centre: its own and the national ones)."""
    staff = staff_of(user)
    if staff is None:
        return Programme.objects.none()
    if staff.role == Role.MINISTRY:
        return Programme.objects.all()
    if staff.role == Role.BALAI_DIKLAT:
        centre = centre_of(staff)
        return (
            Programme.objects.filter(Q(centre=centre) | Q(centre__isnull=True)) if centre else Programme.objects.none()
        )
    if staff.role == Role.FASILITATOR:
        return Programme.objects.filter(cohorts__facilitators=staff).distinct()
    return Programme.objects.none()


def programme_get(user: Any, pk: int) -> Programme:
    programme = programme_list(user).filter(pk=pk).first()
    if programme is None:
        raise Http404(_("Program tidak ditemukan."))
    return programme


def programme_sessions(programme: Programme) -> list[ProgrammeSession]:
    return list(programme.sessions.order_by("order").select_related("p2k2_session"))


# --- The pendamping's profile ---------------------------------------------------------------------


def trained_for_p2k2(staff: Staff) -> bool:
    """Whether the pendamping passed a programme that trains P2K2 facilitators (``trains_p2k2``):
    a pendamping facilitates P2K2 after the Diklat P2K2 (RULES.md "People and ratios": Facilitator
    training; seed 003: "pendamping PKH dilatih menjadi fasilitator melalui Diklat P2K2")."""
    return Participant.objects.filter(
        staff=staff, status=ParticipantStatus.PASSED, cohort__programme__trains_p2k2=True
    ).exists()


def trained_for_p2k2_ids(staff_ids: list[int]) -> set[int]:
    """The set-based form of ``trained_for_p2k2`` for many pendamping at once."""
    return set(
        Participant.objects.filter(
            staff_id__in=staff_ids, status=ParticipantStatus.PASSED, cohort__programme__trains_p2k2=True
        ).values_list("staff_id", flat=True)
    )


def profile_staff_get(user: Any, staff_id: int) -> Staff:
    """A pendamping whose training profile ``user`` may open: themself; for area roles a pendamping
    working in their area; for the others a pendamping with a participation they see."""
    me = staff_of(user)
    target = Staff.objects.filter(pk=staff_id, role=Role.PENDAMPING).select_related("region").first()
    if me is None or target is None:
        raise Http404(_("Pendamping tidak ditemukan."))
    if me.pk == target.pk or me.role == Role.MINISTRY:
        return target
    if me.role not in (Role.PENDAMPING, Role.BALAI_DIKLAT, Role.FASILITATOR):
        area = region_prefix(me)
        if area is None or str(target.region_id).startswith(area + ".") or target.region_id == area:
            return target
    if Participant.objects.filter(participant_q(user), staff=target).exists():
        return target
    raise Http404(_("Pendamping tidak ditemukan."))


def staff_trainings(user: Any, staff: Staff) -> QuerySet[Participant]:
    """Every training the pendamping took, as far as ``user`` may see; all of them for the
    pendamping, a kabupaten role or the ministry (the profile is the pendamping's record)."""
    qs = Participant.objects.filter(staff=staff).select_related("cohort", "cohort__programme", "cohort__centre")
    me = staff_of(user)
    if me is not None and me.role in (Role.BALAI_DIKLAT, Role.FASILITATOR):
        qs = qs.filter(participant_q(user))
    return qs.order_by("-cohort__starts_on")


# --- Progress and results ---------------------------------------------------------------------------


@dataclass
class SessionProgress:
    session: ProgrammeSession
    materials: int = 0
    opened: int = 0
    pre: TestAttempt | None = None
    post: TestAttempt | None = None
    posts: int = 0
    has_topic: bool = False

    @property
    def done(self) -> bool:
        return self.post is not None and self.post.is_submitted


def participant_progress(participant: Participant) -> list[SessionProgress]:
    """Each session of the participant's programme in order, with what they have done in it."""
    sessions = programme_sessions(participant.cohort.programme)
    rows = {s.pk: SessionProgress(session=s) for s in sessions}
    for sid, n in (
        Material.objects.filter(session__in=sessions).values_list("session_id").annotate(n=Count("pk")).order_by()
    ):
        rows[sid].materials = n
    for sid, n in (
        MaterialView.objects.filter(participant=participant)
        .values_list("material__session_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if sid in rows:
            rows[sid].opened = n
    for attempt in TestAttempt.objects.filter(participant=participant):
        if attempt.session_id in rows:
            setattr(rows[attempt.session_id], "pre" if attempt.phase == TestPhase.PRE else "post", attempt)
    for sid in ForumTopic.objects.filter(cohort=participant.cohort).values_list("session_id", flat=True):
        if sid in rows:
            rows[sid].has_topic = True
    for sid, n in (
        ForumPost.objects.filter(participant=participant)
        .values_list("topic__session_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if sid in rows:
            rows[sid].posts = n
    return [rows[s.pk] for s in sessions]


def learning_records(cohort: Cohort, participant_ids: list[int]) -> dict[int, LearningRecord]:
    """Each participant's ``LearningRecord`` in the cohort, from a handful of set-based queries."""
    session_ids = list(cohort.programme.sessions.order_by("order").values_list("pk", flat=True))
    topic_sessions = list(ForumTopic.objects.filter(cohort=cohort).values_list("session_id", flat=True))
    posttests: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pid, sid, score in TestAttempt.objects.filter(
        participant_id__in=participant_ids, phase=TestPhase.POST, submitted_at__isnull=False
    ).values_list("participant_id", "session_id", "score"):
        if score is not None:
            posttests[pid][sid] = score
    posts: dict[int, dict[int, int]] = defaultdict(dict)
    for pid, sid, n in (
        ForumPost.objects.filter(participant_id__in=participant_ids, topic__cohort=cohort)
        .values_list("participant_id", "topic__session_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        posts[pid][sid] = n
    grades: dict[int, list[int]] = defaultdict(list)
    for pid, grade in ForumPost.objects.filter(
        participant_id__in=participant_ids, topic__cohort=cohort, grade__isnull=False
    ).values_list("participant_id", "grade"):
        if grade is not None:
            grades[pid].append(grade)
    return {
        pid: LearningRecord(
            session_ids=session_ids,
            posttest_scores=posttests[pid],
            topic_session_ids=topic_sessions,
            posts_per_session=posts[pid],
            post_grades=grades[pid],
        )
        for pid in participant_ids
    }


def cohort_completions(cohort: Cohort, participants: list[Participant]) -> dict[int, Completion]:
    rules = CompletionRules.of(cohort.programme)
    records = learning_records(cohort, [p.pk for p in participants])
    return {pid: completion(rules, record) for pid, record in records.items()}


@dataclass
class SessionResult:
    session: ProgrammeSession
    pre: Decimal | None
    post: Decimal | None
    n_pre: int
    n_post: int

    @property
    def gain(self) -> Decimal | None:
        return gain(self.pre, self.post)


@dataclass
class ParticipantResult:
    participant: Participant
    pre: Decimal | None
    post: Decimal | None
    completion: Completion
    posts: int
    days_left: int
    missing_tests: int
    scores: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    risks: tuple[str, ...] = ()

    @property
    def gain(self) -> Decimal | None:
        return gain(self.pre, self.post)


@dataclass
class CohortResults:
    sessions: list[SessionResult]
    participants: list[ParticipantResult]
    completed: int
    total: int

    @property
    def completion_rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.completed) * 100 / self.total).quantize(Decimal("0.1"))

    @property
    def at_risk(self) -> list[ParticipantResult]:
        return [r for r in self.participants if r.risks]


def cohort_results(user: Any, cohort: Cohort, *, today: Any) -> CohortResults:
    """Pre vs post per session and per participant, gain, completion (the rule on today's record
    while the cohort runs, the recorded result once finished) and who is at risk of not
    completing, over the participants ``user`` may see (RULES.md "People and ratios")."""
    from harapan.conf import setting

    from .rules import days_left, risk_reasons, sessions_expected

    participants = list(participant_list(user, cohort).filter(status__in=LEARNING_STATUSES))
    ids = [p.pk for p in participants]
    sessions = programme_sessions(cohort.programme)
    scores: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for pid, sid, phase, score in TestAttempt.objects.filter(
        participant_id__in=ids, submitted_at__isnull=False
    ).values_list("participant_id", "session_id", "phase", "score"):
        if score is not None:
            scores[(pid, sid)][phase] = score
    completions = cohort_completions(cohort, participants)
    posts = dict(
        ForumPost.objects.filter(participant_id__in=ids)
        .values_list("participant_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    left = days_left(cohort.ends_on, today)
    running = cohort.status in (CohortStatus.PLANNED, CohortStatus.RUNNING)
    expected = sessions_expected(len(sessions), cohort.starts_on, cohort.ends_on, today)
    done_ids = {s.pk for s in sessions[:expected]}
    warn_days = setting("training", "AT_RISK_DAYS_LEFT")
    session_rows = []
    for s in sessions:
        pre = [scores[(pid, s.pk)]["pre"] for pid in ids if "pre" in scores[(pid, s.pk)]]
        post = [scores[(pid, s.pk)]["post"] for pid in ids if "post" in scores[(pid, s.pk)]]
        session_rows.append(SessionResult(session=s, pre=mean(pre), post=mean(post), n_pre=len(pre), n_post=len(post)))
    rows = []
    for p in participants:
        per = {s.pk: (scores[(p.pk, s.pk)].get("pre"), scores[(p.pk, s.pk)].get("post")) for s in sessions}
        pre = [v[0] for v in per.values() if v[0] is not None]
        post = [v[1] for v in per.values() if v[1] is not None]
        c = completions[p.pk]
        if p.status in (ParticipantStatus.PASSED, ParticipantStatus.FAILED):
            # The recorded result stands once the cohort is finished.
            c = Completion(
                completed=p.status == ParticipantStatus.PASSED,
                posttest_average=c.posttest_average,
                forum_average=c.forum_average,
                missing_sessions=c.missing_sessions,
                forum_short_sessions=c.forum_short_sessions,
                reasons=() if p.status == ParticipantStatus.PASSED else c.reasons,
            )
        risks = (
            risk_reasons(
                c,
                n_sessions=len(sessions),
                expected=expected,
                short_so_far=len(done_ids.intersection(c.forum_short_sessions)),
                pass_mark=cohort.programme.pass_mark,
                days_left=left,
                warn_days=warn_days,
            )
            if running and p.status == ParticipantStatus.CONFIRMED
            else ()
        )
        rows.append(
            ParticipantResult(
                participant=p,
                pre=mean(pre),
                post=mean(post),
                completion=c,
                posts=posts.get(p.pk, 0),
                days_left=left,
                missing_tests=len(c.missing_sessions),
                scores=per,
                risks=risks,
            )
        )
    return CohortResults(
        sessions=session_rows,
        participants=rows,
        completed=sum(1 for r in rows if r.completion.completed),
        total=len(rows),
    )


def quota_usage(cohort: Cohort) -> dict[str, int]:
    """Places taken per kabupaten/kota (nominated, confirmed or with a result)."""
    from .models import QUOTA_STATUSES

    return dict(
        Participant.objects.filter(cohort=cohort, status__in=QUOTA_STATUSES)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def nominable_pendamping(user: Any, cohort: Cohort) -> QuerySet[Staff]:
    """Active pendamping of the korkab's kabupaten/kota not yet in the cohort."""
    staff = staff_of(user)
    if staff is None or staff.region_id is None:
        return Staff.objects.none()
    return (
        Staff.objects.filter(role=Role.PENDAMPING, is_active=True, region__code__startswith=str(staff.region_id) + ".")
        .exclude(pk__in=Participant.objects.filter(cohort=cohort).values("staff_id"))
        .order_by("full_name")
    )


def forum_topic_posts(topic: ForumTopic) -> list[ForumPost]:
    """A topic's posts in order, replies after the post they answer (one level of nesting)."""
    posts = list(topic.posts.select_related("author", "participant", "graded_by").order_by("created_at", "pk"))
    children: dict[int, list[ForumPost]] = defaultdict(list)
    roots = []
    for post in posts:
        if post.reply_to_id:
            children[post.reply_to_id].append(post)
        else:
            roots.append(post)
    ordered: list[ForumPost] = []

    def walk(post: ForumPost, depth: int) -> None:
        post.depth = min(depth, 3)  # type: ignore[attr-defined]
        ordered.append(post)
        for child in children.get(post.pk, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return ordered
