from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig, apps
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class ServerConfig(AppConfig):
    """The project package as an app only to connect its signal receivers at start-up."""

    name = "config"
    verbose_name = "Server"

    def ready(self) -> None:
        from config import admin_dates, admin_icons, security, sessions  # noqa: F401  (receivers)

        admin_icons.install()
        admin_dates.install()
        name_link_tables()


def _link_label(one: type[models.Model], other: type[models.Model]) -> str:
    return gettext("link between %(one)s and %(other)s") % {
        "one": one._meta.verbose_name,
        "other": other._meta.verbose_name,
    }


def name_link_tables() -> None:
    """Give the tables Django creates behind many-to-many fields (User_groups,
    Group_permissions, Action_divisions …) a Thai name and a Thai ``__str__``.

    Django names their rows "User_groups object (1)" and their model "user-group
    relationship" with the English model names, and the admin's delete pages list them so.
    Set here rather than in each app: the tables belong to Django and to several apps, and
    `config` sits above every app, so no layer reaches up. Auto-created tables have no
    migration state, so nothing here changes a migration.
    """
    from django.contrib.auth.models import Permission

    from plans.admin.labels import permission_label

    shown = {Permission: permission_label}  # a permission's own __str__ is English

    def link_str(self: models.Model) -> str:
        sides = [getattr(self, field.name) for field in self._meta.fields if field.is_relation]
        return " – ".join(shown.get(type(side), str)(side) for side in sides)

    for model in apps.get_models(include_auto_created=True):
        if not model._meta.auto_created:
            continue
        one, other = (f.related_model for f in model._meta.fields if f.is_relation)
        name = lazy(_link_label, str)(one, other)
        model._meta.verbose_name = model._meta.verbose_name_plural = name
        model.__str__ = link_str  # type: ignore[method-assign]


def _when(moment: datetime | None) -> str:
    """An attempt's time as the admin shows times: the Buddhist-era day, local hours."""
    from ita.thai import format_date

    if moment is None:
        return "—"
    return f"{format_date(moment)} {timezone.localtime(moment):%H:%M}"


def _access_log_str(self: Any) -> str:
    return gettext("Sign-in of %(username)s on %(time)s") % {
        "username": self.username or "—",
        "time": _when(self.attempt_time),
    }


def _failed_access_str(self: Any) -> str:
    return gettext("Failed sign-in of %(username)s on %(time)s") % {
        "username": self.username or "—",
        "time": _when(self.attempt_time),
    }


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a Thai name: its app has no translatable one, and administrators
    meet it in the admin's menu."""

    verbose_name = _("Login attempts")

    def ready(self) -> None:
        super().ready()
        # django-axes names its rows in English ("Access Log for demo @ 2025-…"), and the
        # admin's titles, breadcrumbs and delete pages print them: Thai names instead.
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessLog.__str__ = _access_log_str  # type: ignore[method-assign]
        AccessAttempt.__str__ = _failed_access_str  # type: ignore[method-assign]
        AccessFailureLog.__str__ = _failed_access_str  # type: ignore[method-assign]


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db under a Thai name (its app has no translatable one): the name prints
    in the admin's permission lists."""

    verbose_name = _("Background tasks")

    def ready(self) -> None:
        super().ready()
        # Its admin is English-only and for operators, who read the worker's log instead.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
