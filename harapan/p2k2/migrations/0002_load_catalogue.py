"""Load the national P2K2/FDS catalogue (RULES.md "P2K2 / FDS curriculum"): five inti modules
with 4+3+3+2+2 = 14 sessions in teaching order, and the national FDS fokus topic
"Pencegahan stunting" with one session.

Each session gets 2-3 short before/after knowledge questions. These questions are Harapan's own
starter questions, written from the session titles; they are not official Kemensos material and
are meant to be edited (the data lives in ``harapan/p2k2/catalogue.py``).
"""

from django.db import migrations


def load(apps, schema_editor):
    from harapan.p2k2.catalogue import load_catalogue

    load_catalogue(
        apps.get_model("p2k2", "Module"),
        apps.get_model("p2k2", "Session"),
        apps.get_model("p2k2", "KnowledgeQuestion"),
        apps.get_model("p2k2", "KnowledgeChoice"),
    )


def unload(apps, schema_editor):
    from harapan.p2k2.catalogue import unload_catalogue

    unload_catalogue(apps.get_model("p2k2", "Module"))


class Migration(migrations.Migration):
    dependencies = [("p2k2", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
