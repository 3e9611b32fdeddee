from __future__ import annotations

import os
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
