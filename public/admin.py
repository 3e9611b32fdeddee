from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ita.admin.scoping import OrganisationScopedMixin, ScopedInline
from public.models import PublicPage, PublishedYear


class PublishedYearInline(ScopedInline):
    model = PublishedYear
    organisation_path = "page__organisation"
    extra = 1


@admin.register(PublicPage)
class PublicPageAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    organisation_path = "organisation"
    list_display = ["organisation", "slug", "is_enabled", "public_url"]
    readonly_fields = ["public_url"]
    inlines = [PublishedYearInline]

    @admin.display(description=_("public page address"))
    def public_url(self, obj: PublicPage) -> str:
        if not obj.pk:
            return "-"
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)
