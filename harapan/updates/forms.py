"""One form per kind of update. A form checks the shape of what the pendamping typed (required
fields, digits, choices among the family's own members) and turns it into the JSON ``payload``;
the rules that need the family's data live in ``kinds.py``. ``services.update_submit`` runs the
same form on the payload it is given, so a service call and a page post are checked alike."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from harapan.audit.services import jsonable
from harapan.regions.models import Level, Region
from harapan.regions.selectors import normalize_code
from harapan.registry.models import PRESENT, Bank, Household, Member, Relationship, SchoolLevel, Sex

from .models import UpdateKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COMMON_FIELDS = ("member", "effective_date", "note")


def numeric(attrs: dict[str, Any] | None = None) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", **(attrs or {})})


def digits(value: str, *, length: int | None = None, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not value.isdigit():
        raise ValidationError(_("Hanya angka."), code="hanya_angka")
    if length is not None and len(value) != length:
        raise ValidationError(_("Harus %(n)d digit.") % {"n": length}, code="panjang_digit")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(_("Paling banyak %(n)d digit.") % {"n": max_length}, code="panjang_digit")
    return value


def present_members(household: Household) -> QuerySet[Member]:
    """Members still living in the family (not died, moved or left)."""
    return Member.objects.filter(household=household, presence__in=PRESENT, left_on__isnull=True).order_by(
        "relationship", "birth_date", "pk"
    )


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the family by name and age group; the NIK stays off the form."""

    default_error_messages = {"invalid_choice": _("Pilih anggota yang tinggal di keluarga ini.")}

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_relationship_display()}, {obj.birth_date:%Y})"


