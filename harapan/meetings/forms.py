"""Forms of the meetings pages: editing a planned meeting, cancelling it, and a meeting place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from harapan.p2k2.models import Module
from harapan.regions.models import Region

from .models import Venue, VenueKind


def venue_option_label(venue: Venue) -> str:
    parts = [venue.name, venue.desa.name]
    if venue.capacity is not None:
        parts.append(str(_("%(n)d orang") % {"n": venue.capacity}))
    label = " · ".join(parts)
    return label if venue.is_layak else f"⚠ {label} ({_('belum layak')})"


class MeetingEditForm(forms.Form):
    scheduled_on = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(label=_("Jam mulai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    session = forms.TypedChoiceField(label=_("Sesi"), coerce=int, empty_value=None, required=False)
    venue_place = forms.TypedChoiceField(label=_("Tempat"), coerce=int, empty_value=None, required=False)
    venue = forms.CharField(label=_("Tempat lain (jika tidak ada di daftar)"), max_length=200, required=False)
    note = forms.CharField(label=_("Catatan perubahan (boleh kosong)"), max_length=300, required=False)

    def __init__(self, *args: Any, curriculum: list[Module], venues: list[Venue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        assert isinstance(session, forms.ChoiceField)
        session.choices = [
            ("", _("— tanpa sesi —")),
            *[(m.title, [(s.pk, str(s)) for s in m.sessions.all()]) for m in curriculum if m.sessions.all()],
        ]
        place = self.fields["venue_place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [("", _("— belum ditentukan —")), *[(v.pk, venue_option_label(v)) for v in venues]]


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Alasan pembatalan wajib diisi."))
        return reason


class DesaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{obj.name} — {parent}" if parent else str(obj.name)


class VenueForm(forms.Form):
    desa = DesaChoiceField(label=_("Desa/kelurahan"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Nama tempat"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis tempat"), choices=VenueKind.choices)
    address = forms.CharField(label=_("Alamat, RT/RW"), max_length=250, required=False)
    capacity = forms.IntegerField(label=_("Kapasitas (orang)"), min_value=1, max_value=100_000, required=False)
    easy_to_reach = forms.BooleanField(label=_("Mudah dijangkau anggota"), required=False)
    large_enough = forms.BooleanField(label=_("Cukup luas untuk seluruh anggota"), required=False)
    fit_for_material = forms.BooleanField(label=_("Layak untuk penyampaian materi"), required=False)
    away_from_busy_places = forms.BooleanField(label=_("Jauh dari jalan ramai, pasar dan sekolah"), required=False)
    latitude = forms.DecimalField(label=_("Lintang (boleh kosong)"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("Bujur (boleh kosong)"), max_digits=9, decimal_places=6, required=False)
    is_active = forms.BooleanField(label=_("Masih dipakai"), required=False, initial=True)

    def __init__(self, *args: Any, desa: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["desa"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = desa
