"""A recorded evaluation of the ladder for an area and a month (the page's button and the command)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from harapan.imports.models import RunStatus

from .models import EvaluationRun
from .services.ladder import compliance_evaluate
from .services.records import periods_for

log = logging.getLogger(__name__)


def evaluation_run_create(*, user: Any, region: str, month: dt.date) -> EvaluationRun:
    period = periods_for([month])[month.replace(day=1)]
    return EvaluationRun.objects.create(region_id=region, period=period, started_by=user)


def evaluation_run_execute(*, evaluation_id: int) -> EvaluationRun:
    """Run a queued evaluation; a refusal or an error is recorded on the run, never raised."""
    run = EvaluationRun.objects.select_related("period", "started_by").get(pk=evaluation_id)
    if run.status != RunStatus.QUEUED:
        return run
    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    try:
        result = compliance_evaluate(region=str(run.region_id), month=run.period.month, acting_user=run.started_by)
    except PermissionDenied as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
    except Exception as exc:
        log.exception("evaluation %s failed", run.pk)
        run.status, run.error = RunStatus.FAILED, f"Galat tak terduga: {exc.__class__.__name__}"
    else:
        run.status = RunStatus.DONE
        run.families, run.raised, run.lifted = result.families, result.raised, result.lifted
        run.status_changes, run.p2k2_records = result.status_changes, result.p2k2_records
    run.finished_at = timezone.now()
    run.save()
    return run
