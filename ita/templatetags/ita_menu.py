"""The cached site menu (`ita.menu`) in the base template.

Usage: {% load ita_menu %} {% site_menu "includes/nav.html" %} {% header_tools %}
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ita.menu import menu_html, tools_html

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context: template.Context, part: str) -> SafeString:
    request = context.get("request")
    return menu_html(request, part) if request is not None else SafeString("")


@register.simple_tag(takes_context=True)
def header_tools(context: template.Context) -> SafeString:
    request = context.get("request")
    return tools_html(request) if request is not None else SafeString("")
