"""One class per kind of pemutakhiran: what it checks, records as "before", applies, and does to
the components. ``KINDS`` maps each ``UpdateKind`` to its class."""

from __future__ import annotations

from .base import Change, Kind, Row, violations_error
from .health import PregnancyStart, SevereDisability
from .household import Account, Move
from .people import Birth, CarerChange, Death, MemberLeave
from .school import LevelChange, SchoolEntry, SchoolLeave

KINDS: dict[str, Kind] = {
    k.kind: k
    for k in (
        Birth(),
        Death(),
        SchoolEntry(),
        LevelChange(),
        SchoolLeave(),
        PregnancyStart(),
        SevereDisability(),
        Move(),
        MemberLeave(),
        CarerChange(),
        Account(),
    )
}

__all__ = ["KINDS", "Change", "Kind", "Row", "violations_error"]
