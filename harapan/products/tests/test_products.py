"""Flagship products of groups (RULES.md "Glossary": produk unggulan, SEKOPER; issue 3)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook

from harapan.audit.models import AuditEvent
from harapan.groups.models import Kelompok
from harapan.products import selectors, services
from harapan.products.models import Product, ProductMaker
from harapan.testing import JEMBER, PASSWORD, first_desa, first_kecamatan, make_staff

from .conftest import Setup


def _product(setup: Setup) -> Product:
    user = setup.pendamping.user
    product = services.product_create(
        acting_user=user,
        kelompok=setup.kelompok,
        name="Keripik Singkong Ijen",
        description="Keripik singkong pedas dari desa.",
        price_rupiah=12500,
        unit="bungkus",
    )
    for member in setup.family.members.all():
        services.maker_add(acting_user=user, product=product, member=member)
    for day, qty, amount, channel in [
        (dt.date(2026, 3, 5), 10, 125000, "pasar"),
        (dt.date(2026, 3, 20), 4, 50000, "online"),
        (dt.date(2026, 4, 2), 20, 240000, "Dinas Koperasi"),
    ]:
        services.sale_record(
            acting_user=user, product=product, sold_on=day, quantity=qty, amount_rupiah=amount, channel=channel
        )
    return product


def _private_strings(setup: Setup) -> list[bytes]:
    """What must never appear on public pages: makers' NIKs and names, pkh_id, pendamping's name."""
    out = [setup.family.pkh_id.encode(), setup.pendamping.full_name.encode()]
    for member in setup.family.members.all():
        out += [str(member.nik).encode(), member.name.encode()]
    return out


def test_product_with_makers_and_sales_totals_per_month(setup: Setup) -> None:
    product = _product(setup)
    assert ProductMaker.objects.filter(product=product).count() == setup.family.members.count()
    months = selectors.sales_by_month(product)
    assert [(m.month, m.quantity, m.amount_rupiah) for m in months] == [
        (dt.date(2026, 3, 1), 14, 175000),
        (dt.date(2026, 4, 1), 20, 240000),
    ]
    actions = set(AuditEvent.objects.filter(object_type__startswith="product").values_list("action", flat=True))
    assert actions == {"product_created", "product_maker_added", "product_sale_recorded"}
    maker_events = AuditEvent.objects.filter(action="product_maker_added")
    assert set(maker_events.values_list("household_id", flat=True)) == {setup.family.pk}


def test_staff_detail_page_shows_makers_and_month_totals(setup: Setup) -> None:
    product = _product(setup)
    client = Client()
    client.login(username=setup.pendamping.user.username, password=PASSWORD)
    response = client.get(f"/produk/{product.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="month-2026-03"' in body
    assert "Rp175.000" in body and "Rp415.000" in body
    assert setup.family.members.first().name in body  # type: ignore[union-attr]
    assert client.get("/produk/").status_code == 200


def test_public_catalogue_and_exports_hold_no_personal_data(setup: Setup) -> None:
    _product(setup)
    client = Client()  # anonymous: no login
    page = client.get("/produk/katalog/35.11/")
    xlsx = client.get("/produk/katalog/35.11.xlsx")
    csv_response = client.get("/produk/katalog/35.11.csv")
    for response in (page, xlsx, csv_response):
        assert response.status_code == 200
    assert b"Keripik Singkong Ijen" in page.content and b"Rp12.500" in page.content
    assert b"Kelompok Melati" in page.content
    assert b'data-testid="logout"' not in page.content
    text = csv_response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][3] == "Keripik Singkong Ijen" and rows[1][5] == "12500"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [c.value for c in sheet[2]]
    assert "Keripik Singkong Ijen" in values and 12500 in values
    # The xlsx is zipped: inspect its cell text too, not only the raw bytes.
    xlsx_text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
    for secret in _private_strings(setup):
        for raw in (page.content, csv_response.content, xlsx.content, xlsx_text):
            assert secret not in raw


def test_other_district_catalogue_does_not_list_product(setup: Setup) -> None:
    _product(setup)
    client = Client()
    page = client.get(f"/produk/katalog/{JEMBER}/")
    assert page.status_code == 200
    assert b"Keripik Singkong Ijen" not in page.content
    assert b"Keripik Singkong Ijen" not in client.get(f"/produk/katalog/{JEMBER}.csv").content
    assert client.get("/produk/katalog/99.99/").status_code == 404


def test_pendamping_of_another_group_cannot_add_sale(setup: Setup) -> None:
    product = _product(setup)
    with pytest.raises(PermissionDenied):
        services.sale_record(
            acting_user=setup.other_pendamping.user,
            product=product,
            sold_on=dt.date(2026, 5, 1),
            quantity=1,
            amount_rupiah=12500,
        )
    client = Client()
    client.login(username=setup.other_pendamping.user.username, password=PASSWORD)
    response = client.post(
        f"/produk/{product.pk}/penjualan/", {"sold_on": "2026-05-01", "quantity": 1, "amount_rupiah": 12500}
    )
    assert response.status_code == 404
    assert product.sales.count() == 3


def test_operator_of_kabupaten_may_add_sale_but_not_another_kabupaten(setup: Setup) -> None:
    product = _product(setup)
    services.sale_record(
        acting_user=setup.operator.user, product=product, sold_on=dt.date(2026, 5, 1), quantity=1, amount_rupiah=1
    )
    jember_operator = make_staff("operator", JEMBER)
    with pytest.raises(PermissionDenied):
        services.sale_record(
            acting_user=jember_operator.user, product=product, sold_on=dt.date(2026, 5, 1), quantity=1, amount_rupiah=1
        )


def test_maker_from_another_group_is_refused(setup: Setup) -> None:
    product = _product(setup)
    stranger = setup.outsider.members.first()
    assert stranger is not None
    with pytest.raises(ValidationError):
        services.maker_add(acting_user=setup.pendamping.user, product=product, member=stranger)
    assert not ProductMaker.objects.filter(member=stranger).exists()


def test_negative_price_refused_by_database(setup: Setup) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(kelompok=setup.kelompok, name="Salah", price_rupiah=-1, unit="kg")
    with pytest.raises(ValidationError):
        services.product_create(
            acting_user=setup.pendamping.user, kelompok=setup.kelompok, name="Salah", price_rupiah=-5, unit="kg"
        )


def test_create_page_for_group_in_scope(setup: Setup) -> None:
    client = Client()
    client.login(username=setup.pendamping.user.username, password=PASSWORD)
    url = f"/produk/baru/?kelompok={setup.kelompok.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Kopi Ijen", "price_rupiah": 30000, "unit": "kg", "is_active": "on"})
    assert response.status_code == 302
    assert Product.objects.get(name="Kopi Ijen").kelompok == setup.kelompok
    assert client.get(f"/produk/baru/?kelompok={setup.other_kelompok.pk}").status_code == 404


def test_jember_group_product_not_in_bondowoso_catalogue(setup: Setup) -> None:
    desa = first_desa(first_kecamatan(JEMBER).code)
    kelompok = Kelompok.objects.create(code="3509-PROD-1", name="Kelompok Jember", desa=desa)
    Product.objects.create(kelompok=kelompok, name="Tembakau Jember", price_rupiah=1000, unit="kg")
    assert b"Tembakau Jember" not in Client().get("/produk/katalog/35.11/").content
    assert b"Tembakau Jember" in Client().get(f"/produk/katalog/{JEMBER}/").content


def test_photo_upload_shows_on_public_catalogue(setup: Setup) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = _product(setup)
    client = Client()
    client.login(username=setup.pendamping.user.username, password=PASSWORD)
    image = SimpleUploadedFile("keripik.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
    response = client.post(f"/produk/{product.pk}/foto/", {"image": image, "caption": "Kemasan baru"})
    assert response.status_code == 302
    photo = product.photos.get()
    assert str(photo.image.name).startswith("produk/foto/")
    assert photo.image.url.encode() in Client().get("/produk/katalog/35.11/").content
