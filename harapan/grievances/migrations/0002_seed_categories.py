"""The complaint categories the field meets (RULES.md "Disbursement and data": zero balance, lost
card, forgotten PIN, card swallowed; issue 5: wrong data, an eligible family not registered, the
conduct of a pendamping, other), with the SLA days of apps.py ``SLA_DAYS``. Afterwards the SLA is
data, edited on the categories page."""

from django.db import migrations

CATEGORIES = [
    # code, name, about a pendamping, needs a registered family
    ("kks_hilang", "Kartu KKS hilang", False, True),
    ("pin_lupa", "Lupa PIN kartu KKS", False, True),
    ("kartu_tertelan", "Kartu KKS tertelan mesin ATM", False, True),
    ("saldo_nol", "Saldo nol / bantuan belum masuk", False, True),
    ("data_salah", "Data KPM tidak sesuai", False, True),
    ("belum_terdaftar", "Keluarga layak belum terdaftar", False, False),
    ("perilaku_pendamping", "Perilaku pendamping", True, True),
    ("lainnya", "Lainnya", False, False),
]
FALLBACK_SLA_DAYS = 14


def seed(apps, schema_editor):
    from harapan.conf import setting

    sla = setting("grievances", "SLA_DAYS")
    Category = apps.get_model("grievances", "GrievanceCategory")
    for order, (code, name, about_pendamping, needs_household) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "sla_days": sla.get(code, FALLBACK_SLA_DAYS),
                "about_pendamping": about_pendamping,
                "needs_household": needs_household,
                "active": True,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("grievances", "GrievanceCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("grievances", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
