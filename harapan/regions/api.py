"""JSON API of the region tree (public data; the API itself needs a logged-in user)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from .selectors import normalize_code, region_children, region_get, region_search

router = Router(tags=["wilayah"])
SEARCH_LIMIT = 50


class RegionOut(Schema):
    code: str = Field(description="Kode Kemendagri bertitik, mis. 35.11.01.2001")
    name: str
    level: int = Field(description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan")
    kind: str
    parent: str | None = Field(None, alias="parent_id")
    postal_code: str


@router.get("", response=list[RegionOut], summary="Daftar wilayah")
def regions_list(request: HttpRequest, parent: str = "", q: str = "") -> list:
    """Children of ``parent`` (provinces when empty), or, with ``q``, regions whose code starts
    with or whose name contains it (at most 50, within ``parent`` when given)."""
    parent_code = normalize_code(parent) if parent else ""
    if q.strip():
        return list(region_search(q, within=parent_code or None)[:SEARCH_LIMIT])
    return list(region_children(parent_code or None))


@router.get("/{code}", response=RegionOut, summary="Satu wilayah")
def regions_get(request: HttpRequest, code: str) -> object:
    region = region_get(code)
    if region is None:
        raise Http404("Wilayah tidak ditemukan.")
    return region
