"""Remind the alumni who have not answered a survey (``harapan survey-remind --survey ID``), for a
scheduled run: email where the alumnus has an address, and the WhatsApp-ready messages of the
others printed for the centre to send. The reminder cap and spacing of ``invitations_remind``
hold, so a daily run reminds each alumnus at most REMINDER_MAX times."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.conf import setting

from ...models import Survey
from ...services import invitations_remind


class Command(BaseCommand):
    help = "Kirim pengingat survei evaluasi alumni kepada alumni yang belum menjawab."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help="nomor survei")
        parser.add_argument("--user", help="username balai diklat/kementerian yang menjalankan (bila tidak: sistem)")
        parser.add_argument("--base-url", help="alamat Harapan untuk tautan (bawaan: HARAPAN['alumni']['BASE_URL'])")

    def handle(self, *args: Any, **options: Any) -> None:
        survey = Survey.objects.select_related("programme").filter(pk=options["survey"]).first()
        if survey is None:
            raise CommandError(f"Survei {options['survey']} tidak ada.")
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna {options['user']} tidak ada.")
        base_url = options.get("base_url") or setting("alumni", "BASE_URL")
        try:
            delivery = invitations_remind(survey=survey, acting_user=user, base_url=base_url, source="command")
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            f"Survei {survey.pk}: {delivery.emailed} pengingat lewat email, {len(delivery.by_hand)} untuk WhatsApp; "
            f"{delivery.skipped_capped} sudah mencapai batas, {delivery.skipped_recent} baru saja dihubungi."
        )
        for row in delivery.by_hand:
            self.stdout.write(f"{row['name']}\t{row['phone'] or '-'}\t{row['whatsapp'] or row['link']}")
