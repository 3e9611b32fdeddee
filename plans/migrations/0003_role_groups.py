"""Create the four role groups with Thai names and their admin permissions.

The names are copied here (not imported from plans.roles) so this migration keeps meaning
what it meant when it was written. Views decide by group membership (plans.roles); the
model permissions below let the same people use the admin for what their role allows.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "ผู้ดูแลระบบ"
SUPERVISOR = "ผู้บริหาร/หัวหน้างาน"
STAFF = "เจ้าหน้าที่กอง"
VIEWER = "ผู้ดูข้อมูล"

PLAN_MODELS = ["division", "measuretemplate", "plan", "planrevision", "action",
               "progressreport", "evidence", "notification"]
ITA_MODELS = ["framework", "tool", "channel", "indicator", "question", "item", "ratingband",
              "organisation", "assessment", "toolresult", "indicatorresult", "questionscore",
              "itemresult", "membership"]


def _codenames(verbs, models):
    return [f"{verb}_{model}" for verb in verbs for model in models]


GRANTS = {
    ADMINISTRATOR: {
        "plans": _codenames(["add", "change", "delete", "view"], PLAN_MODELS),
        "ita": _codenames(["add", "change", "delete", "view"], ITA_MODELS),
        "auth": _codenames(["add", "change", "view"], ["user"]) + ["view_group"],
    },
    SUPERVISOR: {
        "plans": _codenames(["add", "change", "delete", "view"],
                            ["division", "measuretemplate", "plan", "action"])
        + _codenames(["view"], ["planrevision", "progressreport", "evidence", "notification"]),
        "ita": _codenames(["view"], ITA_MODELS),
    },
    STAFF: {
        "plans": _codenames(["view"], ["division", "plan", "action", "progressreport",
                                       "evidence"])
        + ["add_progressreport", "add_evidence"],
        "ita": _codenames(["view"], ["organisation", "assessment", "indicator"]),
    },
    VIEWER: {
        "plans": _codenames(["view"], ["division", "plan", "action", "progressreport",
                                       "evidence"]),
        "ita": _codenames(["view"], ["organisation", "assessment", "indicator"]),
    },
}


def add_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the
    # grants below find them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=list(GRANTS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_plans_actions_progress_notifications"),
        ("ita", "0003_membership"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_groups, remove_groups)]
