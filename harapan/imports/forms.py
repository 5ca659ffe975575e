"""The upload form of the KPM import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm"}


def _check_suffix(name: str) -> None:
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise forms.ValidationError(_("Berkas harus CSV atau XLSX."))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas KPM"),
        help_text=_("XLSX dengan lembar KELUARGA dan ART, berkas keluarga (CSV/XLSX), atau satu berkas datar."),
    )
    art_file = forms.FileField(
        label=_("Berkas ART (anggota)"),
        required=False,
        help_text=_("Hanya bila keluarga dan anggota ada di dua berkas terpisah."),
    )
    as_of = forms.DateField(
        label=_("Tanggal acuan"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tanggal berlakunya data di berkas: fakta baru mulai tanggal ini."),
    )

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("Tanggal acuan tidak boleh di masa depan."))
        return as_of

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        _check_suffix(f.name)
        return f

    def clean_art_file(self) -> Any:
        f = self.cleaned_data.get("art_file")
        if f:
            _check_suffix(f.name)
        return f
