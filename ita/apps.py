from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItaConfig(AppConfig):
    name = "ita"
    verbose_name = _("ITA results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.autoreload import file_changed

        from ita import menu, signals

        signals.connect()
        file_changed.connect(menu.template_changed, dispatch_uid="ita.menu.template_changed")
