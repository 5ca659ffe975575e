"""The complementary programmes of RULES.md "People and ratios" (BPNT, KIS, KIP and others), as data
korkab, Dinas Sosial and the ministry can change afterwards (``harapan.referrals.seeds``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from harapan.referrals.seeds import load_programmes

    load_programmes(apps.get_model("referrals", "Programme"))


def unseed(apps, schema_editor):
    from harapan.referrals.seeds import PROGRAMMES

    apps.get_model("referrals", "Programme").objects.filter(code__in=[p[0] for p in PROGRAMMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