class UpdateForm(forms.Form):
    """What every kind has: the member concerned (for a member-level kind), the date from which the
    change holds, and a note. Subclasses add the kind's own fields: the ``payload``."""

    kind: ClassVar[str]
    member_label: ClassVar[Any] = None
    women_only: ClassVar[bool] = False
    date_label: ClassVar[Any] = _("Tanggal berlaku")
    date_help: ClassVar[Any] = ""
    explanation: ClassVar[Any] = ""

    member = MemberChoiceField(label=_("Anggota"), queryset=Member.objects.none(), empty_label=_("— pilih anggota —"))
    effective_date = forms.DateField(label=_("Tanggal berlaku"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "u_%s")
        super().__init__(*args, **kwargs)
        self.household = household
        present = present_members(household)
        for name, field in self.fields.items():
            if isinstance(field, MemberChoiceField):
                women = self.women_only if name == "member" else getattr(field, "women_only", False)
                field.queryset = present.filter(sex=Sex.P) if women else present
        if self.member_label is None:
            del self.fields["member"]
        else:
            self.fields["member"].label = self.member_label
        self.fields["effective_date"].label = self.date_label
        self.fields["effective_date"].help_text = self.date_help
        self.order_fields(["member", "effective_date", *self.payload_fields(), "note"])

    @classmethod
    def payload_fields(cls) -> list[str]:
        return [n for n in cls.base_fields if n not in COMMON_FIELDS]

    def payload(self) -> dict[str, Any]:
        """The kind's fields as JSON: members by id, dates as ISO text."""
        return {name: jsonable(self.cleaned_data.get(name)) for name in self.payload_fields()}


def women(field: MemberChoiceField) -> MemberChoiceField:
    field.women_only = True  # type: ignore[attr-defined]
    return field


class BirthForm(UpdateForm):
    kind = UpdateKind.KELAHIRAN
    explanation = _("Bayi lahir di keluarga: anggota baru; kehamilan ibu berakhir.")
    date_label = _("Tanggal lahir")

    name = forms.CharField(label=_("Nama bayi"), max_length=250)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    mother = women(
        MemberChoiceField(
            label=_("Ibu (anggota keluarga)"),
            queryset=Member.objects.none(),
            required=False,
            empty_label=_("— ibu bukan anggota keluarga ini —"),
            help_text=_("Kehamilan ibu ditutup pada tanggal lahir; masa nifas mulai hari itu."),
        )
    )
    relationship = forms.TypedChoiceField(
        label=_("Hubungan dengan kepala keluarga"),
        choices=[(r.value, r.label) for r in (Relationship.ANAK, Relationship.CUCU, Relationship.LAINNYA)],
        coerce=int,
        initial=Relationship.ANAK,
    )
    nik = forms.CharField(
        label=_("NIK bayi"),
        required=False,
        max_length=16,
        widget=numeric(),
        help_text=_("Kosongkan bila belum terdaftar di Dukcapil."),
    )

    def clean_nik(self) -> str:
        return digits(self.cleaned_data.get("nik", ""), length=16)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class LeaveForm(UpdateForm):
    """A member leaves (dies or moves out); a carer who leaves is replaced in the same update."""

    new_carer = MemberChoiceField(
        label=_("Pengurus pengganti"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("— tidak perlu (bukan pengurus) —"),
        help_text=_("Wajib bila anggota ini adalah pengurus KPM."),
    )


class DeathForm(LeaveForm):
    kind = UpdateKind.KEMATIAN
    explanation = _("Anggota keluarga meninggal dunia.")
    member_label = _("Anggota yang meninggal")
    date_label = _("Tanggal meninggal")


class MemberLeaveForm(LeaveForm):
    kind = UpdateKind.ANGGOTA_KELUAR
    explanation = _("Anggota pindah keluar dari keluarga.")
    member_label = _("Anggota yang keluar")
    date_label = _("Tanggal keluar")
    date_help = _("Mulai tanggal ini anggota tidak lagi tinggal di keluarga.")

    destination = forms.CharField(label=_("Pindah ke"), max_length=200, required=False)


class SchoolForm(UpdateForm):
    member_label = _("Anak")

    level = forms.ChoiceField(label=_("Jenjang"), choices=SchoolLevel.choices)
    grade = forms.IntegerField(label=_("Kelas"), min_value=1, max_value=12, widget=numeric())
    school_name = forms.CharField(label=_("Nama sekolah"), max_length=200)
    npsn = forms.CharField(label=_("NPSN"), max_length=8, required=False, widget=numeric())
    nisn = forms.CharField(label=_("NISN"), max_length=10, required=False, widget=numeric())

    def clean_npsn(self) -> str:
        return digits(self.cleaned_data.get("npsn", ""), length=8)

    def clean_nisn(self) -> str:
        return digits(self.cleaned_data.get("nisn", ""), length=10)


class SchoolEntryForm(SchoolForm):
    kind = UpdateKind.MASUK_SEKOLAH
    explanation = _("Anak mulai bersekolah (SD, SMP atau SMA).")
    date_label = _("Tanggal mulai sekolah")


class LevelChangeForm(SchoolForm):
    kind = UpdateKind.PINDAH_JENJANG
    explanation = _("Anak naik ke jenjang SMP atau SMA.")
    date_label = _("Tanggal mulai di jenjang baru")
    date_help = _("Jenjang lama berakhir sehari sebelumnya.")


class SchoolLeaveForm(UpdateForm):
    kind = UpdateKind.KELUAR_SEKOLAH
    explanation = _("Anak lulus atau berhenti sekolah.")
    member_label = _("Anak")
    date_label = _("Tanggal keluar sekolah")
    date_help = _("Mulai tanggal ini anak tidak lagi bersekolah.")
    REASONS: ClassVar[list[tuple[str, Any]]] = [
        ("lulus", _("Lulus")),
        ("putus_sekolah", _("Putus sekolah")),
        ("lainnya", _("Lainnya")),
    ]

    reason = forms.ChoiceField(label=_("Alasan"), choices=REASONS)


class PregnancyForm(UpdateForm):
    kind = UpdateKind.KEHAMILAN
    explanation = _("Anggota perempuan sedang hamil.")
    member_label = _("Ibu hamil")
    women_only = True
    date_label = _("Tanggal mulai hamil")
    date_help = _("Komponen ibu hamil berlaku mulai tanggal ini.")


class DisabilityForm(UpdateForm):
    kind = UpdateKind.DISABILITAS_BERAT
    explanation = _("Hasil asesmen: anggota penyandang disabilitas berat.")
    member_label = _("Anggota")
    date_label = _("Tanggal asesmen")

    description = forms.CharField(
        label=_("Hasil asesmen"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Jenis disabilitas dan mengapa tergolong berat."),
    )


class MoveForm(UpdateForm):
    """A new address. The desa is chosen within the family's kecamatan, or typed as a code for a
    desa elsewhere; a move out of the kecamatan must be confirmed (the pendamping is released)."""

    kind = UpdateKind.PINDAH_ALAMAT
    explanation = _("Keluarga pindah alamat atau desa.")
    date_label = _("Tanggal pindah")

    desa = forms.CharField(label=_("Desa/kelurahan"), max_length=13, required=False)
    desa_other = forms.CharField(
        label=_("Kode desa lain"),
        max_length=13,
        required=False,
        help_text=_("Isi bila pindah ke luar kecamatan, mis. 35.09.01.2001."),
    )
    address = forms.CharField(label=_("Alamat"), max_length=512)
    dusun = forms.CharField(label=_("Dusun"), max_length=100, required=False)
    rt = forms.CharField(label=_("RT"), max_length=5, required=False, widget=numeric())
    rw = forms.CharField(label=_("RW"), max_length=5, required=False, widget=numeric())
    outside_kecamatan = forms.BooleanField(
        label=_("Pindah ke luar kecamatan: pendamping dilepas dan ditetapkan ulang oleh operator"),
        required=False,
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        for name in ("desa", "address", "dusun", "rt", "rw"):
            initial.setdefault(name, getattr(household, "desa_id" if name == "desa" else name))
        super().__init__(*args, household=household, **kwargs)
        kecamatan = household.desa_id.rsplit(".", 1)[0]
        choices: list[tuple[str, Any]] = [("", _("— desa di luar kecamatan (isi kode) —"))]
        choices += [(r.code, r.name) for r in Region.objects.filter(parent_id=kecamatan).order_by("name")]
        self.fields["desa"].widget = forms.Select(choices=choices)

    def clean_rt(self) -> str:
        return digits(self.cleaned_data.get("rt", ""))

    def clean_rw(self) -> str:
        return digits(self.cleaned_data.get("rw", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        other = (cleaned.get("desa_other") or "").strip()
        code = normalize_code(other) if other else (cleaned.get("desa") or "").strip()
        field = "desa_other" if other else "desa"
        if not code:
            self.add_error("desa", ValidationError(_("Pilih desa atau isi kode desa."), code="desa_wajib"))
        elif not Region.objects.filter(code=code, level=Level.DESA).exists():
            self.add_error(
                field,
                ValidationError(_("%(code)s bukan kode desa/kelurahan.") % {"code": code}, code="desa_tidak_dikenal"),
            )
        else:
            cleaned["desa"], cleaned["desa_other"] = code, ""
        return cleaned


class CarerForm(UpdateForm):
    kind = UpdateKind.PENGURUS_BARU
    explanation = _("Pengurus (penerima bantuan) diganti.")
    member_label = _("Pengurus baru")
    date_label = _("Berlaku sejak")


class AccountForm(UpdateForm):
    """The bank account and KKS card: the fields the family page's edit form used to change."""

    kind = UpdateKind.REKENING
    explanation = _("Bank, nomor rekening atau kartu KKS berubah.")
    date_label = _("Berlaku sejak")

    bank = forms.ChoiceField(label=_("Bank"), choices=Bank.choices)
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=20, widget=numeric())
    account_name = forms.CharField(label=_("Nama rekening"), max_length=150)
    kks_number = forms.CharField(label=_("Nomor KKS"), max_length=20, required=False, widget=numeric())

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        for name in ("bank", "account_number", "account_name", "kks_number"):
            initial.setdefault(name, getattr(household, name))
        super().__init__(*args, household=household, **kwargs)

    def clean_account_number(self) -> str:
        return digits(self.cleaned_data.get("account_number", ""), max_length=20)

    def clean_kks_number(self) -> str:
        return digits(self.cleaned_data.get("kks_number", ""), max_length=20)


FORMS: dict[str, type[UpdateForm]] = {
    form.kind: form
    for form in (
        BirthForm,
        DeathForm,
        SchoolEntryForm,
        LevelChangeForm,
        SchoolLeaveForm,
        PregnancyForm,
        DisabilityForm,
        MoveForm,
        MemberLeaveForm,
        CarerForm,
        AccountForm,
    )
}


class DecisionForm(forms.Form):
    APPROVE, REJECT = "setujui", "tolak"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Setujui")), (REJECT, _("Tolak"))])
    reason = forms.CharField(
        label=_("Alasan penolakan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
