from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "harapan.accounts"
    label = "accounts"
    verbose_name = _("Petugas dan akses")
