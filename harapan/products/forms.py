from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from harapan.registry.models import Member

from .models import Product, ProductSale


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "description", "price_rupiah", "unit", "is_active"]


class SaleForm(forms.ModelForm):
    class Meta:
        model = ProductSale
        fields = ["sold_on", "quantity", "amount_rupiah", "channel"]
        widgets = {"sold_on": forms.DateInput(attrs={"type": "date"})}


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto"))
    caption = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class MemberChoiceField(forms.ModelChoiceField):
    """Members by name only (no NIK on the form)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MakerForm(forms.Form):
    member = MemberChoiceField(label=_("Anggota pembuat"), queryset=Member.objects.none())

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members
