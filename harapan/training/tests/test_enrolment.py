"""Quotas per kabupaten/kota and nomination by the korkab, confirmed by the centre (RULES.md "People
and ratios": Facilitator training; seed 001: "Kabupaten Trenggalek mendapatkan alokasi 10 peserta
pelatihan FDS E-Learning angkatan 10")."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.testing import BONDOWOSO, MAESAN, make_staff
from harapan.training import services
from harapan.training.models import CohortQuota, Participant, ParticipantStatus

from .conftest import TrainingWorld

pytestmark = pytest.mark.django_db


def nominate(tw: TrainingWorld, pendamping: object, korkab: str = "korkab") -> Participant:
    return services.participant_nominate(cohort=tw.cohort, pendamping=pendamping, acting_user=tw.user(korkab))  # type: ignore[arg-type]


def test_korkab_fills_the_ten_places_of_the_kabupaten_and_the_eleventh_is_refused(tw: TrainingWorld) -> None:
    """Seed 001: 10 places for the kabupaten in angkatan 10."""
    extra = [make_staff(Role.PENDAMPING, MAESAN, full_name=f"Pendamping {i:02d}") for i in range(11)]
    for p in extra[:10]:
        nominate(tw, p)
    assert Participant.objects.filter(cohort=tw.cohort, region_id=BONDOWOSO).count() == 10
    with pytest.raises(ValidationError, match="penuh"):
        nominate(tw, extra[10])
    assert Participant.objects.filter(cohort=tw.cohort, region_id=BONDOWOSO).count() == 10


def test_a_rejected_or_withdrawn_nomination_gives_its_place_back(tw: TrainingWorld) -> None:
    CohortQuota.objects.filter(cohort=tw.cohort, region_id=BONDOWOSO).update(places=1)
    first = nominate(tw, tw.staff["pendamping"])
    with pytest.raises(ValidationError):
        nominate(tw, tw.staff["pendamping_b"])
    services.participant_decide(participant=first, confirm=False, acting_user=tw.user("balai"))
    second = nominate(tw, tw.staff["pendamping_b"])
    services.participant_withdraw(participant=second, acting_user=tw.user("pendamping_b"))
    assert nominate(tw, tw.staff["pendamping_c"]).status == ParticipantStatus.NOMINATED


def test_korkab_cannot_nominate_a_pendamping_of_another_kabupaten(tw: TrainingWorld) -> None:
    with pytest.raises(ValidationError, match="kabupaten/kota Anda"):
        nominate(tw, tw.staff["pendamping_jember"])
    assert not Participant.objects.exists()


def test_a_pendamping_cannot_be_nominated_twice_in_one_cohort(tw: TrainingWorld) -> None:
    first = nominate(tw, tw.staff["pendamping"])
    with pytest.raises(ValidationError, match="sudah dinominasikan"):
        nominate(tw, tw.staff["pendamping"])
    services.participant_decide(participant=first, confirm=False, acting_user=tw.user("balai"))
    with pytest.raises(ValidationError, match="sudah dinominasikan"):
        nominate(tw, tw.staff["pendamping"])
    assert Participant.objects.filter(staff=tw.staff["pendamping"]).count() == 1


def test_only_staff_who_are_no_pendamping_are_refused(tw: TrainingWorld) -> None:
    with pytest.raises(ValidationError):
        nominate(tw, tw.staff["operator"])


def test_korkab_of_a_kabupaten_without_quota_cannot_nominate(tw: TrainingWorld) -> None:
    CohortQuota.objects.filter(cohort=tw.cohort, region_id="35.09").delete()
    with pytest.raises(PermissionDenied):
        nominate(tw, tw.staff["pendamping_jember"], korkab="korkab_jember")


@pytest.mark.parametrize("who", ["operator", "balai", "fasilitator", "pendamping", "dinsos_prov", "ministry"])
def test_only_the_korkab_nominates(tw: TrainingWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.participant_nominate(cohort=tw.cohort, pendamping=tw.staff["pendamping"], acting_user=tw.user(who))


def test_the_centre_confirms_or_rejects_and_nobody_else(tw: TrainingWorld) -> None:
    a, b = nominate(tw, tw.staff["pendamping"]), nominate(tw, tw.staff["pendamping_b"])
    for who in ("korkab", "fasilitator", "balai_other", "pendamping"):
        with pytest.raises(PermissionDenied):
            services.participant_decide(participant=a, confirm=True, acting_user=tw.user(who))
    assert (
        services.participant_decide(participant=a, confirm=True, acting_user=tw.user("balai")).status == "dikonfirmasi"
    )
    assert (
        services.participant_decide(participant=b, confirm=False, acting_user=tw.user("ministry")).status == "ditolak"
    )
    with pytest.raises(ValidationError):
        services.participant_decide(participant=a, confirm=False, acting_user=tw.user("balai"))
    assert AuditEvent.objects.filter(action="training_participant_decided").count() == 2


def test_nomination_through_the_page_and_refusals_shown_as_messages(tw: TrainingWorld) -> None:
    client = tw.client("korkab")
    url = f"/diklat/angkatan/{tw.cohort.pk}/nominasi/"
    page = client.get(f"/diklat/angkatan/{tw.cohort.pk}/").content.decode()
    assert "Pendamping Maesan" in page and "Pendamping Jember" not in page  # the choices: own kabupaten only
    assert client.post(url, {"nom-pendamping": tw.staff["pendamping"].pk}).status_code == 302
    response = client.post(url, {"nom-pendamping": tw.staff["pendamping_jember"].pk}, follow=True)
    assert "tidak bertugas di kabupaten/kota Anda" in response.content.decode()
    assert list(Participant.objects.values_list("staff_id", flat=True)) == [tw.staff["pendamping"].pk]
    assert tw.client("operator").post(url, {"nom-pendamping": tw.staff["pendamping_b"].pk}).status_code == 403


def test_the_centre_confirms_through_the_page(tw: TrainingWorld) -> None:
    p = nominate(tw, tw.staff["pendamping"])
    assert (
        tw.client("korkab").post(f"/diklat/partisipasi/{p.pk}/putuskan/", {"decision": "konfirmasi"}).status_code == 403
    )
    response = tw.client("balai").post(f"/diklat/partisipasi/{p.pk}/putuskan/", {"decision": "konfirmasi"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == ParticipantStatus.CONFIRMED and p.confirmed_by_id == tw.staff["balai"].pk


def test_quota_cannot_go_below_the_places_taken_and_only_the_centre_sets_it(tw: TrainingWorld) -> None:
    nominate(tw, tw.staff["pendamping"])
    nominate(tw, tw.staff["pendamping_b"])
    with pytest.raises(ValidationError):
        services.quota_set(cohort=tw.cohort, region_code=BONDOWOSO, places=1, acting_user=tw.user("balai"))
    with pytest.raises(PermissionDenied):
        services.quota_set(cohort=tw.cohort, region_code=BONDOWOSO, places=20, acting_user=tw.user("balai_other"))
    with pytest.raises(ValidationError):
        services.quota_set(cohort=tw.cohort, region_code="35.11.01", places=2, acting_user=tw.user("balai"))
    services.quota_set(cohort=tw.cohort, region_code=BONDOWOSO, places=2, acting_user=tw.user("balai"))
    assert CohortQuota.objects.get(cohort=tw.cohort, region_id=BONDOWOSO).places == 2
