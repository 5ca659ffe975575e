"""Background work of the import (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .services import import_run_execute


@task()
def run_import(run_id: int) -> None:
    """Run a queued KPM import."""
    import_run_execute(run_id=run_id)
