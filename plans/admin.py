from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import Division


@admin.register(Division)
class DivisionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "order", "is_active"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
