"""Background work of commitment verification (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .importing import verification_run_execute


@task()
def run_verification_import(run_id: int) -> None:
    """Run a queued school or health facility import."""
    verification_run_execute(run_id=run_id)


@task()
def run_evaluation(evaluation_id: int) -> None:
    """Evaluate the ladder for an area and a month (queued from the sanctions page)."""
    from .evaluation import evaluation_run_execute

    evaluation_run_execute(evaluation_id=evaluation_id)
