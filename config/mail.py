"""E-mail settings read from the environment, checked before the app starts.

A municipal server that silently fell back to the console backend would print password
reset links into its log; so outside DEBUG the app always talks SMTP (localhost:25 unless
EMAIL_HOST says otherwise), and a setting that cannot work stops start-up with a message.
"""

from __future__ import annotations

import os
import re
from email.utils import parseaddr
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAIL_VARIABLES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
)
_DOTTED_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def _is_address(value: str) -> bool:
    # "name@host" or "Display Name <name@host>"; a control character would split the header.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return False
    _name, address = parseaddr(value)
    # EmailValidator refuses "localhost" as a domain; a host name without dots is fine here.
    return bool(re.fullmatch(r"[^@\s<>]+@[\w.-]+", address))


def _address(name: str, default: str) -> str:
    value = env_str(name, default).strip()
    if not _is_address(value):
        raise ImproperlyConfigured(
            f"{name} must be an e-mail address such as ita@example.go.th "
            f'or "ITA <ita@example.go.th>", not {value!r}'
        )
    return value


def mail_settings(*, debug: bool) -> dict[str, Any]:
    """The EMAIL_* and *_EMAIL settings, from the environment; raises on nonsense."""
    anything_set = any(os.environ.get(name, "").strip() for name in MAIL_VARIABLES)
    host = env_str("EMAIL_HOST", "").strip()
    backend = env_str("EMAIL_BACKEND", "").strip()
    if not backend:
        backend = CONSOLE_BACKEND if debug and not anything_set else SMTP_BACKEND
    if not _DOTTED_PATH.match(backend):
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND must be a dotted path such as {SMTP_BACKEND}, not {backend!r}"
        )
    port = env_int("EMAIL_PORT", 25)
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"EMAIL_PORT must be between 1 and 65535, not {port}")
    use_tls = env_bool("EMAIL_USE_TLS", default=False)
    use_ssl = env_bool("EMAIL_USE_SSL", default=False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (usually port "
            "465), not both."
        )
    timeout = env_int("EMAIL_TIMEOUT", 20)
    if timeout <= 0:
        raise ImproperlyConfigured(
            f"EMAIL_TIMEOUT must be a number of seconds above 0, not {timeout}"
        )
    user = env_str("EMAIL_HOST_USER", "")
    password = env_str("EMAIL_HOST_PASSWORD", "")
    if password and not user:
        raise ImproperlyConfigured("EMAIL_HOST_PASSWORD is set but EMAIL_HOST_USER is empty.")
    from_email = _address("DEFAULT_FROM_EMAIL", "ita@localhost")
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
        "DEFAULT_FROM_EMAIL": from_email,
        # Error mails to ADMINS; the same sender unless the server wants another.
        "SERVER_EMAIL": _address("SERVER_EMAIL", from_email),
    }
