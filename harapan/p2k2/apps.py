from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class P2k2Config(AppConfig):
    name = "harapan.p2k2"
    label = "p2k2"
    verbose_name = _("Kurikulum P2K2/FDS")
