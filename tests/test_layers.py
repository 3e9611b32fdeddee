"""The layer rule: documents above plans above ita, and a lower app never reaches up.

Read from the source with `ast`, so that it also catches imports inside functions and the
lazy ways of reaching another app (``apps.get_model("plans", ...)``, ``"plans.Plan"`` as a
model reference). Migrations are history and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["ita", "plans", "documents", "public"]  # bottom to top
# Calls whose first argument names an app or a model: "plans", "plans.Plan", "plans.queries".
BY_NAME = {"get_model", "import_module", "ForeignKey", "ManyToManyField", "OneToOneField"}


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in LAYERS else None


def reached_apps(source: str) -> set[str]:
    """The project apps a module imports or looks up by name."""
    reached: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if called in BY_NAME and args and isinstance(args[0], str):
                names = [args[0]]
        reached |= {app for app in map(app_of, names) if app}
    return reached


def source_files(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]


def upward_reaches() -> list[str]:
    found = []
    for level, app in enumerate(LAYERS):
        above = set(LAYERS[level + 1 :])
        for path in source_files(app):
            for target in sorted(reached_apps(path.read_text(encoding="utf-8")) & above):
                found.append(f"{path.relative_to(ROOT)} -> {target}")
    return found


def test_layers_no_app_reaches_an_app_above_it():
    assert upward_reaches() == []


def config_reaches() -> list[str]:
    """Modules of the apps that import the `config` package (it includes every app's URLs
    and wires the site together, so it stands above them; settings come through
    `django.conf.settings`)."""
    found = []
    for app in LAYERS:
        for path in source_files(app):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                if any(name.split(".")[0] == "config" for name in names):
                    found.append(str(path.relative_to(ROOT)))
    return found


def test_layers_no_app_imports_the_config_package():
    assert config_reaches() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import plans.models", {"plans"}),
        ("from documents.content import report_data", {"documents"}),
        ("def f():\n    from plans import queries", {"plans"}),
        ("apps.get_model('plans', 'Plan')", {"plans"}),
        ("models.ForeignKey('plans.Division', on_delete=None)", {"plans"}),
        ("from ita.models import Organisation\nimport django", {"ita"}),
        ("from . import views", set()),
    ],
)
def test_layers_reached_apps_finds_every_way_of_reaching_an_app(source, expected):
    assert reached_apps(source) == expected


def test_layers_every_app_is_scanned():
    assert all(len(source_files(app)) > 5 for app in LAYERS)
