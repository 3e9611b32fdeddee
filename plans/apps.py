from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Improvement plans and follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plans import versions

        versions.connect()
