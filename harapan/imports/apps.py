from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "harapan.imports"
    label = "imports"
    verbose_name = _("Impor data KPM")

    # Override through settings.HARAPAN["imports"].
    defaults = {
        # Families written per transaction: an interrupted import leaves whole chunks only.
        "CHUNK_SIZE": 1000,
        # A member may have no NIK only while younger than this many years: a newborn not yet
        # registered at Dukcapil (FORMATS.md §6.1, ART.NIK "empty allowed for newborn").
        "MAX_AGE_WITHOUT_NIK": 1,
        # Rejects shown per page on the run page.
        "REJECTS_PER_PAGE": 50,
    }
