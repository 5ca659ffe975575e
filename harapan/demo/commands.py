"""What the demo's district commands (``seed-field-year``, ``seed-programme-year``) share: their
options and the checks of who runs them on which kabupaten (accounts.scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from harapan.accounts.models import Role
from harapan.accounts.scope import region_in_scope, require_role
from harapan.demo.plan import DEFAULT_KABUPATEN, DEFAULT_SEED
from harapan.regions.models import Region
from harapan.regions.selectors import region_get


def district_arguments(parser: CommandParser, *, as_of_help: str, if_empty_help: str) -> None:
    parser.add_argument("--user", required=True, help="username operator/korkab yang menjalankan")
    parser.add_argument("--kabupaten", default=DEFAULT_KABUPATEN, help="kode kabupaten/kota, mis. 35.11")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Benih acak: sama = data sama.")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help=as_of_help)
    parser.add_argument("--if-empty", action="store_true", help=if_empty_help)


def district_and_user(opts: dict[str, Any]) -> tuple[Any, Region]:
    """The acting user and the kabupaten of the options, or a CommandError naming what is wrong:
    no such user or kabupaten, not an operator/korkab, or a kabupaten outside their area."""
    user = get_user_model().objects.filter(username=opts["user"]).first()
    if user is None:
        raise CommandError(f"Pengguna {opts['user']} tidak ada.")
    region = region_get(opts["kabupaten"])
    if region is None or region.level != 2:
        raise CommandError(f"Kabupaten/kota {opts['kabupaten']} tidak ada.")
    try:
        require_role(user, Role.OPERATOR, Role.KORKAB)
    except PermissionDenied as error:
        raise CommandError(str(error)) from error
    if not region_in_scope(user, region.code):
        raise CommandError(f"Wilayah {region.code} di luar wilayah kerja Anda.")
    return user, region
