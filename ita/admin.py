"""Data entry for frameworks and published results, in Thai."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ita.models import (
    Assessment,
    Channel,
    Framework,
    Indicator,
    Item,
    Organisation,
    Question,
    RatingBand,
    Tool,
)


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0


class RatingBandInline(admin.TabularInline):
    model = RatingBand
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "name", "family"]
    inlines = [ToolInline, RatingBandInline]


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


@admin.register(Tool)
class ToolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "framework", "weight", "aggregation"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    inlines = [ChannelInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["code", "order", "theme", "text"]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["code", "order", "sub_indicator", "title"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name_th", "tool", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework", "tool__framework"]
    inlines = [QuestionInline, ItemInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency_type", "district", "province"]
    list_filter = ["agency_type", "province"]
    search_fields = ["name", "district", "province"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation",
        "framework",
        "agency_type",
        "published_overall",
        "published_level",
    ]
    list_filter = ["framework__fiscal_year", "organisation__province", "agency_type"]
    list_select_related = ["organisation", "framework"]
    search_fields = ["organisation__name"]
