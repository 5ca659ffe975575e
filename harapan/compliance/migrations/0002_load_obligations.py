"""Load the obligations of each component (RULES.md "Obligations (conditionalities)") from
``harapan/compliance/catalogue.py``."""

from django.db import migrations


def load(apps, schema_editor):
    from harapan.compliance.catalogue import load_obligations

    load_obligations(apps.get_model("compliance", "Obligation"))


def unload(apps, schema_editor):
    from harapan.compliance.catalogue import unload_obligations

    unload_obligations(apps.get_model("compliance", "Obligation"))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
