from __future__ import annotations

from django import template

from harapan.products.selectors import format_rupiah

register = template.Library()


@register.filter(name="rupiah")
def rupiah(value: int | None) -> str:
    """12500 -> "Rp12.500"."""
    return format_rupiah(int(value or 0))
