"""Role editors read permissions in Thai, not as Django stored them ("Can add …")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from plans.admin.labels import permission_label
from plans.roles import GROUP_NAMES, Role

pytestmark = pytest.mark.django_db


def _label(codename: str) -> str:
    with translation.override("th"):
        return permission_label(Permission.objects.get(codename=codename))


def test_permission_label_names_action_and_model_in_thai():
    assert _label("add_assessment") == "ผลการประเมิน ITA | เพิ่มผลการประเมินได้"
    assert _label("view_historicalassessment") == "ผลการประเมิน ITA | ดูประวัติผลการประเมินได้"
    assert _label("view_historicalaction_divisions").endswith(
        "ดูประวัติความเชื่อมโยงระหว่างมาตรการกับกอง/สำนักได้"
    )


def test_permission_label_keeps_the_stored_name_when_the_model_is_gone():
    gone = ContentType.objects.create(app_label="removed", model="thing")
    permission = Permission.objects.create(content_type=gone, codename="add_thing", name="X")

    assert permission_label(permission) == str(permission)


def test_group_form_lists_permissions_in_thai(admin_client):
    group = Group.objects.get(name=GROUP_NAMES[Role.STAFF])

    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()

    assert "เพิ่มผลการประเมินได้" in page
    assert "Can add" not in page
