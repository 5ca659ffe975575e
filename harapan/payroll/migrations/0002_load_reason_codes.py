"""Load the reason codes of the field and bank problems (seed 001, seed 004; FORMATS.md §6.3). The
data lives in ``harapan/payroll/seeds.py``."""

from django.db import migrations


def load(apps, schema_editor):
    from harapan.payroll.seeds import load_reason_codes

    load_reason_codes(apps.get_model("payroll", "ReasonCode"))


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
