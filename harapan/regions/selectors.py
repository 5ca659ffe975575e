"""Reads of the region tree."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q, QuerySet

from .models import Level, Region


def region_get(code: str) -> Region | None:
    return Region.objects.filter(code=normalize_code(code)).first()


def region_children(code: str | None) -> QuerySet[Region]:
    if not code:
        return Region.objects.filter(level=Level.PROVINSI)
    return Region.objects.filter(parent_id=code)


def region_ancestors(code: str) -> list[Region]:
    """The region's ancestors and itself, provinsi first."""
    parts = code.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    by_code = Region.objects.in_bulk(codes)
    return [by_code[c] for c in codes if c in by_code]


def region_search(query: str, *, level: int | None = None, within: str | None = None) -> QuerySet[Region]:
    """Regions whose code starts with, or whose name contains, ``query``."""
    q = query.strip()
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if within:
        qs = qs.filter(code__startswith=within + ".")
    digits = q.replace(".", "")
    if digits.isdigit():
        return qs.filter(code__startswith=normalize_code(q))
    return qs.filter(Q(name__icontains=q)).order_by("level", "name")


def normalize_code(code: str) -> str:
    """Accept ``3511012001`` or ``35.11.01.2001`` and return the dotted form."""
    c = str(code).strip()
    if "." in c:
        return c
    return ".".join(p for p in (c[0:2], c[2:4], c[4:6], c[6:10]) if p)


@lru_cache(maxsize=1)
def kecamatan_codes() -> frozenset[str]:
    """All kecamatan codes without dots (the region part of a NIK), cached for validation."""
    return frozenset(
        c.replace(".", "") for c in Region.objects.filter(level=Level.KECAMATAN).values_list("code", flat=True)
    )


@lru_cache(maxsize=1)
def desa_codes() -> frozenset[str]:
    return frozenset(Region.objects.filter(level=Level.DESA).values_list("code", flat=True))
