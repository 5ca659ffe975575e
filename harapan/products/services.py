"""Registering flagship products, their makers, photos and sales (issue 3, SEKOPER).

Allowed for the group's pendamping and for the operator or korkab of the group's kabupaten
(accounts.scope); every change writes an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.audit.services import diff, snapshot
from harapan.groups.models import GroupMembership, Kelompok
from harapan.groups.selectors import kelompok_worker
from harapan.registry.models import Member

from . import events
from .models import Product, ProductMaker, ProductPhoto, ProductSale

PRODUCT_FIELDS = ["kelompok", "name", "description", "price_rupiah", "unit", "is_active"]
EDITABLE_FIELDS = ("name", "description", "price_rupiah", "unit", "is_active")


def can_manage(user: Any, kelompok: Kelompok) -> bool:
    """The group's pendamping, or an operator/korkab whose area holds the group's desa."""
    return kelompok_worker(user, kelompok) is not None


def require_manager(user: Any, kelompok: Kelompok) -> Staff:
    staff = kelompok_worker(user, kelompok)
    if staff is None:
        raise PermissionDenied(_("Anda tidak berwenang mengelola produk kelompok ini."))
    return staff


def _check_price(value: int, label: str) -> None:
    if value < 0:
        raise ValidationError({label: _("Nilai rupiah tidak boleh negatif.")})


@transaction.atomic
def product_create(
    *,
    acting_user: Any,
    kelompok: Kelompok,
    name: str,
    price_rupiah: int,
    unit: str,
    description: str = "",
    is_active: bool = True,
    source: str = "web",
) -> Product:
    require_manager(acting_user, kelompok)
    _check_price(price_rupiah, "price_rupiah")
    product = Product.objects.create(
        kelompok=kelompok,
        name=name.strip(),
        description=description.strip(),
        price_rupiah=price_rupiah,
        unit=unit.strip(),
        is_active=is_active,
    )
    events.product_event(
        events.PRODUCT_CREATED, product, actor=acting_user, source=source, after=snapshot(product, PRODUCT_FIELDS)
    )
    return product


@transaction.atomic
def product_update(*, acting_user: Any, product: Product, source: str = "web", **changes: Any) -> Product:
    product = Product.objects.select_for_update().select_related("kelompok").get(pk=product.pk)
    require_manager(acting_user, product.kelompok)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "price_rupiah" in changes:
        _check_price(changes["price_rupiah"], "price_rupiah")
    before = snapshot(product, PRODUCT_FIELDS)
    for name, value in changes.items():
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    product.save(update_fields=list(changes))
    after = snapshot(product, PRODUCT_FIELDS)
    old, new = diff(before, after)
    if new:
        events.product_event(events.PRODUCT_UPDATED, product, actor=acting_user, source=source, before=old, after=new)
    return product


def member_in_group(member: Member, kelompok: Kelompok) -> bool:
    """Whether the member's family has an open membership in the group."""
    return GroupMembership.objects.filter(
        household_id=member.household_id, kelompok=kelompok, valid_to__isnull=True
    ).exists()


@transaction.atomic
def maker_add(*, acting_user: Any, product: Product, member: Member, source: str = "web") -> ProductMaker:
    require_manager(acting_user, product.kelompok)
    if not member_in_group(member, product.kelompok):
        raise ValidationError({"member": _("Anggota ini bukan dari keluarga anggota kelompok produk ini.")})
    if ProductMaker.objects.filter(product=product, member=member).exists():
        raise ValidationError({"member": _("Anggota ini sudah tercatat sebagai pembuat produk.")})
    maker = ProductMaker.objects.create(product=product, member=member)
    events.product_event(
        events.PRODUCT_MAKER_ADDED,
        maker,
        actor=acting_user,
        source=source,
        household_id=member.household_id,
        after={"product": product.pk, "member": member.pk},
    )
    return maker


@transaction.atomic
def photo_add(
    *, acting_user: Any, product: Product, image: UploadedFile, caption: str = "", source: str = "web"
) -> ProductPhoto:
    require_manager(acting_user, product.kelompok)
    photo = ProductPhoto.objects.create(product=product, image=image, caption=caption.strip())
    events.product_event(
        events.PRODUCT_PHOTO_ADDED,
        photo,
        actor=acting_user,
        source=source,
        after={"product": product.pk, "image": photo.image.name, "caption": photo.caption},
    )
    return photo


@transaction.atomic
def sale_record(
    *,
    acting_user: Any,
    product: Product,
    sold_on: dt.date,
    quantity: int,
    amount_rupiah: int,
    channel: str = "",
    source: str = "web",
) -> ProductSale:
    require_manager(acting_user, product.kelompok)
    _check_price(amount_rupiah, "amount_rupiah")
    if quantity <= 0:
        raise ValidationError({"quantity": _("Jumlah harus lebih dari nol.")})
    sale = ProductSale.objects.create(
        product=product, sold_on=sold_on, quantity=quantity, amount_rupiah=amount_rupiah, channel=channel.strip()
    )
    events.product_event(
        events.PRODUCT_SALE_RECORDED,
        sale,
        actor=acting_user,
        source=source,
        after=snapshot(sale, ["product", "sold_on", "quantity", "amount_rupiah", "channel"]),
    )
    return sale
