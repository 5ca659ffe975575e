"""Forms of the payroll pages (Indonesian labels; the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harapan.regions.selectors import normalize_code
from harapan.registry.models import Bank

from .models import ExclusionReason, ResultImport


class TahapOpenForm(forms.Form):
    region = forms.CharField(
        label=_("Wilayah (kode kabupaten/kota atau provinsi; kosong = nasional)"), max_length=13, required=False
    )
    year = forms.IntegerField(label=_("Tahun"), min_value=2007, max_value=2100)
    number = forms.IntegerField(label=_("Tahap ke"), min_value=1, max_value=12)
    cut_off = forms.DateField(label=_("Tanggal cut-off"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_region(self) -> str:
        value = self.cleaned_data["region"].strip()
        return normalize_code(value) if value else ""

    @classmethod
    def initial_for(cls, region: str | None) -> dict[str, Any]:
        today = timezone.localdate()
        return {"region": region or "", "year": today.year, "number": (today.month - 1) // 3 + 1, "cut_off": today}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=300)


class ExclusionFilterForm(forms.Form):
    alasan = forms.ChoiceField(
        label=_("Alasan"), choices=[("", _("Semua alasan")), *ExclusionReason.choices], required=False
    )


class ResultUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis berkas"), choices=ResultImport.Kind.choices)
    bank = forms.ChoiceField(label=_("Bank"), choices=Bank.choices)
    file = forms.FileField(label=_("Berkas hasil (CSV atau XLSX)"))


class DanaSharingForm(forms.Form):
    kabupaten = forms.CharField(label=_("Kode kabupaten/kota"), max_length=5)
    year = forms.IntegerField(label=_("Tahun"), min_value=2007, max_value=2100)
    apbd_amount = forms.IntegerField(label=_("Dana APBD untuk PKH (Rp)"), min_value=0)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def clean_kabupaten(self) -> str:
        return normalize_code(self.cleaned_data["kabupaten"])
