"""The division content types (and so their permissions, which the role groups hold) follow
the model to ita, so no group loses its division rights with the move."""

from __future__ import annotations

from django.db import migrations

MODELS = ["division", "historicaldivision"]


def _move(apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = content_type.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = content_type.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions were created for the new app first): keep the new
        # permissions and give them to whoever held the old ones.
        for perm in permission.objects.filter(content_type=old):
            twin = permission.objects.filter(content_type=new, codename=perm.codename).first()
            if twin is None:
                perm.content_type = new
                perm.save(update_fields=["content_type"])
                continue
            for group in perm.group_set.all():
                group.permissions.add(twin)
            for user in perm.user_set.all():
                user.user_permissions.add(twin)
            perm.delete()
        old.delete()


def forwards(apps, schema_editor):
    _move(apps, "plans", "ita")


def backwards(apps, schema_editor):
    _move(apps, "ita", "plans")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_division_to_ita"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
