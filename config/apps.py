from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServerConfig(AppConfig):
    """The project package as an app only to connect its signal receivers at start-up."""

    name = "config"
    verbose_name = "Server"

    def ready(self) -> None:
        from config import admin_icons, security, sessions  # noqa: F401  (they connect receivers)

        admin_icons.install()


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a Thai name: its app has no translatable one, and administrators
    meet it in the admin's menu."""

    verbose_name = _("Login attempts")
