"""Reading products: staff lists inside the user's scope, and the public district catalogue
(public fields only: no NIK, no names of people, no family ids)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q
from harapan.regions.models import Region

from .models import Product, ProductPhoto


def format_rupiah(value: int) -> str:
    """12500 -> "Rp12.500" (Indonesian thousands separator)."""
    return "Rp" + f"{value:,}".replace(",", ".")


def product_list(user: Any) -> QuerySet[Product]:
    """Products of the groups the user may see (pendamping: own groups; others: their area)."""
    return Product.objects.filter(household_q(user, prefix="kelompok__")).select_related("kelompok", "kelompok__desa")


def product_get(user: Any, pk: int) -> Product:
    try:
        return product_list(user).get(pk=pk)
    except Product.DoesNotExist:
        raise Http404(_("Produk tidak ditemukan.")) from None


@dataclass
class MonthTotal:
    month: dt.date
    quantity: int
    amount_rupiah: int


def sales_by_month(product: Product) -> list[MonthTotal]:
    rows = (
        product.sales.annotate(month=TruncMonth("sold_on"))
        .values("month")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount_rupiah"), n=Count("pk"))
        .order_by("month")
    )
    out = []
    for r in rows:
        month = r["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        out.append(MonthTotal(month=month, quantity=r["quantity"], amount_rupiah=r["amount"]))
    return out


def kabupaten_get(code: str) -> Region:
    region = Region.objects.filter(code=code, level=2).first()
    if region is None:
        raise Http404(_("Kabupaten/kota tidak ditemukan."))
    return region


@dataclass
class CatalogueRow:
    """One product as the public sees it: nothing about people."""

    name: str
    description: str
    price_rupiah: int
    unit: str
    kelompok: str
    desa: str
    kecamatan: str
    photo_url: str

    @property
    def price_text(self) -> str:
        return format_rupiah(self.price_rupiah)


def catalogue_rows(kabupaten: Region) -> list[CatalogueRow]:
    """Active products of active groups in the kabupaten, by kecamatan, desa and name."""
    products = (
        Product.objects.filter(
            is_active=True, kelompok__is_active=True, kelompok__desa__code__startswith=kabupaten.code + "."
        )
        .select_related("kelompok__desa__parent")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("pk")))
        .order_by("kelompok__desa__parent__code", "kelompok__desa__code", "name", "pk")
    )
    rows = []
    for p in products:
        photos = list(p.photos.all())
        desa = p.kelompok.desa
        rows.append(
            CatalogueRow(
                name=p.name,
                description=p.description,
                price_rupiah=p.price_rupiah,
                unit=p.unit,
                kelompok=p.kelompok.name,
                desa=desa.name,
                kecamatan=desa.parent.name if desa.parent else "",
                photo_url=photos[0].image.url if photos else "",
            )
        )
    return rows
