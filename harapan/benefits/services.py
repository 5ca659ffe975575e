"""Writes to the benefit index. Only the ministry edits it; each write takes ``acting_user``, runs
in one transaction and audits (RULES.md: Components and amounts are data, edited with history).

A version in force today or before is never changed: a change is a new version from a date not
in the past, which closes the version before it the day before. A version that has not started
yet can still be corrected in place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import require_role
from harapan.audit.services import diff
from harapan.regions.selectors import region_get

from . import events
from .models import BenefitAmount, BenefitIndex, HardToReachRegion, TahapShare
from .rules import IndexTerms, terms_violations

INDEX_ROLES = (Role.MINISTRY,)
DAY = dt.timedelta(days=1)


def index_snapshot(index: BenefitIndex) -> dict[str, Any]:
    """The version's name, dates, citation and terms in JSON-safe form (for the audit trail)."""
    amounts = list(index.amounts.order_by("id"))
    return {
        "name": index.name,
        "valid_from": index.valid_from.isoformat(),
        "citation": index.citation,
        "person_cap": index.person_cap,
        "fixed_per_year": index.fixed_per_year,
        "fixed_hard_to_reach_per_year": index.fixed_hard_to_reach_per_year,
        "minimum_per_year": index.minimum_per_year,
        "maximum_per_year": index.maximum_per_year,
        "amounts": {a.komponen: a.amount_per_year for a in amounts},
        "category_caps": {a.komponen: a.category_cap for a in amounts if a.category_cap is not None},
        "tahap_weights": list(index.tahap_shares.order_by("tahap").values_list("weight", flat=True)),
    }


