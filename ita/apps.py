from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItaConfig(AppConfig):
    name = "ita"
    verbose_name = _("ITA results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ita import signals

        signals.connect()
