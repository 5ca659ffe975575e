"""Complaint forms: the list's filters, a new case, a step on a case, a category's SLA."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from harapan.accounts.models import Staff
from harapan.regions.models import Region

from .models import Channel, GrievanceCategory, GrievanceStatus, LodgedByKind
from .selectors import OPEN_FILTER


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Semua status")),
            (OPEN_FILTER, _("Masih terbuka (baru atau ditangani)")),
            *GrievanceStatus.choices,
        ],
    )
    kategori = forms.ChoiceField(label=_("Kategori"), required=False)
    terlambat = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)
    eskalasi = forms.BooleanField(label=_("Hanya yang dieskalasi"), required=False)
    kpm = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, categories: list[GrievanceCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Semua kategori")), *((c.code, c.name) for c in categories)]
        self.fields["kategori"].choices = choices  # type: ignore[attr-defined]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class LodgeForm(forms.Form):
    """A new case. With a family preselected (from the family page) the desa is the family's; without
    one, the desa is chosen from the user's area (a list, or a code for a province or the nation)."""

    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=GrievanceCategory.objects.none(), to_field_name="code", empty_label="—"
    )
    kpm = forms.CharField(
        label=_("KPM (ID PKH, NIK atau No KK)"),
        required=False,
        max_length=50,
        help_text=_("Kosongkan bila keluarga belum terdaftar."),
    )
    desa = forms.CharField(label=_("Desa/kelurahan"), required=False, max_length=13)
    about_pendamping = StaffChoiceField(
        label=_("Pendamping yang diadukan"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("— pendamping KPM ini —"),
        help_text=_("Hanya untuk kategori perilaku pendamping."),
    )
    lodged_by_name = forms.CharField(label=_("Nama pelapor"), max_length=150)
    lodged_by_kind = forms.ChoiceField(label=_("Pelapor"), choices=LodgedByKind.choices)
    channel = forms.ChoiceField(label=_("Saluran"), choices=Channel.choices)
    description = forms.CharField(
        label=_("Uraian pengaduan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        categories: QuerySet[GrievanceCategory],
        pendamping: QuerySet[Staff],
        desa_choices: list[Region] | None,
        fixed_household: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        subject_field = self.fields["about_pendamping"]
        assert isinstance(category_field, forms.ModelChoiceField)
        assert isinstance(subject_field, forms.ModelChoiceField)
        category_field.queryset = categories
        subject_field.queryset = pendamping
        if fixed_household:
            del self.fields["kpm"]
            del self.fields["desa"]
        elif desa_choices is not None:
            self.fields["desa"] = forms.ChoiceField(
                label=_("Desa/kelurahan"),
                required=False,
                choices=[("", _("— desa KPM —"))]
                + [(r.code, f"{r.name} ({r.parent.name if r.parent else ''})") for r in desa_choices],
                help_text=_("Untuk pengaduan tanpa KPM."),
            )
        else:
            self.fields["desa"].help_text = _("Kode desa, mis. 35.11.01.2001; untuk pengaduan tanpa KPM.")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Penyelesaian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class SlaForm(forms.Form):
    sla_days = forms.IntegerField(
        label=_("Batas waktu (hari)"),
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