def _check(terms: IndexTerms, errors: dict[str, list[str]]) -> None:
    for v in terms_violations(terms):
        errors[v.field].append(v.message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({k: v for k, v in errors.items()})


def _apply(index: BenefitIndex, *, name: str, valid_from: dt.date, citation: str, terms: IndexTerms) -> None:
    index.name = name
    index.valid_from = valid_from
    index.citation = citation
    index.person_cap = terms.person_cap
    index.fixed_per_year = terms.fixed
    index.fixed_hard_to_reach_per_year = terms.fixed_hard_to_reach
    index.minimum_per_year = terms.minimum
    index.maximum_per_year = terms.maximum


def _write_terms(index: BenefitIndex, terms: IndexTerms) -> None:
    index.amounts.all().delete()
    index.tahap_shares.all().delete()
    BenefitAmount.objects.bulk_create(
        BenefitAmount(index=index, komponen=k, amount_per_year=amount, category_cap=terms.category_caps.get(k))
        for k, amount in terms.amounts.items()
    )
    TahapShare.objects.bulk_create(
        TahapShare(index=index, tahap=n, weight=w) for n, w in enumerate(terms.tahap_weights, start=1)
    )


def _check_name(name: str, errors: dict[str, list[str]], *, exclude: int | None = None) -> None:
    others = BenefitIndex.objects.filter(name=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if not name.strip():
        errors["name"].append(_("Nama versi wajib diisi."))
    elif others.exists():
        errors["name"].append(_("Nama versi sudah dipakai."))


@transaction.atomic
def benefit_index_create_version(
    *,
    name: str,
    valid_from: dt.date,
    citation: str,
    terms: IndexTerms,
    acting_user: Any,
    source: str = "web",
    today: dt.date | None = None,
) -> BenefitIndex:
    """A new version of the index from ``valid_from`` (today or later, after the start of the
    latest version), closing the latest version on the day before."""
    require_role(acting_user, *INDEX_ROLES)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = defaultdict(list)
    _check(terms, errors)
    _check_name(name, errors)
    if not citation.strip():
        errors["citation"].append(_("Sumber atau dasar hukum wajib diisi."))
    latest = BenefitIndex.objects.select_for_update().order_by("-valid_from").first()
    if valid_from < today:
        errors["valid_from"].append(
            _("Tanggal berlaku tidak boleh di masa lalu: indeks yang sudah berlaku tidak diubah.")
        )
    elif latest is not None and valid_from <= latest.valid_from:
        errors["valid_from"].append(
            _("Tanggal berlaku harus setelah %(date)s, awal versi terakhir (%(name)s).")
            % {"date": latest.valid_from.isoformat(), "name": latest.name}
        )
    _raise(errors)
    index = BenefitIndex(supersedes=latest, created_by=acting_user if acting_user.is_authenticated else None)
    _apply(index, name=name, valid_from=valid_from, citation=citation, terms=terms)
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        before = latest.valid_to
        latest.valid_to = valid_from - DAY
        latest.save(update_fields=["valid_to"])
        index.save()
        events.benefit_index_closed(latest, actor=acting_user, source=source, before=before, by=index).save()
    else:
        index.save()
    _write_terms(index, terms)
    events.benefit_index_created(index, actor=acting_user, source=source, after=index_snapshot(index)).save()
    return index


@transaction.atomic
def benefit_index_update(
    *,
    index: BenefitIndex,
    name: str,
    valid_from: dt.date,
    citation: str,
    terms: IndexTerms,
    acting_user: Any,
    source: str = "web",
    today: dt.date | None = None,
) -> BenefitIndex:
    """Correct a version that has not started yet; a version in force is refused (make a new
    version instead). Moving its start moves the end of the version before it."""
    require_role(acting_user, *INDEX_ROLES)
    today = today or timezone.localdate()
    index = BenefitIndex.objects.select_for_update().get(pk=index.pk)
    if index.is_locked(today):
        raise ValidationError(
            _("Versi %(name)s sudah berlaku sejak %(date)s dan tidak dapat diubah; buat versi baru.")
            % {"name": index.name, "date": index.valid_from.isoformat()}
        )
    errors: dict[str, list[str]] = defaultdict(list)
    _check(terms, errors)
    _check_name(name, errors, exclude=index.pk)
    if not citation.strip():
        errors["citation"].append(_("Sumber atau dasar hukum wajib diisi."))
    previous = (
        BenefitIndex.objects.select_for_update()
        .filter(valid_from__lt=index.valid_from)
        .exclude(pk=index.pk)
        .order_by("-valid_from")
        .first()
    )
    if valid_from < today:
        errors["valid_from"].append(
            _("Tanggal berlaku tidak boleh di masa lalu: indeks yang sudah berlaku tidak diubah.")
        )
    elif previous is not None and valid_from <= previous.valid_from:
        errors["valid_from"].append(
            _("Tanggal berlaku harus setelah %(date)s, awal versi sebelumnya (%(name)s).")
            % {"date": previous.valid_from.isoformat(), "name": previous.name}
        )
    elif index.valid_to is not None and valid_from > index.valid_to:
        errors["valid_from"].append(
            _("Tanggal berlaku harus sebelum %(date)s, akhir versi ini.") % {"date": index.valid_to.isoformat()}
        )
    _raise(errors)
    before = index_snapshot(index)
    _apply(index, name=name, valid_from=valid_from, citation=citation, terms=terms)
    if previous is not None and previous.valid_to is not None and previous.valid_to != valid_from - DAY:
        old_end = previous.valid_to
        previous.valid_to = valid_from - DAY
        previous.save(update_fields=["valid_to"])
        events.benefit_index_closed(previous, actor=acting_user, source=source, before=old_end, by=index).save()
    index.save()
    _write_terms(index, terms)
    b, a = diff(before, index_snapshot(index))
    if a:
        events.benefit_index_updated(index, actor=acting_user, source=source, before=b, after=a).save()
    return index


# --- Hard-to-reach areas -------------------------------------------------------------------------


@transaction.atomic
def hard_to_reach_region_add(
    *,
    region_code: str,
    valid_from: dt.date,
    citation: str,
    acting_user: Any,
    source: str = "web",
    today: dt.date | None = None,
) -> HardToReachRegion:
    """List a region (any level) as hard to reach from ``valid_from`` (not in the past)."""
    require_role(acting_user, *INDEX_ROLES)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = defaultdict(list)
    region = region_get(region_code)
    if region is None:
        errors["region"].append(_("Kode wilayah tidak dikenal."))
    elif HardToReachRegion.objects.filter(region=region, valid_to__isnull=True).exists():
        errors["region"].append(_("Wilayah ini sudah ditetapkan sulit dijangkau."))
    if valid_from < today:
        errors["valid_from"].append(_("Tanggal berlaku tidak boleh di masa lalu."))
    if not citation.strip():
        errors["citation"].append(_("Dasar penetapan wajib diisi."))
    _raise(errors)
    assert region is not None
    area = HardToReachRegion.objects.create(
        region=region,
        valid_from=valid_from,
        citation=citation,
        created_by=acting_user if acting_user.is_authenticated else None,
    )
    events.hard_to_reach_added(
        area,
        actor=acting_user,
        source=source,
        after={"region": area.region_id, "valid_from": valid_from.isoformat(), "citation": citation},
    ).save()
    return area


@transaction.atomic
def hard_to_reach_region_end(
    *, area: HardToReachRegion, valid_to: dt.date, acting_user: Any, source: str = "web", today: dt.date | None = None
) -> HardToReachRegion:
    """End a listing: it applies up to and including ``valid_to`` (not in the past)."""
    require_role(acting_user, *INDEX_ROLES)
    today = today or timezone.localdate()
    area = HardToReachRegion.objects.select_for_update().get(pk=area.pk)
    if area.valid_to is not None:
        raise ValidationError({"valid_to": [_("Penetapan ini sudah berakhir.")]})
    if valid_to < max(today, area.valid_from):
        raise ValidationError({"valid_to": [_("Tanggal akhir tidak boleh di masa lalu atau sebelum awal penetapan.")]})
    area.valid_to = valid_to
    area.save(update_fields=["valid_to"])
    events.hard_to_reach_ended(area, actor=acting_user, source=source).save()
    return area
