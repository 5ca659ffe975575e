"""Background work of the dashboards (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .services import figures_refresh, figures_refresh_all, stale_refresh_pending


@task()
def refresh_figures(prefixes: list[str] | None = None) -> None:
    """Refresh every figure (the nightly refresh), or those under the given region prefixes."""
    if prefixes is None:
        figures_refresh_all()
    else:
        figures_refresh(prefixes)


@task()
def refresh_stale() -> None:
    """Refresh every stale mark left by the dashboards' reads (large changes, a new day)."""
    stale_refresh_pending()
