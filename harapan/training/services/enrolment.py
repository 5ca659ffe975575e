"""Nomination by the korkab within the kabupaten/kota's quota, and the centre's decision (issue 7:
"A korkab nominates pendamping for the quota; the centre confirms"; seed 001: "Kabupaten
Trenggalek mendapatkan alokasi 10 peserta pelatihan FDS E-Learning angkatan 10")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import staff_of

from .. import events
from ..models import QUOTA_STATUSES, Cohort, CohortQuota, Participant, ParticipantStatus
from .access import may_manage_cohort, may_nominate


@transaction.atomic
def participant_nominate(*, cohort: Cohort, pendamping: Staff, acting_user: Any) -> Participant:
    """The korkab nominates a pendamping of their own kabupaten/kota for its quota in the cohort.
    Refused beyond the quota, for a pendamping of another kabupaten/kota, and a second time in the
    same cohort. The quota row is locked while places are counted, so two nominations at once
    cannot both take the last place."""
    if not may_nominate(acting_user, cohort):
        raise PermissionDenied(_("Anda tidak dapat menominasikan peserta untuk angkatan ini."))
    korkab = staff_of(acting_user)
    assert korkab is not None and korkab.region_id is not None
    kabupaten = str(korkab.region_id)
    if pendamping.role != Role.PENDAMPING or not pendamping.is_active:
        raise ValidationError(_("Hanya pendamping aktif yang dapat dinominasikan."))
    if pendamping.region_id is None or not str(pendamping.region_id).startswith(kabupaten + "."):
        raise ValidationError(_("Pendamping ini tidak bertugas di kabupaten/kota Anda."))
    quota = CohortQuota.objects.select_for_update().filter(cohort=cohort, region_id=kabupaten).first()
    if quota is None:
        raise ValidationError(_("Kabupaten/kota Anda tidak mendapat kuota di angkatan ini."))
    if Participant.objects.filter(cohort=cohort, staff=pendamping).exists():
        raise ValidationError(_("Pendamping ini sudah dinominasikan di angkatan ini."))
    taken = Participant.objects.filter(cohort=cohort, region_id=kabupaten, status__in=QUOTA_STATUSES).count()
    if taken >= quota.places:
        raise ValidationError(
            _("Kuota kabupaten/kota Anda di angkatan ini (%(n)d tempat) sudah penuh.") % {"n": quota.places}
        )
    participant = Participant.objects.create(
        cohort=cohort,
        staff=pendamping,
        region_id=kabupaten,
        status=ParticipantStatus.NOMINATED,
        nominated_by=korkab,
        nominated_at=timezone.now(),
    )
    events.training_event(
        events.PARTICIPANT_NOMINATED,
        participant,
        actor=acting_user,
        after={"cohort": cohort.pk, "staff": pendamping.pk, "region": kabupaten, "status": participant.status},
    ).save()
    return participant


@transaction.atomic
def participant_decide(*, participant: Participant, confirm: bool, acting_user: Any, note: str = "") -> Participant:
    """The centre confirms or rejects a nomination."""
    participant = Participant.objects.select_for_update().select_related("cohort").get(pk=participant.pk)
    if not may_manage_cohort(acting_user, participant.cohort):
        raise PermissionDenied(_("Hanya balai diklat penyelenggara yang memutuskan nominasi."))
    if participant.status != ParticipantStatus.NOMINATED:
        raise ValidationError(_("Nominasi ini sudah diputuskan."))
    before = participant.status
    participant.status = ParticipantStatus.CONFIRMED if confirm else ParticipantStatus.REJECTED
    participant.confirmed_by = staff_of(acting_user)
    participant.confirmed_at = timezone.now()
    participant.decision_note = note[:300]
    participant.save(update_fields=["status", "confirmed_by", "confirmed_at", "decision_note"])
    events.training_event(
        events.PARTICIPANT_DECIDED,
        participant,
        actor=acting_user,
        before={"status": before},
        after={"status": participant.status},
        note=note,
    ).save()
    return participant


@transaction.atomic
def participant_withdraw(*, participant: Participant, acting_user: Any, note: str = "") -> Participant:
    """A nominated or confirmed participant leaves the cohort (the pendamping, their korkab or the
    centre records it); the place returns to the quota."""
    participant = Participant.objects.select_for_update().select_related("cohort").get(pk=participant.pk)
    me = staff_of(acting_user)
    allowed = me is not None and (
        me.pk == participant.staff_id
        or may_manage_cohort(acting_user, participant.cohort)
        or (me.role == Role.KORKAB and me.region_id == participant.region_id)
    )
    if not allowed:
        raise PermissionDenied(_("Anda tidak dapat mengundurkan peserta ini."))
    if participant.status not in (ParticipantStatus.NOMINATED, ParticipantStatus.CONFIRMED):
        raise ValidationError(_("Peserta ini tidak dapat mengundurkan diri lagi."))
    before = participant.status
    participant.status = ParticipantStatus.WITHDRAWN
    participant.decision_note = note[:300]
    participant.save(update_fields=["status", "decision_note"])
    events.training_event(
        events.PARTICIPANT_WITHDRAWN,
        participant,
        actor=acting_user,
        before={"status": before},
        after={"status": participant.status},
        note=note,
    ).save()
    return participant
