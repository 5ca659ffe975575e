"""The national catalogue loaded by the data migration (RULES.md "P2K2 / FDS curriculum")."""

from __future__ import annotations

import pytest

from harapan.p2k2.models import KnowledgeQuestion, Module, ModuleKind, Session
from harapan.p2k2.selectors import curriculum_for, next_session_after

pytestmark = pytest.mark.django_db

# RULES.md "P2K2 / FDS curriculum": five modules, fourteen sessions, taught in order.
EXPECTED = [
    (
        "Pengasuhan dan Pendidikan Anak",
        [
            "Menjadi Orang Tua yang Lebih Baik",
            "Memahami Perilaku Anak",
            "Memahami Cara Anak Usia Dini Belajar",
            "Membantu Anak Sukses di Sekolah",
        ],
    ),
    (
        "Pengelolaan Keuangan dan Perencanaan Usaha",
        ["Mengelola Keuangan Keluarga", "Cermat Meminjam dan Menabung", "Memulai Usaha"],
    ),
    (
        "Kesehatan dan Gizi",
        [
            "Pentingnya Gizi dan Layanan Kesehatan Ibu Hamil",
            "Gizi dan Layanan Kesehatan Ibu Menyusui dan Balita",
            "Kesakitan pada Anak dan Kesehatan Lingkungan",
        ],
    ),
    (
        "Perlindungan Anak",
        [
            "Upaya Pencegahan Kekerasan dan Perlakuan Salah pada Anak",
            "Penelantaran dan Eksploitasi terhadap Anak",
        ],
    ),
    (
        "Kesejahteraan Sosial",
        ["Pelayanan bagi Penyandang Disabilitas Berat", "Pentingnya Kesejahteraan Lanjut Usia"],
    ),
]


def test_catalogue_has_five_inti_modules_with_fourteen_sessions_in_order() -> None:
    """P2K2 / FDS curriculum: 5 modules, 4+3+3+2+2 sessions, titles and order as listed."""
    modules = list(Module.objects.filter(kind=ModuleKind.INTI).order_by("order"))
    assert [(m.number, m.title) for m in modules] == [(i, t) for i, (t, _s) in enumerate(EXPECTED, start=1)]
    assert [m.sessions.count() for m in modules] == [4, 3, 3, 2, 2]
    sessions = list(Session.objects.filter(module__kind=ModuleKind.INTI).order_by("number"))
    assert len(sessions) == 14
    expected_titles = [title for _m, titles in EXPECTED for title in titles]
    assert [(s.number, s.title) for s in sessions] == list(enumerate(expected_titles, start=1))
    for module, (_title, titles) in zip(modules, EXPECTED, strict=True):
        assert [s.title for s in module.sessions.order_by("order")] == titles
    assert all(m.owner_region_id is None for m in modules)
    assert {s.duration_minutes for s in sessions} == {120}


def test_fds_fokus_stunting_is_a_national_topic_with_one_session() -> None:
    """P2K2 / FDS curriculum: FDS fokus topics for local problems (e.g. stunting)."""
    fokus = Module.objects.get(kind=ModuleKind.FDS_FOKUS, title="Pencegahan stunting")
    assert fokus.owner_region_id is None
    assert fokus.sessions.count() == 1
    assert fokus.sessions.get().number is None


def test_every_session_has_two_or_three_questions_with_exactly_one_correct_choice() -> None:
    for session in Session.objects.filter(module__owner_region__isnull=True):
        questions = list(session.questions.all())
        assert 2 <= len(questions) <= 3, session.title
        for q in questions:
            choices = list(q.choices.all())
            assert len(choices) >= 2
            assert sum(c.is_correct for c in choices) == 1, q.text
    assert KnowledgeQuestion.objects.count() >= 30


def test_next_session_after_walks_one_to_fourteen_across_modules() -> None:
    """P2K2 / FDS curriculum: the fourteen sessions are taught in order, module after module."""
    session: Session | None = Session.objects.get(number=1)
    walked = []
    while session is not None:
        walked.append(session.number)
        session = next_session_after(session)
    assert walked == list(range(1, 15))


def test_next_session_after_stays_within_a_non_inti_module() -> None:
    fokus = Session.objects.get(module__kind=ModuleKind.FDS_FOKUS)
    assert next_session_after(fokus) is None


def test_curriculum_for_lists_inti_in_order_then_fds_fokus() -> None:
    modules = curriculum_for("35.11.01.2001")
    assert [m.kind for m in modules] == [ModuleKind.INTI] * 5 + [ModuleKind.FDS_FOKUS]
    assert [m.number for m in modules[:5]] == [1, 2, 3, 4, 5]
