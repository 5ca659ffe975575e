"""Product pages: staff list/detail/forms inside scope, and the public district catalogue with
its xlsx/csv exports for Dinas Koperasi (public fields only; issue 3, SEKOPER)."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.groups.models import Kelompok
from harapan.groups.selectors import kelompok_get
from harapan.registry.models import Member

from . import selectors, services
from .forms import MakerForm, PhotoForm, ProductForm, SaleForm
from .models import Product

EXPORT_HEADERS = [
    "Kecamatan",
    "Desa/Kelurahan",
    "Kelompok",
    "Produk",
    "Deskripsi",
    "Harga (Rp)",
    "Satuan",
]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError next to the fields it names; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _group_members(kelompok: Kelompok) -> QuerySet[Member]:
    return Member.objects.filter(
        household__group_memberships__kelompok=kelompok,
        household__group_memberships__valid_to__isnull=True,
        is_active=True,
    ).order_by("name")


def _detail(
    request: HttpRequest,
    product: Product,
    sale_form: SaleForm | None = None,
    photo_form: PhotoForm | None = None,
    maker_form: MakerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    totals = product.sales.aggregate(quantity=Sum("quantity"), amount=Sum("amount_rupiah"))
    return render(
        request,
        "products/product_detail.html",
        {
            "product": product,
            "price_text": selectors.format_rupiah(product.price_rupiah),
            "makers": product.makers.select_related("member").order_by("member__name"),
            "photos": product.photos.all(),
            "sales": product.sales.all()[:200],
            "months": selectors.sales_by_month(product),
            "total_quantity": totals["quantity"] or 0,
            "total_amount": totals["amount"] or 0,
            "can_manage": services.can_manage(request.user, product.kelompok),
            "sale_form": sale_form or SaleForm(),
            "photo_form": photo_form or PhotoForm(),
            "maker_form": maker_form or MakerForm(members=_group_members(product.kelompok)),
        },
        status=status,
    )


@login_required
def product_list_view(request: HttpRequest) -> HttpResponse:
    products = selectors.product_list(request.user).order_by("kelompok__code", "name")[:500]
    return render(request, "products/product_list.html", {"products": products})


@login_required
def product_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.product_get(request.user, pk))


@login_required
def product_create_view(request: HttpRequest) -> HttpResponse:
    try:
        kelompok_id = int(request.GET.get("kelompok", ""))
    except ValueError:
        kelompok_id = 0
    kelompok = kelompok_get(request.user, kelompok_id)
    if not services.can_manage(request.user, kelompok):
        raise PermissionDenied(_("Anda tidak berwenang mengelola produk kelompok ini."))
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(acting_user=request.user, kelompok=kelompok, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Produk unggulan tersimpan."))
            return redirect("products:detail", pk=product.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "products/product_form.html", {"form": form, "kelompok": kelompok}, status=status)


@login_required
@require_POST
def sale_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(request.user, pk)
    form = SaleForm(request.POST)
    if form.is_valid():
        try:
            services.sale_record(acting_user=request.user, product=product, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Penjualan tercatat."))
            return redirect("products:detail", pk=product.pk)
    return _detail(request, product, sale_form=form, status=400)


@login_required
@require_POST
def photo_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.photo_add(acting_user=request.user, product=product, **form.cleaned_data)
        messages.success(request, _("Foto tersimpan."))
        return redirect("products:detail", pk=product.pk)
    return _detail(request, product, photo_form=form, status=400)


@login_required
@require_POST
def maker_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(request.user, pk)
    form = MakerForm(request.POST, members=_group_members(product.kelompok))
    if form.is_valid():
        try:
            services.maker_add(acting_user=request.user, product=product, member=form.cleaned_data["member"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pembuat produk ditambahkan."))
            return redirect("products:detail", pk=product.pk)
    return _detail(request, product, maker_form=form, status=400)


def catalogue_view(request: HttpRequest, code: str) -> HttpResponse:
    """Public page, no login: the district's active products with public fields only."""
    kabupaten = selectors.kabupaten_get(code)
    rows = selectors.catalogue_rows(kabupaten)
    return render(request, "products/catalogue.html", {"kabupaten": kabupaten, "rows": rows})


def _export_values(rows: list[selectors.CatalogueRow]) -> list[list[str | int]]:
    return [[r.kecamatan, r.desa, r.kelompok, r.name, r.description, r.price_rupiah, r.unit] for r in rows]


def catalogue_csv_view(request: HttpRequest, code: str) -> HttpResponse:
    kabupaten = selectors.kabupaten_get(code)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(EXPORT_HEADERS)
    writer.writerows(_export_values(selectors.catalogue_rows(kabupaten)))
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="produk-unggulan-{kabupaten.code}.csv"'
    return response


def catalogue_xlsx_view(request: HttpRequest, code: str) -> HttpResponse:
    from openpyxl import Workbook

    kabupaten = selectors.kabupaten_get(code)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Produk unggulan"
    sheet.append(EXPORT_HEADERS)
    for values in _export_values(selectors.catalogue_rows(kabupaten)):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="produk-unggulan-{kabupaten.code}.xlsx"'
    return response
