from __future__ import annotations

from django.apps import AppConfig


class ServerConfig(AppConfig):
    """The project package as an app only to connect its signal receivers at start-up."""

    name = "config"
    verbose_name = "Server"

    def ready(self) -> None:
        from config import security, sessions  # noqa: F401  (they connect receivers)
