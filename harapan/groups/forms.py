from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harapan.accounts.models import Staff

from .models import Kelompok


class AssignPendampingForm(forms.Form):
    pendamping = forms.ModelChoiceField(label=_("Pendamping baru"), queryset=Staff.objects.none())

    def __init__(self, *args: Any, pendamping: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pendamping is not None:
            self.fields["pendamping"].queryset = pendamping  # type: ignore[attr-defined]


class MoveFamilyForm(forms.Form):
    household = forms.IntegerField(label=_("ID KPM"), min_value=1)
    kelompok = forms.ModelChoiceField(label=_("Kelompok tujuan"), queryset=Kelompok.objects.none())
    valid_from = forms.DateField(
        label=_("Berlaku dari"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, targets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["kelompok"].queryset = targets  # type: ignore[attr-defined]
