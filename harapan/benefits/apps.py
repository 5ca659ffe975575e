from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    """The benefit index (amounts per component per year, caps, tahap split) and the entitlement
    calculation (RULES.md: Components and amounts). The numbers are data in ``BenefitIndex``,
    never settings or literals: this app has no rule defaults."""

    name = "harapan.benefits"
    label = "benefits"
    verbose_name = _("Manfaat (indeks bantuan)")
