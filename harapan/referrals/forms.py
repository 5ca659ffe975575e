"""Referral forms: a new referral (the member choice limited to the family's own members), the
follow-up of a referral (accepted, completed, refused), coverage recorded directly and its end, a
programme's settings, and the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harapan.registry.models import PRESENT, Household, Member

from .models import Programme, ReferralStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate)


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_relationship_display()}, {obj.birth_date:%d-%m-%Y})"


class ProgrammeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        target = _("anggota") if obj.for_members else _("keluarga")
        return f"{obj.name} — {target}"


def _present_members(household: Household) -> Any:
    return Member.objects.filter(household=household, presence__in=PRESENT, left_on__isnull=True).order_by(
        "relationship", "birth_date", "id"
    )


class ReferralForm(forms.Form):
    programme = ProgrammeChoice(
        label=_("Program"), queryset=Programme.objects.none(), to_field_name="code", empty_label=_("— pilih program —")
    )
    member = MemberChoice(
        label=_("Anggota yang dirujuk"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("— seluruh keluarga —"),
        help_text=_("Wajib untuk program bagi anggota (mis. KIP, NIK); kosongkan untuk program keluarga (KIS, BPNT)."),
    )
    referred_on = _date_field(_("Tanggal dirujuk"))
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True).order_by("order", "code")  # type: ignore[attr-defined]
        self.fields["member"].queryset = _present_members(household)  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    accepted_on = _date_field(_("Tanggal diterima"))
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)


class CompleteForm(forms.Form):
    closed_on = _date_field(_("Tanggal selesai (mulai menerima)"))
    outcome = forms.CharField(
        label=_("Hasil"),
        max_length=500,
        help_text=_("Mis. “KIP terbit, dana PIP cair”, “KIS aktif”."),
        widget=forms.TextInput(),
    )
    card_number = forms.CharField(label=_("Nomor kartu/kepesertaan"), max_length=60, required=False)


class RejectForm(forms.Form):
    closed_on = _date_field(_("Tanggal ditolak"))
    outcome = forms.CharField(label=_("Alasan penolakan"), max_length=500, widget=forms.TextInput())


class CoverageForm(forms.Form):
    programme = ProgrammeChoice(
        label=_("Program"), queryset=Programme.objects.none(), to_field_name="code", empty_label=_("— pilih program —")
    )
    member = MemberChoice(
        label=_("Anggota"), queryset=Member.objects.none(), required=False, empty_label=_("— seluruh keluarga —")
    )
    since = _date_field(_("Menerima sejak"))
    card_number = forms.CharField(label=_("Nomor kartu/kepesertaan"), max_length=60, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True).order_by("order", "code")  # type: ignore[attr-defined]
        self.fields["member"].queryset = _present_members(household)  # type: ignore[attr-defined]


class CoverageEndForm(forms.Form):
    until = _date_field(_("Menerima sampai"))
    reason = forms.CharField(label=_("Alasan berakhir"), max_length=300, required=False)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["code", "name", "provider", "target", "eligibility", "hint", "is_active", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code names the programme in data and reports: fixed once created.
            self.fields["code"].disabled = True


class ReferralFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *ReferralStatus.choices]
    )
    programme = forms.ChoiceField(label=_("Program"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua program")),
            *Programme.objects.order_by("order", "code").values_list("code", "name"),
        ]
