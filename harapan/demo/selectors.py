"""Reads for the demo: a real district's kecamatan and desa, from the region table."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from harapan.regions.models import Kind, Level, Region
from harapan.regions.selectors import normalize_code

from .plan import Desa, District, Kecamatan


def district_load(code: str) -> District:
    """The kabupaten/kota ``code`` (``35.11`` or ``3511``) with its kecamatan and desa in code order."""
    code = normalize_code(code)
    try:
        kab = Region.objects.select_related("parent").get(code=code, level=Level.KABUPATEN)
    except ObjectDoesNotExist:
        raise ValueError(f"Kabupaten/kota {code} tidak ada di data wilayah Kemendagri.") from None
    desa_by_kec: dict[str, list[Desa]] = {}
    for d_code, d_name, kind in (
        Region.objects.filter(level=Level.DESA, code__startswith=code + ".")
        .order_by("code")
        .values_list("code", "name", "kind")
    ):
        desa_by_kec.setdefault(d_code.rsplit(".", 1)[0], []).append(Desa(d_code, d_name, kind == Kind.KELURAHAN))
    kecamatan = tuple(
        Kecamatan(k_code, k_name, tuple(desa_by_kec.get(k_code, ())))
        for k_code, k_name in Region.objects.filter(parent_id=code).order_by("code").values_list("code", "name")
    )
    assert kab.parent is not None
    return District(
        code=kab.code,
        name=kab.name,
        province_code=kab.parent.code,
        province_name=kab.parent.name,
        kecamatan=kecamatan,
    )
