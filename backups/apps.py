from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Whole-site backup and restore; the top floor, since it reads every app's tables."""

    name = "backups"
    verbose_name = _("Backups")
