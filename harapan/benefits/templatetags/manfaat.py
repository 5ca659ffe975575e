from __future__ import annotations

from django import template

register = template.Library()


@register.filter(name="rupiah")
def rupiah(value: int | None) -> str:
    """3000000 -> "Rp3.000.000" (whole rupiah, Indonesian thousands separator); None -> "—"."""
    if value is None or value == "":
        return "—"
    return "Rp" + f"{int(value):,}".replace(",", ".")
