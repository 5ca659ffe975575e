"""Load the benefit indexes of the sources that are missing (the 2007 schedule, the 2019 index,
the 2021-onward index; RULES.md: Components and amounts). Versions already present, by name, are
left as they are; the ministry's own versions are never touched."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from harapan.benefits.models import BenefitAmount, BenefitIndex, TahapShare
from harapan.benefits.seeds import load_benefit_indexes


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            loaded = load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)
        if loaded:
            self.stdout.write(f"Dimuat: {', '.join(loaded)}")
        else:
            self.stdout.write("Semua indeks dari sumber sudah ada.")
