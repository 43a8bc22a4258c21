"""scripts/backup.sh and scripts/restore.sh bring the whole portal database back: SQLite file and PostgreSQL dump."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from programme.models import Organisation, Region

from .conftest import child_env, database_url

ROOT = Path(__file__).resolve().parent.parent.parent


def _script(name, *args, env):
    result = subprocess.run(["bash", f"scripts/{name}", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _count(path, table):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_sqlite_backup_and_restore_of_a_migrated_portal(tmp_path):
    database = tmp_path / "portal.sqlite3"
    env = child_env(DATABASE_URL=f"sqlite:///{database}")
    for command in (["migrate", "--noinput", "-v0"], ["load_reference_data", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    organisations = _count(database, "programme_organisation")
    assert organisations > 20

    output = _script("backup.sh", tmp_path / "backup.sqlite3", env=env)
    assert "Backup written" in output
    with sqlite3.connect(database) as db:  # a disaster: the organisations are gone
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("DELETE FROM programme_organisation")
    assert _count(database, "programme_organisation") == 0

    _script("restore.sh", tmp_path / "backup.sqlite3", env=env)
    assert _count(database, "programme_organisation") == organisations
    # The restored file is a working portal database.
    check = subprocess.run([sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_refuses_a_missing_file(tmp_path):
    result = subprocess.run(["bash", "scripts/restore.sh", str(tmp_path / "nothing.dump")], cwd=ROOT,
                            env=child_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"), capture_output=True,
                            text=True)
    assert result.returncode != 0 and "no such file" in result.stderr


def test_postgresql_dump_and_restore(users, postgresql, tmp_path):
    env = child_env(DATABASE_URL=database_url(postgresql))
    organisations = Organisation.objects.count()
    _script("backup.sh", tmp_path / "portal.dump", env=env)
    assert (tmp_path / "portal.dump").stat().st_size > 10_000

    Organisation.objects.filter(region__code="hart-van-brabant").delete()
    Region.objects.filter(code="hart-van-brabant").delete()
    get_user_model().objects.filter(username="helmond").update(first_name="Gewijzigd")
    assert Organisation.objects.count() < organisations

    _script("restore.sh", tmp_path / "portal.dump", env=env)
    assert Organisation.objects.count() == organisations
    assert Region.objects.filter(code="hart-van-brabant").exists()
    assert get_user_model().objects.get(username="helmond").first_name == ""
    assert get_user_model().objects.get(username="helmond").check_password("test-wachtwoord-123")


@pytest.mark.parametrize("url", ["mysql://u@h/db"])
def test_backup_refuses_an_unsupported_database(url, tmp_path):
    result = subprocess.run(["bash", "scripts/backup.sh", str(tmp_path / "x")], cwd=ROOT,
                            env=child_env(DATABASE_URL=url), capture_output=True, text=True)
    assert result.returncode == 2 and "unsupported" in result.stderr
