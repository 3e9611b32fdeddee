from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def refuse_development_key() -> None:
    """Stop a production server that was started without its own SECRET_KEY."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: refusing to serve with the development key. "
            "Set SECRET_KEY (or DEBUG=true for local development)."
        )


refuse_development_key()
