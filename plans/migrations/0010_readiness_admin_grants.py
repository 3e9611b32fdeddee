"""The role groups' admin rights on the OIT readiness board, as on its pages: administrators
everything, supervisors open years and change items (no delete: a year's items come from its
framework), division staff and viewers read. Changes in the admin also need a supervisor's
role in the row's organisation (plans.admin.roles)."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "ผู้ดูแลระบบ"
SUPERVISOR = "ผู้บริหาร/หัวหน้างาน"
STAFF = "เจ้าหน้าที่กอง"
VIEWER = "ผู้ดูข้อมูล"
MODELS = ["readinessyear", "readinessitem"]


def _codenames(verbs, models):
    return [f"{verb}_{model}" for verb in verbs for model in models]


GRANTS = {
    ADMINISTRATOR: _codenames(["add", "change", "delete", "view"], MODELS),
    SUPERVISOR: _codenames(["add", "change", "view"], ["readinessyear"])
    + _codenames(["change", "view"], ["readinessitem"]),
    STAFF: _codenames(["view"], MODELS),
    VIEWER: _codenames(["view"], MODELS),
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="plans", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="plans",
        codename__in=_codenames(["add", "change", "delete", "view"], MODELS),
    )
    for group in Group.objects.filter(name__in=list(GRANTS)):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0009_oit_readiness"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
