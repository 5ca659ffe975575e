"""Meeting places (RULES.md "P2K2 / FDS curriculum", Venue: easy to reach, large enough, fit to
present material, away from busy roads, markets, schools; village halls, members' houses,
schools): recorded by the kecamatan's pendamping, korkab or operator, audited; a place missing a
criterion is kept but not offered by default."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.meetings.models import Venue
from harapan.meetings.selectors import venue_list, venues_for_kelompok
from harapan.meetings.services import venue_create, venue_update
from harapan.regions.models import Region
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

from .conftest import Setup, make_venue

CRITERIA = {"easy_to_reach": True, "large_enough": True, "fit_for_material": True, "away_from_busy_places": True}


def _other_kecamatan_desa() -> Region:
    kecamatan = Region.objects.filter(parent_id=BONDOWOSO).exclude(code=MAESAN).order_by("code")[0]
    return Region.objects.filter(parent=kecamatan).order_by("code")[0]


def test_a_pendamping_records_a_layak_place_in_their_kecamatan(setup: Setup) -> None:
    venue = venue_create(
        acting_user=setup.pendamping.user,
        desa=setup.desa,
        name="Balai Desa",
        kind="balai_desa",
        address="RT 01/RW 02",
        capacity=60,
        latitude=Decimal("-7.9512"),
        longitude=Decimal("113.7401"),
        **CRITERIA,
    )
    assert venue.is_layak and venue.failed_criteria == []
    event = AuditEvent.objects.get(action="venue_created")
    assert event.after["name"] == "Balai Desa" and event.after["latitude"] == "-7.9512"


def test_a_place_missing_a_criterion_is_kept_but_says_what_it_lacks(setup: Setup) -> None:
    venue = venue_create(
        acting_user=setup.pendamping.user,
        desa=setup.desa,
        name="Rumah Bu Siti",
        kind="rumah_anggota",
        **{**CRITERIA, "large_enough": False, "away_from_busy_places": False},
    )
    assert not venue.is_layak
    assert venue.failed_criteria == ["cukup luas", "jauh dari jalan ramai, pasar dan sekolah"]
    group_venues = venues_for_kelompok(setup.group)
    assert venue not in group_venues
    assert venue in venues_for_kelompok(setup.group, include_unfit=True)
    # The meeting's current place stays in the list, fit or not.
    assert venue in venues_for_kelompok(setup.group, keep=venue.pk)


def test_the_groups_own_desa_is_offered_first(setup: Setup) -> None:
    other_desa = Region.objects.filter(parent_id=MAESAN).exclude(code=setup.desa.code).order_by("code")[0]
    neighbour = make_venue(other_desa, name="AAA Balai tetangga")
    own = make_venue(setup.desa, name="ZZZ Balai sendiri")
    far = make_venue(_other_kecamatan_desa())
    offered = venues_for_kelompok(setup.group)
    assert offered[0] == own and neighbour in offered and far not in offered


def test_changing_a_place_is_audited_with_what_changed(setup: Setup) -> None:
    venue = make_venue(setup.desa, layak=False)
    venue_update(venue=venue, acting_user=setup.operator.user, away_from_busy_places=True, capacity=80)
    venue.refresh_from_db()
    assert venue.is_layak
    event = AuditEvent.objects.get(action="venue_updated")
    assert event.before == {"capacity": 40, "away_from_busy_places": False}
    assert event.after == {"capacity": 80, "away_from_busy_places": True}


def test_places_are_recorded_only_inside_ones_area_and_role(setup: Setup) -> None:
    far = _other_kecamatan_desa()
    with pytest.raises(PermissionDenied):  # a pendamping of another kecamatan
        venue_create(acting_user=setup.pendamping.user, desa=far, name="Balai", kind="balai_desa")
    for outsider in (make_staff(Role.KORKAB, JEMBER), make_staff(Role.SUPERVISOR, BONDOWOSO)):
        with pytest.raises(PermissionDenied):
            venue_create(acting_user=outsider.user, desa=setup.desa, name="Balai", kind="balai_desa")
    venue = make_venue(setup.desa)
    with pytest.raises(PermissionDenied):  # moving it out of the pendamping's kecamatan
        venue_update(venue=venue, acting_user=setup.pendamping.user, desa=far)
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    venue_create(acting_user=korkab.user, desa=far, name="Balai", kind="balai_desa")
    assert not AuditEvent.objects.filter(object_type="venue").exclude(actor=korkab.user).exists()


def test_names_are_unique_in_a_desa_and_coordinates_come_in_pairs(setup: Setup) -> None:
    make_venue(setup.desa, name="Balai Desa")
    user = setup.pendamping.user
    with pytest.raises(ValidationError) as exc:
        venue_create(acting_user=user, desa=setup.desa, name="balai desa", kind="balai_desa")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        venue_create(acting_user=user, desa=setup.desa, name="Musala", kind="masjid_musala", latitude=Decimal("-7.9"))
    assert "latitude" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        venue_create(
            acting_user=user,
            desa=setup.desa,
            name="Musala",
            kind="masjid_musala",
            latitude=Decimal("-97"),
            longitude=Decimal("113"),
        )
    assert "latitude" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        venue_create(acting_user=user, desa=Region.objects.get(code=MAESAN), name="Musala", kind="masjid_musala")
    assert "desa" in exc.value.message_dict
    assert Venue.objects.count() == 1


def test_each_user_sees_the_places_of_their_area(setup: Setup) -> None:
    here = make_venue(setup.desa)
    far = make_venue(_other_kecamatan_desa())
    assert list(venue_list(setup.pendamping.user)) == [here]
    assert set(venue_list(setup.operator.user)) == {here, far}
    assert not venue_list(make_staff(Role.KORKAB, JEMBER).user).exists()
