from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LocalModuleForm(forms.Form):
    title = forms.CharField(
        label=_("Judul modul"), max_length=200, widget=forms.TextInput(attrs={"data-testid": "p2k2-local-title"})
    )
    description = forms.CharField(
        label=_("Uraian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "p2k2-local-description"}),
    )
    sessions = forms.CharField(
        label=_("Sesi (satu judul per baris, urut sesuai pengajaran)"),
        widget=forms.Textarea(attrs={"rows": 6, "data-testid": "p2k2-local-sessions"}),
    )

    def session_titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["sessions"].splitlines() if line.strip()]
