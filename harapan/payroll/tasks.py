"""Background work of the payroll (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .reconciliation import result_import_execute
from .services import tahap_compute_execute


@task()
def compute_tahap(tahap_id: int, user_id: int) -> None:
    """Compute a queued tahap's list."""
    tahap_compute_execute(tahap_id=tahap_id, user_id=user_id)


@task()
def import_bank_result(result_id: int) -> None:
    """Run a queued bank result (or burekol result) import."""
    result_import_execute(result_id=result_id)
