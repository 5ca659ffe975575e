"""Alumni evaluation forms: a new survey, one question (options written one per line), and the
respondent's questionnaire (one field per question, built from the questions as data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from harapan.conf import setting
from harapan.training.models import Cohort, Programme

from . import rules
from .models import Figure, QuestionKind

DATE = {"type": "date"}


def _cohort_label(cohort: Cohort) -> str:
    return f"{cohort.programme} — {_('angkatan')} {cohort.number} ({cohort.centre})"


class SurveyForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program diklat"), queryset=Programme.objects.none())
    title = forms.CharField(label=_("Judul survei"), max_length=200)
    intro = forms.CharField(
        label=_("Pengantar untuk responden"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cohorts = forms.ModelMultipleChoiceField(
        label=_("Angkatan"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("Kosongkan untuk semua alumni program ini."),
        widget=forms.CheckboxSelectMultiple,
    )
    completed_before = forms.DateField(
        label=_("Hanya yang lulus sebelum"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    opens_on = forms.DateField(label=_("Dibuka"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    closes_on = forms.DateField(label=_("Ditutup"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    period_start = forms.DateField(
        label=_("Periode acuan dari"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=_("Bulan-bulan yang data tercatatnya dibandingkan dengan jawaban."),
    )
    period_end = forms.DateField(
        label=_("Periode acuan sampai"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, programmes: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["cohorts"].queryset = cohorts  # type: ignore[attr-defined]
        self.fields["cohorts"].label_from_instance = _cohort_label  # type: ignore[attr-defined]
        if not self.is_bound:
            today = timezone.localdate()
            start, end = rules.default_reference_period(today, setting("alumni", "REFERENCE_MONTHS"))
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today + dt.timedelta(days=setting("alumni", "OPEN_DAYS")))
            self.initial.setdefault("period_start", start)
            self.initial.setdefault("period_end", end)


def parse_options(text: str) -> list[dict[str, str]]:
    """Options written one per line, as "label" or "value = label" (the value is made from the
    label when not given: "Sangat sering" -> "sangat_sering")."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "=" in line:
            value, label = (p.strip() for p in line.split("=", 1))
        else:
            value, label = slugify(line).replace("-", "_")[:40], line
        out.append({"value": value, "label": label})
    return out


def options_text(options: list[dict[str, Any]]) -> str:
    return "\n".join(f"{o['value']} = {o['label']}" for o in options or [])


class QuestionForm(forms.Form):
    section = forms.CharField(label=_("Bagian"), max_length=120, required=False)
    text = forms.CharField(label=_("Pertanyaan"), max_length=500)
    help_text = forms.CharField(label=_("Penjelasan"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("Pilihan jawaban (satu per baris: nilai = label)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    multiple = forms.BooleanField(label=_("Boleh lebih dari satu pilihan"), required=False)
    scale_min = forms.IntegerField(label=_("Skala terendah"), initial=1)
    scale_max = forms.IntegerField(label=_("Skala tertinggi"), initial=5)
    scale_min_label = forms.CharField(label=_("Label skala terendah"), max_length=60, required=False)
    scale_max_label = forms.CharField(label=_("Label skala tertinggi"), max_length=60, required=False)
    number_min = forms.DecimalField(label=_("Angka terkecil"), required=False, max_digits=12, decimal_places=2)
    number_max = forms.DecimalField(label=_("Angka terbesar"), required=False, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Satuan"), max_length=30, required=False)
    required = forms.BooleanField(label=_("Wajib dijawab"), required=False, initial=True)
    compares_with = forms.ChoiceField(
        label=_("Dibandingkan dengan data tercatat"),
        choices=[("", _("— tidak dibandingkan —")), *Figure.choices],
        required=False,
    )

    def clean_options(self) -> list[dict[str, str]]:
        return parse_options(self.cleaned_data.get("options", ""))

    def question_data(self) -> dict[str, Any]:
        """The fields of the new ``SurveyQuestion`` (options only for a choice)."""
        cd = dict(self.cleaned_data)
        if cd["kind"] != QuestionKind.CHOICE:
            cd["options"], cd["multiple"] = [], False
        return cd
