from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
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


MATERIAL_TYPES = {".pdf", ".doc", ".docx", ".ppt", ".pptx", ".odt", ".odp", ".jpg", ".jpeg", ".png", ".webp"}
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
CHOICES_SHOWN = 4


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Judul materi"), max_length=200, widget=forms.TextInput(attrs={"data-testid": "p2k2-material-title"})
    )
    file = forms.FileField(
        label=_("Berkas (PDF, dokumen, presentasi atau gambar; paling besar 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"data-testid": "p2k2-material-file"}),
    )
    url = forms.URLField(
        label=_("atau tautan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"data-testid": "p2k2-material-url", "placeholder": "https://"}),
    )

    def clean_file(self) -> UploadedFile | None:
        f = self.cleaned_data.get("file")
        if f is None:
            return None
        if Path(f.name or "").suffix.lower() not in MATERIAL_TYPES:
            raise forms.ValidationError(_("Berkas harus PDF, dokumen, presentasi atau gambar."))
        if (f.size or 0) > MATERIAL_MAX_BYTES:
            raise forms.ValidationError(_("Ukuran berkas paling besar 20 MB."))
        return f  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("file")) == bool(data.get("url")) and not self.errors:
            raise forms.ValidationError(_("Isi salah satu: berkas atau tautan."))
        return data


class QuestionForm(forms.Form):
    """A question with up to four choices, one of them marked correct."""

    text = forms.CharField(
        label=_("Pertanyaan"), max_length=500, widget=forms.TextInput(attrs={"data-testid": "p2k2-question-text"})
    )
    correct = forms.TypedChoiceField(
        label=_("Jawaban yang benar"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, CHOICES_SHOWN + 1)],
        widget=forms.RadioSelect(attrs={"data-testid": "p2k2-question-correct"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, CHOICES_SHOWN + 1):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Pilihan %(n)d") % {"n": i},
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"data-testid": f"p2k2-choice-{i}"}),
            )

    def choices(self) -> list[tuple[str, bool]]:
        """(text, is_correct) of the choices filled in, for ``question_add``."""
        correct = self.cleaned_data.get("correct")
        return [
            (self.cleaned_data.get(f"choice_{i}", ""), i == correct)
            for i in range(1, CHOICES_SHOWN + 1)
            if self.cleaned_data.get(f"choice_{i}", "").strip()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        correct = data.get("correct")
        if correct and not str(data.get(f"choice_{correct}", "")).strip():
            self.add_error("correct", _("Pilihan yang ditandai benar masih kosong."))
        return data
