"""The before/after knowledge check of a held meeting (RULES.md "P2K2 / FDS curriculum": each
session carries a short set of questions; measures of success include the share of KPM applying
the material; issue 3): who may record it, for whom, and within which bounds."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.meetings.models import Meeting
from harapan.meetings.services import meeting_cancel
from harapan.p2k2.models import KnowledgeAnswer, KnowledgeCheck, KnowledgeQuestion, Session
from harapan.p2k2.services import knowledge_answers_record, knowledge_scores_record, question_add
from harapan.registry.models import Member
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

from .conftest import IZ, A, Group, H, client_for, hold, month, new_group

pytestmark = pytest.mark.django_db


def held(group: Group, number: int = 1, marks: tuple = (H, H, H)) -> Meeting:
    return hold(
        group.kelompok,
        number,
        month(number),
        {f.pk: m for f, m in zip(group.families, marks, strict=True)},
        group.pendamping.user,
    )


def test_pendamping_records_before_and_after_scores_out_of_the_session_questions(group: Group) -> None:
    meeting = held(group)
    a, b, c = group.families
    counts = knowledge_scores_record(
        meeting=meeting, scores={a.pk: (0, 2), b.pk: (1, None), c.pk: (None, None)}, acting_user=group.pendamping.user
    )
    assert counts == {"saved": 2, "removed": 0}
    checks = {k.household_id: k for k in KnowledgeCheck.objects.filter(meeting=meeting)}
    assert set(checks) == {a.pk, b.pk}
    assert (checks[a.pk].pre_correct, checks[a.pk].post_correct, checks[a.pk].total) == (0, 2, 2)
    assert (checks[b.pk].pre_correct, checks[b.pk].post_correct) == (1, None)
    # Who sat it: the carer unless the pendamping says otherwise.
    assert checks[a.pk].member == Member.objects.get(household=a, is_carer=True)
    events = AuditEvent.objects.filter(action="p2k2_knowledge_check_recorded")
    assert sorted(events.values_list("household_id", flat=True)) == sorted([a.pk, b.pk])
    assert events.get(household_id=a.pk).after["post"] == 2


def test_a_family_not_present_is_refused_izin_and_alpa_alike(group: Group) -> None:
    meeting = held(group, marks=(H, IZ, A))
    a, b, c = group.families
    with pytest.raises(ValidationError) as err:
        knowledge_scores_record(
            meeting=meeting, scores={a.pk: (1, 2), b.pk: (1, 2), c.pk: (0, 1)}, acting_user=group.pendamping.user
        )
    assert set(err.value.message_dict) == {str(b.pk), str(c.pk)}
    assert "tidak tercatat hadir" in err.value.message_dict[str(b.pk)][0]
    assert not KnowledgeCheck.objects.exists()  # nothing half-saved


def test_a_score_above_the_number_of_questions_or_below_zero_is_refused(group: Group) -> None:
    meeting = held(group)
    a, b, _c = group.families
    with pytest.raises(ValidationError) as err:
        knowledge_scores_record(
            meeting=meeting, scores={a.pk: (0, 3), b.pk: (-1, 1)}, acting_user=group.pendamping.user
        )
    assert "Sesudah: Nilai paling besar 2" in err.value.message_dict[str(a.pk)][0]
    assert "Sebelum" in err.value.message_dict[str(b.pk)][0]
    # The edge itself is allowed.
    knowledge_scores_record(meeting=meeting, scores={a.pk: (0, 2)}, acting_user=group.pendamping.user)
    assert KnowledgeCheck.objects.get(household=a).post_correct == 2


def test_the_database_refuses_a_score_above_its_total(group: Group) -> None:
    meeting = held(group)
    with pytest.raises(IntegrityError), transaction.atomic():
        KnowledgeCheck.objects.create(
            meeting=meeting, household=group.families[0], total=2, pre_correct=3, recorded_at=timezone.now()
        )


@pytest.mark.parametrize(
    ("role", "region"),
    [(Role.PENDAMPING, MAESAN), (Role.OPERATOR, JEMBER), (Role.DINSOS_KAB, BONDOWOSO), (Role.MINISTRY, None)],
)
def test_only_whoever_works_the_group_records_scores(group: Group, role: str, region: str | None) -> None:
    meeting = held(group)
    other = make_staff(role, region)
    with pytest.raises(PermissionDenied):
        knowledge_scores_record(meeting=meeting, scores={group.families[0].pk: (1, 2)}, acting_user=other.user)
    assert not KnowledgeCheck.objects.exists()


def test_an_operator_of_the_area_may_record_for_the_group(group: Group) -> None:
    meeting = held(group)
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    knowledge_scores_record(meeting=meeting, scores={group.families[0].pk: (1, 2)}, acting_user=operator.user)
    assert KnowledgeCheck.objects.get().recorded_by == operator


def test_a_planned_or_cancelled_meeting_takes_no_scores(group: Group) -> None:
    user = group.pendamping.user
    planned = Meeting.objects.create(
        kelompok=group.kelompok, session=Session.objects.get(number=1), scheduled_on=month(1)
    )
    with pytest.raises(ValidationError, match="terlaksana"):
        knowledge_scores_record(meeting=planned, scores={group.families[0].pk: (1, 1)}, acting_user=user)
    meeting_cancel(meeting=planned, acting_user=user)
    with pytest.raises(ValidationError, match="terlaksana"):
        knowledge_scores_record(meeting=planned, scores={group.families[0].pk: (1, 1)}, acting_user=user)


def test_the_total_is_fixed_by_the_first_score_so_later_question_edits_keep_old_scores(group: Group) -> None:
    a, b, _c = group.families
    user = group.pendamping.user
    first = held(group)
    knowledge_scores_record(meeting=first, scores={a.pk: (1, 2)}, acting_user=user)
    session = Session.objects.get(number=1)
    question_add(
        session=session,
        text="Pertanyaan tambahan",
        choices=[("Ya", True), ("Tidak", False)],
        acting_user=make_staff(Role.MINISTRY, None).user,
    )
    assert KnowledgeQuestion.objects.filter(session=session).count() == 3
    knowledge_scores_record(meeting=first, scores={b.pk: (2, 2)}, acting_user=user)
    assert set(KnowledgeCheck.objects.filter(meeting=first).values_list("total", flat=True)) == {2}
    with pytest.raises(ValidationError):
        knowledge_scores_record(meeting=first, scores={b.pk: (3, 3)}, acting_user=user)
    # A later meeting of the same session is out of the new number of questions.
    again = hold(group.kelompok, 1, month(2), {a.pk: H}, user)
    knowledge_scores_record(meeting=again, scores={a.pk: (2, 3)}, acting_user=user)
    assert KnowledgeCheck.objects.get(meeting=again).total == 3


def test_clearing_both_scores_removes_the_check_and_audits_it(group: Group) -> None:
    meeting = held(group)
    a = group.families[0]
    user = group.pendamping.user
    knowledge_scores_record(meeting=meeting, scores={a.pk: (1, 2)}, acting_user=user)
    knowledge_scores_record(meeting=meeting, scores={a.pk: (1, 2)}, acting_user=user)  # unchanged: no event
    assert AuditEvent.objects.filter(action="p2k2_knowledge_check_recorded").count() == 1
    assert knowledge_scores_record(meeting=meeting, scores={a.pk: (None, None)}, acting_user=user) == {
        "saved": 0,
        "removed": 1,
    }
    assert not KnowledgeCheck.objects.exists()
    removed = AuditEvent.objects.get(action="p2k2_knowledge_check_removed")
    assert removed.household_id == a.pk and removed.before["post"] == 2


def test_the_member_who_sat_the_check_must_belong_to_the_family(group: Group) -> None:
    meeting = held(group)
    a, b, _c = group.families
    head = Member.objects.get(household=a, relationship=1)
    stranger = Member.objects.get(household=b, relationship=1)
    user = group.pendamping.user
    with pytest.raises(ValidationError):
        knowledge_scores_record(meeting=meeting, scores={a.pk: (1, 1)}, members={a.pk: stranger.pk}, acting_user=user)
    knowledge_scores_record(meeting=meeting, scores={a.pk: (1, 1)}, members={a.pk: head.pk}, acting_user=user)
    assert KnowledgeCheck.objects.get().member == head


def test_answers_question_by_question_give_the_score_and_a_typed_score_drops_them(group: Group) -> None:
    meeting = held(group)
    a = group.families[0]
    user = group.pendamping.user
    questions = list(KnowledgeQuestion.objects.filter(session__number=1).prefetch_related("choices"))
    right = {q.pk: next(c.pk for c in q.choices.all() if c.is_correct) for q in questions}
    wrong = {q.pk: next(c.pk for c in q.choices.all() if not c.is_correct) for q in questions}
    mixed = {questions[0].pk: right[questions[0].pk], questions[1].pk: wrong[questions[1].pk]}
    check = knowledge_answers_record(
        meeting=meeting, household_id=a.pk, answers={"sebelum": mixed, "sesudah": right}, acting_user=user
    )
    assert (check.pre_correct, check.post_correct, check.total) == (1, 2, 2)
    assert KnowledgeAnswer.objects.filter(knowledge_check=check).count() == 4
    # Half an answer sheet is refused; a choice of another question too.
    with pytest.raises(ValidationError):
        knowledge_answers_record(
            meeting=meeting,
            household_id=a.pk,
            answers={"sebelum": {questions[0].pk: right[questions[0].pk]}},
            acting_user=user,
        )
    with pytest.raises(ValidationError):
        knowledge_answers_record(
            meeting=meeting,
            household_id=a.pk,
            answers={"sebelum": {questions[0].pk: right[questions[1].pk], questions[1].pk: right[questions[1].pk]}},
            acting_user=user,
        )
    knowledge_scores_record(meeting=meeting, scores={a.pk: (2, 2)}, acting_user=user)
    assert list(KnowledgeAnswer.objects.values_list("phase", flat=True).distinct()) == ["sesudah"]


# --- The phone page --------------------------------------------------------------------------


def test_page_lists_the_families_present_with_inputs_out_of_the_question_count(group: Group) -> None:
    meeting = held(group, marks=(H, H, A))
    a, b, c = group.families
    html = client_for(group.pendamping).get(reverse("p2k2:knowledge_check", args=[meeting.pk])).content.decode()
    assert f'name="pre-{a.pk}"' in html and f'name="post-{b.pk}"' in html
    assert f'name="pre-{c.pk}"' not in html
    assert "/2" in html


def test_a_failed_save_keeps_what_was_typed_and_names_the_row(group: Group) -> None:
    meeting = held(group)
    a, b, _c = group.families
    client = client_for(group.pendamping)
    url = reverse("p2k2:knowledge_check", args=[meeting.pk])
    response = client.post(url, {f"pre-{a.pk}": "1", f"post-{a.pk}": "5", f"pre-{b.pk}": "x", f"post-{b.pk}": "2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="tes-row-error-{a.pk}"' in html and f'data-testid="tes-row-error-{b.pk}"' in html
    assert 'value="5"' in html and 'value="x"' in html
    carer = Member.objects.get(household=b, is_carer=True).name
    assert carer in html.split('data-testid="tes-error"')[1].split("</p>")[0]
    assert not KnowledgeCheck.objects.exists()
    # Out-of-range alone, once the text parses: the service's rule names the row.
    response = client.post(url, {f"pre-{a.pk}": "1", f"post-{a.pk}": "5"})
    assert response.status_code == 400
    assert "Nilai paling besar 2" in response.content.decode()


def test_a_good_save_redirects_and_shows_the_scores_again(group: Group) -> None:
    meeting = held(group)
    a = group.families[0]
    client = client_for(group.pendamping)
    url = reverse("p2k2:knowledge_check", args=[meeting.pk])
    response = client.post(url, {f"pre-{a.pk}": "0", f"post-{a.pk}": "2"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'name="post-{a.pk}" value="2"' in page
    assert KnowledgeCheck.objects.get().post_correct == 2


def test_page_is_403_for_a_non_worker_and_404_outside_scope(group: Group) -> None:
    meeting = held(group)
    url = reverse("p2k2:knowledge_check", args=[meeting.pk])
    assert client_for(make_staff(Role.DINSOS_KAB, BONDOWOSO)).get(url).status_code == 403
    assert client_for(make_staff(Role.PENDAMPING, MAESAN)).get(url).status_code == 404
    assert client_for(make_staff(Role.OPERATOR, JEMBER)).get(url).status_code == 404


def test_page_of_a_meeting_not_yet_held_points_to_the_attendance_page(group: Group) -> None:
    planned = Meeting.objects.create(
        kelompok=group.kelompok, session=Session.objects.get(number=1), scheduled_on=month(1)
    )
    html = client_for(group.pendamping).get(reverse("p2k2:knowledge_check", args=[planned.pk])).content.decode()
    assert 'data-testid="tes-problem"' in html and reverse("meetings:attendance", args=[planned.pk]) in html


def test_answer_page_scores_one_family_question_by_question(group: Group) -> None:
    meeting = held(group)
    a = group.families[0]
    questions = list(KnowledgeQuestion.objects.filter(session__number=1).prefetch_related("choices"))
    data = {}
    for q in questions:
        correct = next(c.pk for c in q.choices.all() if c.is_correct)
        data[f"post-q{q.pk}"] = str(correct)
    client = client_for(group.pendamping)
    url = reverse("p2k2:knowledge_answers", args=[meeting.pk, a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    check = KnowledgeCheck.objects.get()
    assert (check.pre_correct, check.post_correct) == (None, 2)
    other = new_group(1)
    assert client.get(reverse("p2k2:knowledge_answers", args=[meeting.pk, other.families[0].pk])).status_code == 404
