"""Per-context configuration: defaults declared in each app's ``apps.py``, overridden by
``settings.HARAPAN[app_label]``. A rule's numbers are read here, never written as literals."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings


def setting(app_label: str, name: str) -> Any:
    """Return the configured value of ``name`` for the app ``app_label``."""
    overrides = getattr(settings, "HARAPAN", {}).get(app_label, {})
    if name in overrides:
        return overrides[name]
    defaults: dict[str, Any] = getattr(apps.get_app_config(app_label), "defaults", {})
    return defaults[name]
