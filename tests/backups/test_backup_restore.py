"""backup_site / restore_site: everything comes back, or nothing is written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from backups.services import table_counts
from plans.models import Evidence

from .conftest import wipe

ROOT = Path(__file__).resolve().parents[2]


def file_hashes(roots: dict[str, Path]) -> dict[str, str]:
    return {
        f"{name}/{path.relative_to(root).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
        for name, root in roots.items()
        if root.is_dir()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def rewrite(archive: Path, change) -> Path:
    """A copy of the archive with its members passed through change(name, data)."""
    members = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            members[member.name] = tar.extractfile(member).read()
    changed = archive.with_name("changed.tar.gz")
    with tarfile.open(changed, "w:gz") as tar:
        for name, data in change(members).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return changed


@pytest.fixture
def archive(demo_site, tmp_path) -> Path:
    path = tmp_path / "backups" / "site.tar.gz"
    call_command("backup_site", str(path), stdout=io.StringIO())
    return path


def test_restore_site_into_an_empty_site_brings_back_every_row_and_file(
    demo_site, site_roots, tmp_path
):
    rows_before, files_before = table_counts(), file_hashes(site_roots)
    out = io.StringIO()
    call_command("backup_site", str(tmp_path / "site.tar.gz"), stdout=out)
    wipe(site_roots)
    assert get_user_model().objects.count() == 0 and file_hashes(site_roots) == {}

    call_command("restore_site", str(tmp_path / "site.tar.gz"), stdout=out)

    assert table_counts() == rows_before
    assert file_hashes(site_roots) == files_before
    assert len(files_before) == 4  # two evidence files, a signed copy and the media file
    # History of the actions' divisions is not doubled by the load (plain loaddata does).
    assert rows_before["plans_historicalaction_divisions"] > 0
    evidence = Evidence.objects.filter(original_name="คำสั่ง.pdf").get()
    assert evidence.file.read().startswith(b"%PDF-1.7")
    assert get_user_model().objects.get(username="demo").check_password("demo-ita-2568")
    assert "Restored" in out.getvalue().splitlines()[-1]


def test_backup_site_manifest_lists_row_counts_and_the_hash_of_every_file(archive, site_roots):
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        database = json.loads(tar.extractfile("database.json").read())

    assert names[0] == "database.json" and names[-1] == "manifest.json"
    assert {k: v for k, v in manifest["files"].items() if k != "database.json"} == file_hashes(
        site_roots
    )
    assert manifest["tables"]["plans.evidence"] == 3  # two files and a link
    assert sum(manifest["tables"].values()) == len(database)
    assert not {"contenttypes.contenttype", "auth.permission"} & set(manifest["tables"])


def test_restore_site_refuses_a_site_with_data_unless_replace(archive, site_roots):
    get_user_model().objects.create_user(username="newcomer")
    rows_before = table_counts()

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore_site", str(archive))
    assert table_counts() == rows_before

    call_command("restore_site", str(archive), "--replace", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert table_counts()["auth_user"] == rows_before["auth_user"] - 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: {**m, "evidence/x.pdf": b"not in the manifest"},
            "not listed: evidence/x.pdf",
        ),
        (
            lambda m: {
                k: (v + b"tampered" if k.startswith("evidence/") else v) for k, v in m.items()
            },
            "changed: evidence/",
        ),
        (lambda m: {k: v for k, v in m.items() if k != "manifest.json"}, "no manifest.json"),
        (lambda m: {**m, "../outside.txt": b"x"}, "Unsafe path"),
        (
            lambda m: {
                **m,
                "manifest.json": m["manifest.json"].replace(
                    b'"plans.evidence": 3', b'"plans.evidence": 4'
                ),
            },
            "rows differ from the manifest for plans.evidence",
        ),
        (
            lambda m: {
                **m,
                "manifest.json": m["manifest.json"].replace(b"0001_initial", b"0001_other"),
            },
            "another version of the application",
        ),
    ],
)
def test_restore_site_refuses_a_bad_archive_and_leaves_nothing_behind(
    archive, site_roots, change, message
):
    bad = rewrite(archive, change)
    wipe(site_roots)

    with pytest.raises(CommandError, match=message):
        call_command("restore_site", str(bad))

    assert get_user_model().objects.count() == 0
    assert sum(table_counts().values()) == 0
    assert file_hashes(site_roots) == {}


def test_restore_site_refuses_a_file_that_is_not_an_archive(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not gzip")

    with pytest.raises(CommandError, match=r"Not a readable \.tar\.gz archive"):
        call_command("restore_site", str(junk))


COUNT_TABLES = (
    "import json; from backups.services import table_counts; print(json.dumps(table_counts()))"
)


def test_restore_site_into_a_freshly_migrated_sqlite_database_gives_the_same_tables(
    archive, demo_site, site_roots, tmp_path
):
    # A new server: its own database made by `migrate` (with the frameworks the migrations
    # ship), its own empty folders, another process.
    rows_before, files_before = table_counts(), file_hashes(site_roots)
    fresh = {
        "evidence": tmp_path / "new" / "evidence",
        "media": tmp_path / "new" / "media",
        "documents": tmp_path / "new" / "documents",
    }
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new' / 'db.sqlite3'}",
        "PLANS_EVIDENCE_ROOT": str(fresh["evidence"]),
        "MEDIA_ROOT": str(fresh["media"]),
        "DOCUMENTS_STORED_ROOT": str(fresh["documents"]),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    (tmp_path / "new").mkdir()

    for command in (["migrate", "-v", "0"], ["restore_site", str(archive)]):
        done = subprocess.run(manage + command, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    counted = subprocess.run(
        [*manage, "shell", "-v", "0", "-c", COUNT_TABLES], env=env, capture_output=True, text=True
    )

    assert json.loads(counted.stdout) == rows_before
    assert file_hashes(fresh) == files_before
