"""The KPM import, usable without files: ``import_families(FamilyRows...)``.

Families are checked one by one (``validation``) and written in chunks, one transaction per
chunk (``writer``): an import interrupted half-way leaves whole families only, and running it
again finishes the job, because a family already written compares equal and is not touched.
The demo seeder calls ``import_families`` with generated rows; readers feed it from files.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from harapan.accounts.models import IMPORT_ROLES, Role, Staff
from harapan.accounts.scope import region_in_scope, require_role
from harapan.conf import setting
from harapan.regions.selectors import desa_codes, kecamatan_codes
from harapan.registry.rules import RegistryRules, Violation

from .bulk import FastInsert
from .checked import FamilyIn, Issue, family_rejects
from .models import COUNT_FIELDS, ImportReject, ImportRun, RunStatus
from .rows import FamilyRows, RowReject
from .validation import FamilyValidator, PendampingRef
from .writer import ChunkResult, WriteContext, write_families

__all__ = ["FamilyRows", "RowReject", "import_families"]

log = logging.getLogger(__name__)

REJECTS = FastInsert(ImportReject)


def import_families(
    families: Iterable[FamilyRows],
    *,
    run: ImportRun,
    acting_user: Any,
    as_of: dt.date,
    chunk_size: int = 1000,
) -> ImportRun:
    """Import families into the registry, recording counts and rejected rows on ``run``.

    ``acting_user`` must hold an importing role and the families must lie in their area;
    ``None`` means a system job (the demo seeder): no area limit, audit events without actor.
    The run ends ``done``; on an error it ends ``failed`` with the error text, and the error is
    raised again. Chunks written before the error stay written.
    """
    if acting_user is not None:
        require_role(acting_user, *IMPORT_ROLES)
    if run.pk is None:
        run.save()
    validator = build_validator(acting_user=acting_user, as_of=as_of)
    ctx = WriteContext(
        as_of=as_of,
        actor=acting_user,
        source=run.source,
        rules=validator.rules,
        in_scope=validator.in_scope,
    )
    run.as_of = as_of
    run.status = RunStatus.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.error = ""
    run.save(update_fields=["as_of", "status", "started_at", "error"])
    try:
        for chunk in _chunks(families, max(1, chunk_size)):
            _import_chunk(chunk, run=run, validator=validator, ctx=ctx)
    except BaseException as exc:
        run.status = RunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:5000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def build_validator(*, acting_user: Any, as_of: dt.date) -> FamilyValidator:
    kecamatan = kecamatan_codes()
    desa = desa_codes()
    return FamilyValidator(
        as_of=as_of,
        today=max(as_of, timezone.localdate()),
        rules=RegistryRules.from_settings(),
        max_age_without_nik=setting("imports", "MAX_AGE_WITHOUT_NIK"),
        kecamatan_exists=kecamatan.__contains__,
        desa_exists=desa.__contains__,
        in_scope=_scope_check(acting_user),
        pendamping_of=_pendamping_lookup(),
    )


def _scope_check(acting_user: Any) -> Callable[[str], bool]:
    if acting_user is None:
        return lambda code: True
    cache: dict[str, bool] = {}

    def in_scope(code: str) -> bool:
        if code not in cache:
            cache[code] = region_in_scope(acting_user, code)
        return cache[code]

    return in_scope


def _pendamping_lookup() -> Callable[[str], PendampingRef | None]:
    """PENDAMPING column -> the pendamping staff (by user name, else NIP)."""
    by_name: dict[str, PendampingRef] = {}
    by_nip: dict[str, PendampingRef] = {}
    rows = Staff.objects.filter(role=Role.PENDAMPING, is_active=True).values_list(
        "pk", "user__username", "nip", "region_id"
    )
    for pk, username, nip, region_id in rows:
        ref = PendampingRef(pk, region_id)
        by_name[username.casefold()] = ref
        if nip:
            by_nip[nip.replace(" ", "")] = ref

    def lookup(value: str) -> PendampingRef | None:
        return by_name.get(value.casefold()) or by_nip.get(value.replace(" ", ""))

    return lookup


def _chunks(families: Iterable[FamilyRows], size: int) -> Iterator[list[FamilyRows]]:
    it = iter(families)
    while chunk := list(islice(it, size)):
        yield chunk


def _import_chunk(chunk: list[FamilyRows], *, run: ImportRun, validator: FamilyValidator, ctx: WriteContext) -> None:
    checked: list[FamilyIn] = []
    rejects: list[RowReject] = []
    rejected = 0
    for family in chunk:
        result = validator.validate(family)
        if isinstance(result, FamilyIn):
            checked.append(result)
        else:
            rejects.extend(result)
            rejected += 1
    try:
        with transaction.atomic():
            written = write_families(checked, ctx)
            counts = _record(run, written, seen=len(chunk), rejected=rejected, rejects=rejects)
        _apply(run, counts)
    except IntegrityError as exc:
        # Another writer changed the registry between the checks and the write (a NIK became
        # active elsewhere, a family was registered meanwhile): write family by family, and
        # reject only the family the database refuses.
        log.warning("import %s: chunk refused by the database (%s); writing family by family", run.pk, exc)
        _import_one_by_one(checked, run=run, ctx=ctx, seen=len(chunk), rejected=rejected, rejects=rejects)


def _import_one_by_one(
    checked: list[FamilyIn], *, run: ImportRun, ctx: WriteContext, seen: int, rejected: int, rejects: list[RowReject]
) -> None:
    for family in checked:
        try:
            with transaction.atomic():
                written = write_families([family], ctx)
                counts = _record(run, written, seen=0, rejected=0, rejects=[])
            _apply(run, counts)
        except IntegrityError as exc:
            issue = Issue(
                family.source.sheet_keluarga,
                family.source.keluarga_row,
                Violation(
                    "",
                    "ditolak_basis_data",
                    f"Basis data menolak keluarga ini (data berubah selama impor): {str(exc).splitlines()[0][:300]}",
                ),
            )
            rejects.extend(family_rejects(family.source, [issue]))
            rejected += 1
    with transaction.atomic():
        counts = _record(run, ChunkResult(), seen=seen, rejected=rejected, rejects=rejects)
    _apply(run, counts)


def _record(
    run: ImportRun, written: ChunkResult, *, seen: int, rejected: int, rejects: list[RowReject]
) -> dict[str, int]:
    """Save the chunk's rejects and add its counts to the run, in the chunk's transaction.
    Returns the run's new counts."""
    all_rejects = rejects + written.rejects
    REJECTS.insert(
        [
            REJECTS.row(
                {
                    "run_id": run.pk,
                    "sheet": r.sheet[:100],
                    "row": r.row,
                    "field": r.field[:60],
                    "rule": r.rule[:60],
                    "message": r.message[:500],
                    "value": r.value[:300],
                    "family_key": r.family_key[:60],
                }
            )
            for r in all_rejects
        ]
    )
    delta = {
        "families_seen": seen,
        "families_created": written.families_created,
        "families_updated": written.families_updated,
        "families_unchanged": written.families_unchanged,
        "families_rejected": rejected + written.families_rejected,
        "members_created": written.members_created,
        "members_updated": written.members_updated,
        "rows_rejected": len({(r.sheet, r.row) for r in all_rejects}),
    }
    new = {name: getattr(run, name) + delta[name] for name in COUNT_FIELDS}
    ImportRun.objects.filter(pk=run.pk).update(**new)
    return new


def _apply(run: ImportRun, counts: dict[str, int]) -> None:
    """The in-memory run follows the database once the chunk's transaction is through."""
    for name, value in counts.items():
        setattr(run, name, value)
