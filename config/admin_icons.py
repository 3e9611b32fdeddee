"""The admin's yes/no icons with alt text in the interface language.

Django writes the icon's alt text from the Python value ("True", "False", "None"), so a
screen reader reads English on every Thai changelist and read-only field. The admin looks
the icon function up in `admin_list` each time it draws one, so replacing it there (once,
at start-up) reaches changelists, read-only fields and history pages alike.
"""

from __future__ import annotations

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(field_val: bool | None) -> SafeString:
    alt = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[field_val]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[field_val]}.svg"), alt
    )


def install() -> None:
    admin_list._boolean_icon = boolean_icon
