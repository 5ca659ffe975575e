"""Forms of the training pages. They only parse input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from harapan.accounts.models import Staff
from harapan.regions.models import Region

from .models import MaterialKind, Programme, ProgrammeSession


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgrammeForm(forms.ModelForm):
    from_curriculum = forms.BooleanField(
        label=_("Sesi dari kurikulum P2K2 (5 modul, 14 sesi)"), required=False, initial=True
    )
    session_titles = forms.CharField(
        label=_("Judul sesi (satu per baris, bila tidak dari kurikulum)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "duration_days",
            "hours",
            "pass_mark",
            "questions_per_test",
            "require_all_sessions",
            "require_posttest_pass",
            "min_forum_posts",
            "min_forum_grade",
            "require_materials_before_posttest",
            "trains_p2k2",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("from_curriculum") and not self.titles():
            self.add_error("session_titles", _("Isi judul sesi, atau pilih sesi dari kurikulum P2K2."))
        return data

    def titles(self) -> list[str]:
        raw = (self.cleaned_data.get("session_titles") or "").splitlines()
        return [t.strip() for t in raw if t.strip()]


class CohortForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    number = forms.IntegerField(label=_("Angkatan ke-"), min_value=1)
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    ends_on = forms.DateField(label=_("Selesai"), widget=DateInput())
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Fasilitator"), queryset=Staff.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], facilitators: QuerySet[Staff], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = facilitators  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class QuotaForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=Region.objects.filter(level=2).order_by("code"), to_field_name="code"
    )
    places = forms.IntegerField(label=_("Jumlah tempat"), min_value=0, max_value=1000)


class NominateForm(forms.Form):
    pendamping = forms.ModelChoiceField(label=_("Pendamping"), queryset=Staff.objects.none())

    def __init__(self, *args: Any, pendamping: QuerySet[Staff], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pendamping"].queryset = pendamping  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Pertanyaan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    choice_1 = forms.CharField(label=_("Pilihan 1"), max_length=300)
    choice_2 = forms.CharField(label=_("Pilihan 2"), max_length=300)
    choice_3 = forms.CharField(label=_("Pilihan 3"), max_length=300, required=False)
    choice_4 = forms.CharField(label=_("Pilihan 4"), max_length=300, required=False)
    correct = forms.TypedChoiceField(
        label=_("Jawaban benar"),
        choices=[(i, _("Pilihan %(n)d") % {"n": i}) for i in range(1, 5)],
        coerce=int,
    )

    def choices(self) -> list[tuple[str, bool]]:
        d = self.cleaned_data
        return [(d.get(f"choice_{i}") or "", d["correct"] == i) for i in range(1, 5)]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("Berkas"), required=False)
    url = forms.URLField(label=_("Tautan video"), required=False, max_length=500, assume_scheme="https")
    body = forms.CharField(label=_("Isi bacaan"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class TopicForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Sesi"), queryset=ProgrammeSession.objects.none())
    title = forms.CharField(label=_("Judul topik"), max_length=200)
    text = forms.CharField(label=_("Pertanyaan diskusi"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, sessions: QuerySet[ProgrammeSession], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class PostForm(forms.Form):
    text = forms.CharField(label=_("Tulisan Anda"), widget=forms.Textarea(attrs={"rows": 4}))
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GradeForm(forms.Form):
    grade = forms.IntegerField(label=_("Nilai (0-100)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Komentar"), max_length=500, required=False)


class LiveSessionForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Sesi"), queryset=ProgrammeSession.objects.none())
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Mulai"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=10, max_value=600, initial=90)
    url = forms.URLField(label=_("Tautan video conference"), max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, sessions: QuerySet[ProgrammeSession], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
