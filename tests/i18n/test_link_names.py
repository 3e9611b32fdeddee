"""Rows Django and django-axes name in English ("User_groups object (1)", "Access Log for
…") read in Thai on the admin's pages (config/apps.py)."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone, translation

from plans.models import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_link_rows_name_both_sides_in_thai():
    group = Group.objects.create(name="เจ้าหน้าที่ทดสอบ")
    user = UserFactory(username="somchai")
    group.user_set.add(user)
    group.permissions.add(Permission.objects.get(codename="add_assessment"))

    with translation.override("th"):
        membership = str(user.groups.through.objects.get(user=user))
        permission = str(Group.permissions.through.objects.get(group=group))
        name = str(Action.divisions.through._meta.verbose_name)

    assert membership == "somchai – เจ้าหน้าที่ทดสอบ"
    assert permission == "เจ้าหน้าที่ทดสอบ – ผลการประเมิน ITA | เพิ่มผลการประเมินได้"
    assert name == "ความเชื่อมโยงระหว่างมาตรการกับกอง/สำนัก"


def test_group_delete_page_lists_links_in_thai(admin_client):
    group = Group.objects.create(name="เจ้าหน้าที่ทดสอบ")
    group.user_set.add(UserFactory(username="somchai"))
    group.permissions.add(Permission.objects.get(codename="add_assessment"))

    with translation.override("th"):
        page = admin_client.get(reverse("admin:auth_group_delete", args=[group.pk]))

    content = page.content.decode()
    assert "object (" not in content and "relationship" not in content
    assert "ความเชื่อมโยงระหว่างผู้ใช้กับกลุ่ม: somchai – เจ้าหน้าที่ทดสอบ" in content
    assert "เพิ่มผลการประเมินได้" in content


def test_axes_rows_are_named_in_thai_with_buddhist_era_time():
    moment = datetime.datetime(2025, 12, 1, 23, 30, tzinfo=datetime.UTC)  # 2 Dec 06:30 Bangkok
    log = AccessLog(username="somchai", attempt_time=moment)
    attempt = AccessAttempt(username=None, attempt_time=moment)

    with translation.override("th"), timezone.override("Asia/Bangkok"):
        shown = (str(log), str(attempt))

    assert shown == (
        "การเข้าสู่ระบบของ somchai เมื่อ 2 ธันวาคม 2568 06:30",
        "การเข้าสู่ระบบไม่สำเร็จของ — เมื่อ 2 ธันวาคม 2568 06:30",
    )


def test_access_log_page_title_is_thai(admin_client):
    log = AccessLog.objects.create(
        username="somchai", ip_address="127.0.0.1", user_agent="x", http_accept="x", path_info="/"
    )

    with translation.override("th"):
        page = admin_client.get(reverse("admin:axes_accesslog_change", args=[log.pk]))

    content = page.content.decode()
    assert "Access Log for" not in content
    assert "การเข้าสู่ระบบของ somchai เมื่อ" in content
