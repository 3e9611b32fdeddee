from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Improvement plans and follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ita import pagecache
        from plans import versions

        versions.connect()
        # The analysis pages print plan panels; their cached bodies carry this token.
        pagecache.register_source("plans", versions.plans_token)
