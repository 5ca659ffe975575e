from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "harapan.registry"
    label = "registry"
    verbose_name = _("Registri KPM")

    # Rule defaults (RULES.md: Components and amounts; Identity numbers). Override through
    # settings.HARAPAN["registry"].
    defaults = {
        # Anak usia dini: 0-6 years, i.e. until the 7th birthday.
        "EARLY_CHILD_MAX_AGE": 6,
        # School children count from 6 to 21 years (RULES.md: Components and amounts).
        "SCHOOL_MIN_AGE": 6,
        "SCHOOL_MAX_AGE": 21,
        # Lanjut usia from 70 (some sources say 60): configurable, default 70.
        "ELDERLY_MIN_AGE": 70,
        # Nifas: the postnatal period after a pregnancy ends (4 checks within 42 days, RULES.md
        # Obligations); a pregnancy with no recorded end counts until its expected end plus nifas.
        "NIFAS_DAYS": 42,
        "PREGNANCY_DAYS": 280,
        # Age consistency with the relationship to the head (Hubkel codes, FORMATS.md §1.2).
        "MIN_AGE_HEAD": 14,
        "MIN_AGE_SPOUSE": 14,
        "MIN_AGE_CARER": 14,
        "MIN_PARENT_CHILD_GAP": 12,
        "MAX_AGE": 120,
        # Women recorded pregnant: BDT asks women 10-49; allow to 55.
        "PREGNANCY_MIN_AGE": 10,
        "PREGNANCY_MAX_AGE": 55,
        # No KK registration dates before this year are not plausible.
        "KK_EARLIEST_YEAR": 1970,
    }
