"""Forms of the benefit pages. They check input shape only; the rules (``rules.terms_violations``,
the date rules of ``services``) put their errors back on the fields they name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harapan.registry.rules import KOMPONEN_LABELS, Komponen

from .models import BenefitIndex
from .rules import IndexTerms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class BenefitIndexForm(forms.Form):
    """A version of the index: dates and citation, amounts and caps per component, the fixed
    benefit, the min/max per family, the tahap weights. An empty amount leaves the component out
    of the version; an empty cap means no cap."""

    name = forms.CharField(label=gettext_lazy("Nama versi"), max_length=120)
    valid_from = forms.DateField(label=gettext_lazy("Berlaku dari"), widget=DATE_INPUT)
    citation = forms.CharField(
        label=gettext_lazy("Sumber/dasar hukum"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    person_cap = forms.IntegerField(
        label=gettext_lazy("Batas orang yang dihitung per keluarga"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Kosong: tanpa batas."),
    )
    fixed = _money(gettext_lazy("Bantuan tetap per keluarga per tahun (Rp)"))
    fixed_hard_to_reach = _money(gettext_lazy("Bantuan tetap daerah sulit dijangkau per tahun (Rp)"))
    minimum = _money(gettext_lazy("Minimum per keluarga per tahun (Rp)"), required=False)
    maximum = _money(gettext_lazy("Maksimum per keluarga per tahun (Rp)"), required=False)
    tahap_weights = forms.CharField(
        label=gettext_lazy("Bobot per tahap"),
        max_length=60,
        help_text=gettext_lazy("Bilangan bulat dipisah koma, satu per tahap; 1,1,1,1 = empat tahap sama besar."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for k in Komponen:
            label = _(KOMPONEN_LABELS[k])
            self.fields[f"amount_{k}"] = _money(_("%(k)s: per orang per tahun (Rp)") % {"k": label}, required=False)
            self.fields[f"cap_{k}"] = forms.IntegerField(
                label=_("%(k)s: batas orang") % {"k": label}, required=False, min_value=1
            )

    def komponen_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(_(KOMPONEN_LABELS[k]), self[f"amount_{k}"], self[f"cap_{k}"]) for k in Komponen]

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(("amount_", "cap_"))]

    def clean_tahap_weights(self) -> tuple[int, ...]:
        raw = self.cleaned_data["tahap_weights"]
        parts = [p.strip() for p in raw.split(",")]
        if not parts or not all(p.isdigit() and int(p) >= 1 for p in parts):
            raise ValidationError(_("Tulis bilangan bulat 1 atau lebih, dipisah koma (contoh: 1,1,1,1)."))
        return tuple(int(p) for p in parts)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for k in Komponen:
            if cleaned.get(f"cap_{k}") is not None and cleaned.get(f"amount_{k}") is None:
                self.add_error(f"cap_{k}", _("Isi besaran komponen ini, atau kosongkan batasnya."))
        return cleaned

    def terms(self) -> IndexTerms:
        c = self.cleaned_data
        return IndexTerms(
            amounts={str(k): c[f"amount_{k}"] for k in Komponen if c[f"amount_{k}"] is not None},
            category_caps={str(k): c[f"cap_{k}"] for k in Komponen if c[f"cap_{k}"] is not None},
            person_cap=c["person_cap"],
            fixed=c["fixed"],
            fixed_hard_to_reach=c["fixed_hard_to_reach"],
            minimum=c["minimum"],
            maximum=c["maximum"],
            tahap_weights=c["tahap_weights"],
        )

    @staticmethod
    def initial_from(index: BenefitIndex | None, **extra: Any) -> dict[str, Any]:
        """The form's starting values: a copy of ``index`` (with ``extra`` on top)."""
        if index is None:
            return {"tahap_weights": "", **extra}
        initial: dict[str, Any] = {
            "name": index.name,
            "valid_from": index.valid_from,
            "citation": index.citation,
            "person_cap": index.person_cap,
            "fixed": index.fixed_per_year,
            "fixed_hard_to_reach": index.fixed_hard_to_reach_per_year,
            "minimum": index.minimum_per_year,
            "maximum": index.maximum_per_year,
            "tahap_weights": ",".join(str(s.weight) for s in index.tahap_shares.all()),
        }
        for a in index.amounts.all():
            initial[f"amount_{a.komponen}"] = a.amount_per_year
            initial[f"cap_{a.komponen}"] = a.category_cap
        initial.update(extra)
        return initial


class HardToReachForm(forms.Form):
    region = forms.CharField(
        label=gettext_lazy("Kode wilayah"),
        max_length=13,
        help_text=gettext_lazy("Kode Kemendagri bertitik, tingkat apa pun (contoh 35.11.01)."),
    )
    valid_from = forms.DateField(label=gettext_lazy("Berlaku dari"), widget=DATE_INPUT)
    citation = forms.CharField(label=gettext_lazy("Dasar penetapan"), max_length=300)


class HardToReachEndForm(forms.Form):
    valid_to = forms.DateField(label=gettext_lazy("Berlaku sampai"), widget=DATE_INPUT)


class CutOffDateForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Tanggal acuan (cut-off)"), required=False, widget=DATE_INPUT)

    def cut_off(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return timezone.localdate()
