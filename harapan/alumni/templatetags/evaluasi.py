"""Template helpers of the alumni evaluation pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def angka(value: Decimal | int | float | None, unit: str = "") -> str:
    """A figure with at most two decimals in the page's locale (62,87), "–" when there is none;
    ``unit`` "%" is appended."""
    if value is None:
        return "–"
    text = floatformat(value, "-2")
    return f"{text}%" if unit == "%" else str(text)


@register.filter
def signed(value: Decimal | int | float | None) -> str:
    """A difference with its sign (+12, −3,5)."""
    if value is None:
        return "–"
    text = str(floatformat(abs(value), "-2"))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")
