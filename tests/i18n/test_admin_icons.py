"""The admin's yes/no icons are read out in Thai."""

from __future__ import annotations

from django.contrib.admin.utils import display_for_value
from django.utils import translation


def test_boolean_icon_alt_text_is_in_the_interface_language():
    with translation.override("th"):
        yes, no = display_for_value(True, "-", boolean=True), display_for_value(False, "-", True)
    with translation.override("en"):
        unknown = display_for_value(None, "-", boolean=True)

    assert 'alt="ใช่"' in yes and "icon-yes.svg" in yes
    assert 'alt="ไม่ใช่"' in no and "icon-no.svg" in no
    assert 'alt="Unknown"' in unknown and "icon-unknown.svg" in unknown
