"""Forms of the family pages. They check input shape only; the rules live in ``services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Household, HouseholdStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form fields it names; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FamilySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("NIK, No KK, ID PKH atau nama"), "type": "search"}),
    )
    region = forms.CharField(label=_("Wilayah"), required=False, max_length=13)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *HouseholdStatus.choices]
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if region_choices is not None:
            self.fields["region"].widget = forms.Select(choices=[("", _("Seluruh wilayah kerja")), *region_choices])


class ReferenceDateForm(forms.Form):
    on = forms.DateField(label=_("Tanggal acuan"), required=False, widget=DATE_INPUT)

    def reference_date(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return timezone.localdate()


class HouseholdStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=HouseholdStatus.choices)
    valid_from = forms.DateField(label=_("Berlaku sejak"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Alasan"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "status_%s")
        kwargs.setdefault("initial", {"status": household.status, "valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if status == self.household.status:
            raise ValidationError(_("Status baru sama dengan status saat ini."))
        return status
