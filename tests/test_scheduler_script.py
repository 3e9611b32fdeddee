"""docker/scheduler.sh: the daily commands, each on its own, then a sleep until the next day."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docker" / "scheduler.sh"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PLANS_EVIDENCE_ROOT": str(tmp_path / "evidence"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHON": sys.executable,
        **extra,
    }


def test_scheduler_script_parses_and_stops_on_the_first_error():
    result = subprocess.run(["bash", "-n", SCRIPT], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "set -euo pipefail" in SCRIPT.read_text(encoding="utf-8")


def test_scheduler_once_mails_overdue_notices_and_writes_the_daily_backup(tmp_path):
    env = _env(tmp_path, SCHEDULER_ONCE="1", BACKUP_DIR=str(tmp_path / "backups"))
    migrate = subprocess.run(
        [sys.executable, ROOT / "manage.py", "migrate", "-v", "0"], env=env, capture_output=True
    )
    assert migrate.returncode == 0, migrate.stderr

    result = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "notice(s) sent for" in result.stdout
    assert "0 link checks run" in result.stdout  # OIT link checks no thread ran
    (archive,) = (tmp_path / "backups").glob("ita-*.tar.gz")
    with tarfile.open(archive, "r:gz") as tar:
        assert "manifest.json" in tar.getnames()


def test_scheduler_refuses_a_nonsense_time(tmp_path):
    result = subprocess.run(
        [SCRIPT], env=_env(tmp_path, SCHEDULER_TIME="7am"), capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "SCHEDULER_TIME must look like 07:00" in result.stderr
