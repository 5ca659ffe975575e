"""Flagship products (*produk unggulan*) of groups, their makers, photos and sales (issue 3,
SEKOPER Bondowoso: Dinas Koperasi markets the groups' products)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    kelompok = models.ForeignKey(
        "groups.Kelompok", verbose_name=_("kelompok"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("nama produk"), max_length=150)
    description = models.TextField(_("deskripsi"), blank=True)
    price_rupiah = models.PositiveBigIntegerField(_("harga (Rp)"))
    unit = models.CharField(_("satuan"), max_length=40, help_text=_('mis. "bungkus", "kg"'))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("produk unggulan")
        verbose_name_plural = _("produk unggulan")
        ordering = ["name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(price_rupiah__gte=0), name="product_price_not_negative")]

    def __str__(self) -> str:
        return self.name


class ProductMaker(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("produk"), on_delete=models.CASCADE, related_name="makers")
    member = models.ForeignKey(
        "registry.Member", verbose_name=_("pembuat"), on_delete=models.CASCADE, related_name="products_made"
    )

    class Meta:
        verbose_name = _("pembuat produk")
        verbose_name_plural = _("pembuat produk")
        constraints = [models.UniqueConstraint(fields=["product", "member"], name="productmaker_unique_pair")]

    def __str__(self) -> str:
        return f"{self.product_id} ← {self.member_id}"


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("produk"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to="produk/foto/")
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image)


class ProductSale(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("produk"), on_delete=models.CASCADE, related_name="sales")
    sold_on = models.DateField(_("tanggal jual"))
    quantity = models.PositiveIntegerField(_("jumlah"))
    amount_rupiah = models.PositiveBigIntegerField(_("nilai (Rp)"))
    channel = models.CharField(
        _("pembeli/saluran"), max_length=100, blank=True, help_text=_('mis. "pasar", "Dinas Koperasi", "online"')
    )

    class Meta:
        verbose_name = _("penjualan produk")
        verbose_name_plural = _("penjualan produk")
        ordering = ["-sold_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_rupiah__gte=0), name="productsale_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.sold_on} {self.amount_rupiah}"
