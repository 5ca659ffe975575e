"""Who sees which training data (issue 7: "a pendamping sees only their own results; a centre sees
its cohorts; a korkab their district's participants"; RULES.md "People and ratios"). Outside scope
a cohort, a participant or a profile does not exist: 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from harapan.testing import JEMBER
from harapan.training import selectors, services
from harapan.training.models import Cohort, Participant, TestPhase

from .conftest import TrainingWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(tw: TrainingWorld) -> dict[str, Participant]:
    """Three confirmed participants (two from Bondowoso, one from Jember) and a cohort of the other
    centre that nobody here facilitates."""
    out = {k: tw.enrol(k) for k in ("pendamping", "pendamping_b", "pendamping_jember")}
    other = services.cohort_create(
        programme=tw.programme,
        number=11,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=11),
        acting_user=tw.user("ministry"),
        centre=tw.other_centre,
    )
    tw.other_cohort = other  # type: ignore[attr-defined]
    return out


def visible_participants(tw: TrainingWorld, key: str) -> set[str]:
    ids = set(
        Participant.objects.filter(selectors.participant_q(tw.user(key))).values_list(
            "staff__user__username", flat=True
        )
    )
    return {u.removeprefix("t_") for u in ids}


EXPECTED = {
    "pendamping": {"pendamping"},
    "pendamping_b": {"pendamping_b"},
    "pendamping_c": set(),
    "korkab": {"pendamping", "pendamping_b"},
    "operator": {"pendamping", "pendamping_b"},
    "korkab_jember": {"pendamping_jember"},
    "dinsos_prov": {"pendamping", "pendamping_b", "pendamping_jember"},
    "dinsos_prov_other": set(),
    "ministry": {"pendamping", "pendamping_b", "pendamping_jember"},
    "balai": {"pendamping", "pendamping_b", "pendamping_jember"},
    "balai_other": set(),
    "fasilitator": {"pendamping", "pendamping_b", "pendamping_jember"},
    "fasilitator_other": set(),
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_role_sees_exactly_the_participants_in_its_scope(tw: TrainingWorld, enrolled: dict, key: str) -> None:
    assert visible_participants(tw, key) == EXPECTED[key]


COHORT_VISIBLE = {
    "pendamping": True,
    "pendamping_c": False,  # never nominated
    "korkab": True,  # a quota for Bondowoso
    "korkab_jember": True,
    "operator": True,
    "dinsos_prov": True,
    "dinsos_prov_other": False,
    "ministry": True,
    "balai": True,
    "balai_other": False,
    "fasilitator": True,
    "fasilitator_other": False,  # same centre, does not facilitate this cohort
}


@pytest.mark.parametrize("key", list(COHORT_VISIBLE))
def test_cohort_page_is_404_outside_scope(tw: TrainingWorld, enrolled: dict, key: str) -> None:
    response = tw.client(key).get(f"/diklat/angkatan/{tw.cohort.pk}/")
    if COHORT_VISIBLE[key]:
        assert response.status_code in (200, 302), key  # a participant is sent to their class
    else:
        assert response.status_code == 404, key
    listed = set(Cohort.objects.filter(selectors.cohort_q(tw.user(key))).values_list("pk", flat=True))
    assert (tw.cohort.pk in listed) == COHORT_VISIBLE[key]


def test_the_other_centres_cohort_is_its_own(tw: TrainingWorld, enrolled: dict) -> None:
    other = tw.other_cohort  # type: ignore[attr-defined]
    assert tw.client("balai").get(f"/diklat/angkatan/{other.pk}/").status_code == 404
    assert tw.client("balai_other").get(f"/diklat/angkatan/{other.pk}/").status_code == 200
    assert tw.client("fasilitator").get(f"/diklat/angkatan/{other.pk}/").status_code == 404


def test_cohort_page_lists_only_the_participants_in_scope(tw: TrainingWorld, enrolled: dict) -> None:
    html = tw.client("korkab").get(f"/diklat/angkatan/{tw.cohort.pk}/").content.decode()
    assert "Pendamping Maesan" in html and "Pendamping Tamanan" in html and "Pendamping Jember" not in html
    html = tw.client("korkab_jember").get(f"/diklat/angkatan/{tw.cohort.pk}/").content.decode()
    assert "Pendamping Jember" in html and "Pendamping Maesan" not in html


@pytest.mark.parametrize("key", ["pendamping_b", "pendamping_c", "korkab", "balai", "fasilitator", "ministry"])
def test_a_participants_learning_pages_are_their_own_only(tw: TrainingWorld, enrolled: dict, key: str) -> None:
    p = enrolled["pendamping"]
    session = tw.sessions[0]
    client = tw.client(key)
    for url in (
        f"/diklat/belajar/{p.pk}/",
        f"/diklat/belajar/{p.pk}/sesi/{session.pk}/",
        f"/diklat/belajar/{p.pk}/sesi/{session.pk}/tes/pre/",
    ):
        assert client.get(url).status_code == 404, (key, url)
    assert client.post(f"/diklat/belajar/{p.pk}/sesi/{session.pk}/forum/", {"text": "x"}).status_code == 404
    assert tw.client("pendamping").get(f"/diklat/belajar/{p.pk}/").status_code == 200


def test_a_pendamping_sees_no_results_page_and_no_other_pendampings_profile(tw: TrainingWorld, enrolled: dict) -> None:
    client = tw.client("pendamping")
    assert client.get(f"/diklat/angkatan/{tw.cohort.pk}/hasil/").status_code == 404
    assert client.get(f"/diklat/angkatan/{tw.cohort.pk}/hasil.xlsx").status_code == 404
    assert client.get(f"/diklat/peserta/{tw.staff['pendamping_b'].pk}/").status_code == 404
    assert client.get(f"/diklat/peserta/{tw.staff['pendamping'].pk}/").status_code == 200
    attempt = services.test_start(
        participant=enrolled["pendamping_b"],
        session=tw.sessions[0],
        phase=TestPhase.PRE,
        acting_user=tw.user("pendamping_b"),
    )
    assert client.post(f"/diklat/tes/{attempt.pk}/kirim/").status_code == 404


PROFILE_VISIBLE = {
    "pendamping": False,  # another pendamping's
    "korkab": True,
    "operator": True,
    "korkab_jember": False,
    "dinsos_prov": True,
    "dinsos_prov_other": False,
    "ministry": True,
    "balai": True,  # a participant of its cohort
    "balai_other": False,
    "fasilitator": True,
    "fasilitator_other": False,
}


@pytest.mark.parametrize("key", list(PROFILE_VISIBLE))
def test_training_profile_of_a_pendamping_is_404_outside_scope(tw: TrainingWorld, enrolled: dict, key: str) -> None:
    response = tw.client(key).get(f"/diklat/peserta/{tw.staff['pendamping_b'].pk}/")
    assert response.status_code == (200 if PROFILE_VISIBLE[key] else 404), key


def test_korkab_sees_the_profile_of_a_pendamping_of_the_district_who_never_trained(tw: TrainingWorld) -> None:
    response = tw.client("korkab").get(f"/diklat/peserta/{tw.staff['pendamping_c'].pk}/")
    assert response.status_code == 200
    assert "Belum terlatih sebagai fasilitator P2K2" in response.content.decode()
    assert tw.client("korkab_jember").get(f"/diklat/peserta/{tw.staff['pendamping_c'].pk}/").status_code == 404


@pytest.mark.parametrize("key", ["balai", "korkab", "operator", "dinsos_prov", "ministry", "fasilitator"])
def test_results_count_only_the_participants_in_scope(tw: TrainingWorld, enrolled: dict, key: str) -> None:
    response = tw.client(key).get(f"/diklat/angkatan/{tw.cohort.pk}/hasil/")
    assert response.status_code == 200
    names = {r.participant.staff.user.username.removeprefix("t_") for r in response.context["results"].participants}
    assert names == EXPECTED[key]


CERTIFICATE = {
    "pendamping": 200,  # their own
    "pendamping_b": 404,
    "balai": 200,
    "balai_other": 404,
    "korkab": 200,
    "korkab_jember": 404,
    "operator": 403,  # sees the participant, may not download
    "fasilitator": 403,
    "ministry": 200,
}


@pytest.mark.parametrize("key", list(CERTIFICATE))
def test_certificate_is_downloaded_by_the_participant_the_centre_and_the_korkab(
    tw: TrainingWorld, enrolled: dict, key: str
) -> None:
    from harapan.training.models import ParticipantStatus

    p = enrolled["pendamping"]
    Participant.objects.filter(pk=p.pk).update(
        status=ParticipantStatus.PASSED, certificate_number="UJI/1", completed_on=timezone.localdate()
    )
    response = tw.client(key).get(f"/diklat/sertifikat/{p.pk}.pdf")
    assert response.status_code == CERTIFICATE[key], key


def test_training_roles_see_no_family(tw: TrainingWorld) -> None:
    from harapan.registry.selectors import household_list
    from harapan.testing import make_household

    make_household(pendamping=tw.staff["pendamping"])
    for key in ("balai", "fasilitator"):
        assert not household_list(user=tw.user(key)).exists()
        assert tw.client(key).get("/kpm/").status_code in (200, 403)


def test_jember_quota_is_separate_from_bondowoso(tw: TrainingWorld) -> None:
    services.participant_nominate(
        cohort=tw.cohort, pendamping=tw.staff["pendamping_jember"], acting_user=tw.user("korkab_jember")
    )
    assert selectors.quota_usage(tw.cohort) == {JEMBER: 1}
