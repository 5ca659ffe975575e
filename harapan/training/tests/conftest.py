"""A training world: a centre (BBPPKS Yogyakarta style) with its staff and a facilitator, a second
centre, the programme "Diklat P2K2" from the curriculum, a running cohort with a quota of 10 for
Bondowoso and 2 for Jember (seed 001: 10 places for Trenggalek in angkatan 10), and staff on both
sides of every boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff
from harapan.training import services
from harapan.training.models import (
    Centre,
    Cohort,
    CohortStatus,
    Participant,
    ParticipantStatus,
    Programme,
    ProgrammeSession,
)

JEMBER_KECAMATAN = "35.09.01"
TAMANAN = "35.11.02"


@dataclass
class TrainingWorld:
    centre: Centre
    other_centre: Centre
    programme: Programme
    cohort: Cohort
    staff: dict[str, Staff] = field(default_factory=dict)

    @property
    def sessions(self) -> list[ProgrammeSession]:
        return list(self.programme.sessions.order_by("order"))

    def client(self, key: str) -> Client:
        c = Client()
        c.force_login(self.staff[key].user)
        return c

    def user(self, key: str) -> Any:
        return self.staff[key].user

    def enrol(self, key: str, *, cohort: Cohort | None = None) -> Participant:
        """Nominated by the kabupaten's korkab and confirmed by the centre."""
        cohort = cohort or self.cohort
        pendamping = self.staff[key]
        korkab = "korkab_jember" if str(pendamping.region_id).startswith(JEMBER) else "korkab"
        p = services.participant_nominate(cohort=cohort, pendamping=pendamping, acting_user=self.user(korkab))
        return services.participant_decide(participant=p, confirm=True, acting_user=self.user("balai"))


@pytest.fixture
def tw(db: None) -> TrainingWorld:
    people = {
        "balai": (Role.BALAI_DIKLAT, "34", "Balai Yogyakarta"),
        "balai_other": (Role.BALAI_DIKLAT, "63", "Balai Banjarmasin"),
        "fasilitator": (Role.FASILITATOR, "34", "Widyaiswara Satu"),
        "fasilitator_other": (Role.FASILITATOR, "34", "Widyaiswara Lain"),
        "korkab": (Role.KORKAB, BONDOWOSO, "Korkab Bondowoso"),
        "korkab_jember": (Role.KORKAB, JEMBER, "Korkab Jember"),
        "operator": (Role.OPERATOR, BONDOWOSO, "Operator Bondowoso"),
        "pendamping": (Role.PENDAMPING, MAESAN, "Pendamping Maesan"),
        "pendamping_b": (Role.PENDAMPING, TAMANAN, "Pendamping Tamanan"),
        "pendamping_c": (Role.PENDAMPING, MAESAN, "Pendamping Maesan C"),
        "pendamping_jember": (Role.PENDAMPING, JEMBER_KECAMATAN, "Pendamping Jember"),
        "dinsos_prov": (Role.DINSOS_PROV, "35", "Dinsos Jawa Timur"),
        "dinsos_prov_other": (Role.DINSOS_PROV, "33", "Dinsos Jawa Tengah"),
        "ministry": (Role.MINISTRY, None, "Kemensos"),
    }
    staff = {
        k: make_staff(role, region, username=f"t_{k}", full_name=name) for k, (role, region, name) in people.items()
    }
    staff["pendamping"].nip = "199001012019032001"
    staff["pendamping"].save(update_fields=["nip"])
    centre = Centre.objects.create(name="BBPPKS Yogyakarta", code="bbppks-yogyakarta", region_id="34")
    other = Centre.objects.create(name="BBPPKS Banjarmasin", code="bbppks-banjarmasin", region_id="63")
    for key in ("balai", "fasilitator", "fasilitator_other"):
        services.centre_staff_add(staff=staff[key], centre=centre)
    services.centre_staff_add(staff=staff["balai_other"], centre=other)
    programme = services.programme_create(
        name="Diklat P2K2", from_curriculum=True, acting_user=staff["balai"].user, trains_p2k2=True, pass_mark=70
    )
    today = timezone.localdate()
    cohort = services.cohort_create(
        programme=programme,
        number=10,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=8),
        facilitators=[staff["fasilitator"]],
        acting_user=staff["balai"].user,
    )
    services.quota_set(cohort=cohort, region_code=BONDOWOSO, places=10, acting_user=staff["balai"].user)
    services.quota_set(cohort=cohort, region_code=JEMBER, places=2, acting_user=staff["balai"].user)
    services.cohort_start(cohort=cohort, acting_user=staff["balai"].user)
    assert cohort.status == CohortStatus.RUNNING
    return TrainingWorld(centre=centre, other_centre=other, programme=programme, cohort=cohort, staff=staff)


def passed(participant: Participant) -> bool:
    participant.refresh_from_db()
    return participant.status == ParticipantStatus.PASSED
