"""Forms of the verification pages: the file upload, the sanctions filter, a decision on a proposed
cancellation, and an area's evaluation. The phone form is read straight from the POST (its fields
depend on the family's members)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harapan.regions.selectors import normalize_code, region_get

from .models import RunKind, SanctionLevel

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm"}


class MonthField(forms.CharField):
    """A month as YYYY-MM (``<input type="month">``), cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        from .views.common import parse_month

        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("Bulan harus YYYY-MM."))
        return month


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis berkas"), choices=RunKind.choices, widget=forms.RadioSelect)
    year = forms.IntegerField(
        label=_("Tahun (berkas sekolah)"),
        min_value=2007,
        max_value=2100,
        required=False,
        initial=lambda: timezone.localdate().year,
        help_text=_("Dipakai bila baris judul berkas sekolah tidak menuliskan tahun."),
    )
    file = forms.FileField(label=_("Berkas CSV/XLSX"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if Path(f.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Berkas harus CSV atau XLSX."))
        return f


class SanctionFilterForm(forms.Form):
    region = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13)
    level = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=[("", _("Semua tingkat")), *SanctionLevel.choices]
    )
    state = forms.ChoiceField(
        label=_("Keadaan"),
        required=False,
        choices=[
            ("", _("Semua")),
            ("terbuka", _("Berlaku")),
            ("dicabut", _("Dicabut")),
            ("menunggu", _("Menunggu konfirmasi pembatalan")),
        ],
    )
    period = MonthField(label=_("Bulan"), required=False)

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        return normalize_code(code) if code else ""


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan / alasan"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvaluationForm(forms.Form):
    region = forms.CharField(label=_("Kode wilayah"), max_length=13)
    month = MonthField(label=_("Bulan verifikasi"))

    def clean_region(self) -> str:
        code = normalize_code(self.cleaned_data["region"].strip())
        if region_get(code) is None:
            raise forms.ValidationError(_("Wilayah tidak dikenal."))
        return code

    def clean_month(self) -> Any:
        month = self.cleaned_data["month"]
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Bulan tidak boleh di masa depan."))
        return month
