"""Load the benefit indexes of the sources (RULES.md "Components and amounts"): the 2007
schedule [seed 002], the 2019 index and the 2021-onward index, each with its citation. The data
lives in ``harapan/benefits/seeds.py``."""

from django.db import migrations


def load(apps, schema_editor):
    from harapan.benefits.seeds import load_benefit_indexes

    load_benefit_indexes(
        apps.get_model("benefits", "BenefitIndex"),
        apps.get_model("benefits", "BenefitAmount"),
        apps.get_model("benefits", "TahapShare"),
    )


def unload(apps, schema_editor):
    from harapan.benefits.seeds import unload_benefit_indexes

    unload_benefit_indexes(apps.get_model("benefits", "BenefitIndex"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
