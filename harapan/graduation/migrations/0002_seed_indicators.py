"""The readiness indicators of RULES.md "Graduation" ("income above need, a running business,
assets, housing, children in school") and FORMATS.md §4.4 ("no remaining component"), as data the
ministry and Dinas Sosial can change afterwards."""

from decimal import Decimal

from django.db import migrations

INDICATORS = [
    # code, label, help text, kind, threshold, weight, required
    (
        "penghasilan_di_atas_kebutuhan",
        "Penghasilan keluarga di atas kebutuhan",
        "Penghasilan per bulan melebihi kebutuhan per bulan (ambang: % dari kebutuhan).",
        "penghasilan",
        Decimal(100),
        2,
        True,
    ),
    ("usaha_berjalan", "Memiliki usaha yang berjalan", "Usaha keluarga berjalan dan menghasilkan.", "ya_tidak", None, 1, False),
    (
        "aset_produktif",
        "Jumlah aset produktif (ternak, kendaraan, tanah)",
        "Jumlah jenis aset produktif yang dimiliki keluarga.",
        "angka",
        Decimal(1),
        1,
        False,
    ),
    ("rumah_layak", "Kondisi rumah layak huni", "Atap, dinding dan lantai layak; sanitasi memadai.", "ya_tidak", None, 1, False),
    ("anak_bersekolah", "Semua anak usia sekolah bersekolah", "", "ya_tidak", None, 1, False),
    ("tanpa_komponen", "Tidak ada komponen PKH tersisa", "Tidak ada ibu hamil, anak usia dini, anak sekolah, lansia atau disabilitas berat.", "ya_tidak", None, 1, False),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("graduation", "ReadinessIndicator")
    for order, (code, label, help_text, kind, threshold, weight, required) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "help_text": help_text,
                "kind": kind,
                "threshold": threshold,
                "weight": weight,
                "required": required,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("graduation", "ReadinessIndicator").objects.filter(code__in=[i[0] for i in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("graduation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
