from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ["run.sh", "test.sh", "scripts/setup.sh", "docker/start.sh", ".ci/run"]


def test_shell_scripts_parse_and_stop_on_the_first_error():
    for script in SCRIPTS:
        text = (ROOT / script).read_text(encoding="utf-8")

        result = subprocess.run(["bash", "-n", ROOT / script], capture_output=True, text=True)

        assert result.returncode == 0, f"{script}: {result.stderr}"
        assert "set -euo pipefail" in text, script


def test_start_script_gives_up_when_the_database_never_answers(tmp_path):
    env = {
        **os.environ,
        # Nothing listens on port 1, so every attempt is refused at once.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "DB_WAIT_SECONDS": "1",
        "PYTHON": sys.executable,
        "STATIC_ROOT": str(tmp_path),
    }

    result = subprocess.run(
        [ROOT / "docker" / "start.sh"], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert "The database did not answer within 1 seconds." in result.stderr
    assert "Applying migrations" not in result.stdout


def _run_script_with_stubs(tmp_path, **env: str) -> list[str]:
    """run.sh in a copy of the project whose set-up and Python only log what they are asked."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(ROOT / "run.sh", tmp_path / "run.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("#!/bin/sh\nexit 0\n")
    log = tmp_path / "calls.log"
    (tmp_path / ".venv" / "bin" / "python").write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    for stub in (tmp_path / "scripts" / "setup.sh", tmp_path / ".venv" / "bin" / "python"):
        stub.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LOAD_DEMO")}

    subprocess.run(
        [tmp_path / "run.sh"], env={**clean, **env}, capture_output=True, timeout=30, check=True
    )

    return log.read_text().splitlines()


def test_run_script_loads_the_demo_into_sqlite(tmp_path):
    calls = _run_script_with_stubs(tmp_path)

    assert calls[0] == "manage.py migrate --noinput"
    assert "manage.py load_demo" in calls
    assert calls[-1].startswith("manage.py runserver")


def test_run_script_keeps_demo_users_out_of_a_real_database(tmp_path):
    calls = _run_script_with_stubs(tmp_path, DATABASE_URL="postgres://ita@db.example:5432/ita")

    assert calls[0] == "manage.py migrate --noinput"
    assert not [call for call in calls if "load_demo" in call]
    assert calls[-1].startswith("manage.py runserver")


def test_run_script_loads_the_demo_into_postgresql_only_when_asked(tmp_path):
    calls = _run_script_with_stubs(
        tmp_path, DATABASE_URL="postgres://ita@127.0.0.1:5432/ita_trial", LOAD_DEMO="1"
    )

    assert "manage.py load_demo" in calls


def test_start_script_runs_threaded_gunicorn_workers():
    text = (ROOT / "docker" / "start.sh").read_text(encoding="utf-8")
    command = text[text.index("exec ") :]

    assert "--worker-class gthread" in command
    assert '--threads "${GUNICORN_THREADS:-4}"' in command
