"""Graduation forms: the assessment (one field per active readiness indicator), the proposal, the
signed statement's upload, the korkab's decision, an indicator's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import IndicatorKind, ReadinessIndicator, ReasonCategory

ANSWER_PREFIX = "i_"


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Tanggal penilaian"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    income_per_month = forms.IntegerField(
        label=_("Penghasilan keluarga per bulan (Rp)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1000}),
    )
    need_per_month = forms.IntegerField(
        label=_("Kebutuhan keluarga per bulan (Rp)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1000}),
    )
    business_type = forms.CharField(label=_("Jenis usaha (bila ada)"), max_length=150, required=False)
    kpm_willing = forms.BooleanField(
        label=_("Pengurus KPM menyatakan bersedia graduasi mandiri (sukarela)"), required=False
    )
    notes = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, indicators: list[ReadinessIndicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for i in indicators:
            name = ANSWER_PREFIX + i.code
            if i.kind == IndicatorKind.YA_TIDAK:
                self.fields[name] = forms.BooleanField(label=i.label, required=False, help_text=i.help_text)
            elif i.kind == IndicatorKind.ANGKA:
                self.fields[name] = forms.DecimalField(
                    label=i.label,
                    required=False,
                    min_value=0,
                    help_text=i.help_text,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                )

    def answers(self) -> dict[str, Any]:
        return {
            i.code: self.cleaned_data.get(ANSWER_PREFIX + i.code)
            for i in self.indicators
            if ANSWER_PREFIX + i.code in self.fields
        }

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(ANSWER_PREFIX)]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(ANSWER_PREFIX)]


class ProposalForm(forms.Form):
    reason_category = forms.ChoiceField(
        label=_("Kategori alasan"), choices=[("", "—"), *ReasonCategory.choices], required=False
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class StatementUploadForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Tanggal ditandatangani"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scan = forms.FileField(
        label=_("Foto atau PDF surat yang sudah ditandatangani"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,application/pdf", "capture": "environment"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    APPROVE, REJECT = "setujui", "tolak"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Setujui")), (REJECT, _("Tolak"))])
    reason = forms.CharField(
        label=_("Alasan penolakan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    effective_on = forms.DateField(
        label=_("Berlaku sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = ReadinessIndicator
        fields = ["label", "help_text", "threshold", "weight", "required", "is_active", "order"]
