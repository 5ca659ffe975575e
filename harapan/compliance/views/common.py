"""Small helpers shared by the verification pages."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.accounts.scope import staff_of

from ..rules import add_months

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str) -> dt.date | None:
    """``YYYY-MM`` as the month's first day, or None."""
    m = _MONTH.match(text.strip())
    if m is None or not 1 <= int(m[2]) <= 12:
        return None
    return dt.date(int(m[1]), int(m[2]), 1)


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def neighbours(month: dt.date) -> tuple[str, str]:
    return month_key(add_months(month, -1)), month_key(add_months(month, 1))


def staff_required(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied(_("Halaman ini untuk petugas PKH."))
    return staff
