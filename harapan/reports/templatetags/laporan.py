"""Filters of the report pages: numbers and months written as the PDF and XLSX write them."""

from __future__ import annotations

from typing import Any

from django import template

from .. import formatting

register = template.Library()


@register.filter
def angka(value: Any) -> str:
    return formatting.angka(value)


@register.filter
def rupiah(value: Any) -> str:
    return formatting.rupiah(value)


@register.filter
def satuan(value: Any, unit: str) -> str:
    return formatting.with_unit(value, unit)


@register.filter
def raw(value: Any) -> str:
    """The value as data: a number unformatted, None as empty (for ``data-value``)."""
    return "" if value is None else str(value)
