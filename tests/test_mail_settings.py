"""E-mail settings from the environment (config/mail.py): SMTP outside DEBUG, clear refusals."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.mail import CONSOLE_BACKEND, MAIL_VARIABLES, SMTP_BACKEND, mail_settings


@pytest.fixture(autouse=True)
def _no_mail_environment(monkeypatch):
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_mail_settings_print_to_the_console_only_in_debug_with_nothing_set():
    assert mail_settings(debug=True)["EMAIL_BACKEND"] == CONSOLE_BACKEND
    assert mail_settings(debug=False)["EMAIL_BACKEND"] == SMTP_BACKEND


def test_mail_settings_use_smtp_in_debug_once_a_host_is_set(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.go.th")

    assert mail_settings(debug=True)["EMAIL_BACKEND"] == SMTP_BACKEND


def test_mail_settings_read_every_smtp_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.go.th")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.setenv("EMAIL_HOST_USER", "ita")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "s3cret")
    monkeypatch.setenv("EMAIL_USE_TLS", "yes")
    monkeypatch.setenv("EMAIL_TIMEOUT", "30")
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "ITA อบต. <ita@example.go.th>")
    monkeypatch.setenv("SERVER_EMAIL", "errors@example.go.th")

    assert mail_settings(debug=False) == {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "smtp.example.go.th",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "ita",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
        "DEFAULT_FROM_EMAIL": "ITA อบต. <ita@example.go.th>",
        "SERVER_EMAIL": "errors@example.go.th",
    }


def test_mail_settings_send_server_mail_from_the_default_sender_unless_told(monkeypatch):
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "ita@example.go.th")

    assert mail_settings(debug=False)["SERVER_EMAIL"] == "ita@example.go.th"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT must be between 1 and 65535"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS must be one of"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "not both"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT must be a number of seconds above 0"),
        ({"EMAIL_HOST_PASSWORD": "x"}, "EMAIL_HOST_USER is empty"),
        ({"EMAIL_BACKEND": "smtp"}, "EMAIL_BACKEND must be a dotted path"),
        ({"DEFAULT_FROM_EMAIL": "ita"}, "DEFAULT_FROM_EMAIL must be an e-mail address"),
        ({"DEFAULT_FROM_EMAIL": "a@b.go.th\r\nBcc: x@y.z"}, "DEFAULT_FROM_EMAIL must be"),
        ({"SERVER_EMAIL": "root at host"}, "SERVER_EMAIL must be an e-mail address"),
    ],
)
def test_mail_settings_refuse_nonsense_with_a_message(monkeypatch, variables, message):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        mail_settings(debug=False)


def test_settings_module_takes_its_mail_backend_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.go.th")
    monkeypatch.setenv("EMAIL_PORT", "465")
    monkeypatch.setenv("EMAIL_USE_SSL", "true")

    namespace = runpy.run_path(
        str(Path(__file__).resolve().parent.parent / "config" / "settings.py")
    )

    assert (namespace["EMAIL_BACKEND"], namespace["EMAIL_HOST"], namespace["EMAIL_PORT"]) == (
        SMTP_BACKEND,
        "smtp.example.go.th",
        465,
    )
    assert (namespace["EMAIL_USE_SSL"], namespace["EMAIL_USE_TLS"]) == (True, False)
