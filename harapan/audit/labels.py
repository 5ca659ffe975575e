"""Readable names for audit events on history pages, gathered from every app's ``events`` module.

Each bounded context names its own events (STYLE.md: Saleor events) and may declare, next to
them, ``ACTION_LABELS`` (action -> label), ``FIELD_LABELS`` (key in before/after -> label) and
``VALUE_LABELS`` (key -> {value -> label}), all marked with ``gettext_noop``. A family's history
shows events from many apps (registry, groups, meetings, p2k2, pemutakhiran); this module lets
it label them all without importing each app by name.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from django.apps import apps
from django.utils.translation import gettext


@cache
def _labels() -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    actions: dict[str, str] = {}
    fields: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("harapan."):
            continue
        name = f"{config.name}.events"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        actions.update(getattr(module, "ACTION_LABELS", {}))
        fields.update(getattr(module, "FIELD_LABELS", {}))
        for key, labels in getattr(module, "VALUE_LABELS", {}).items():
            values.setdefault(key, {}).update(labels)
    return actions, fields, values


def action_label(action: str) -> str:
    """The translated label of an audit action; the action itself when no app names it."""
    return gettext(_labels()[0].get(action, action))


def field_label(key: str) -> str | None:
    """The translated label of a before/after key that is not a model field, if an app names it."""
    label = _labels()[1].get(key)
    return gettext(label) if label is not None else None


def value_label(key: str, value: Any) -> str | None:
    """The translated label of a coded value (e.g. an attendance mark), if an app names it."""
    label = _labels()[2].get(key, {}).get(str(value))
    return gettext(label) if label is not None else None
