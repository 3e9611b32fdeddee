"""Error messages in Thai and English together.

Import and validation errors are often copied into a LINE chat or an e-mail to whoever
supports the office, so they carry both languages whatever the interface language is.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext


def bilingual(message: str, **params: object) -> str:
    """Render a `gettext_noop`-marked message in Thai, then English: "ไทย / English"."""
    rendered = []
    for language in ("th", "en"):
        with translation.override(language):
            text = gettext(message)
            rendered.append(text % params if params else text)
    thai, english = rendered
    return thai if thai == english else f"{thai} / {english}"
