"""What `flask backup` and `flask restore` refuse, and say."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.ops import backup
from lms.users.models import User
from tests import factories
from tests.conftest import USE_POSTGRES
from tests.drills.databases import app_on, dispose, fresh_database
from tests.drills.filesystems import tiny_filesystem

pytestmark = pytest.mark.skipif(
    USE_POSTGRES and backup.pg_tool("pg_dump") is None, reason="pg_dump not installed"
)


@pytest.fixture
def own_app(app, tmp_path):
    """An app on a database of its own, holding one person."""
    with fresh_database(app, tmp_path) as url:
        own = app_on(url, tmp_path)
        yield own
        dispose(own)


def names(app) -> list[str]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(User.name).order_by(User.name)))
        db.session.remove()
        return found


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def test_restore_checks_the_file_and_refuses_without_yes(own_app, tmp_path):
    file = tmp_path / "academy.backup"
    assert invoke(own_app, "backup", file).exit_code == 0
    with own_app.app_context():
        factories.user(name="Added after the backup")
        db.session.commit()

    refused = invoke(own_app, "restore", file)

    assert refused.exit_code == 1
    assert "is a usable backup" in refused.output
    assert "Run again with --yes" in refused.output
    assert "Added after the backup" in names(own_app)

    restored = invoke(own_app, "restore", file, "--yes")

    assert restored.exit_code == 0, restored.output
    assert "every table matches the backup's record" in restored.output
    assert names(own_app) == ["Only in the fresh database"]


@pytest.mark.parametrize(
    "content", [b"not a backup at all", b"SQLite format 3\x00" + b"\x07" * 5000]
)
def test_a_file_that_is_not_a_usable_backup_changes_nothing(own_app, tmp_path, content):
    file = tmp_path / "broken.backup"
    file.write_bytes(content)

    answer = invoke(own_app, "restore", file, "--yes")

    assert answer.exit_code == 1
    assert "Error:" in answer.output and "Traceback" not in answer.output
    assert names(own_app) == ["Only in the fresh database"]


def test_a_restore_that_differs_from_the_backups_record_fails_loudly(own_app, tmp_path):
    file = tmp_path / "academy.backup"
    assert invoke(own_app, "backup", file).exit_code == 0
    record = backup.manifest_path(file)
    manifest = json.loads(record.read_text())
    manifest["tables"]["user"] += 1
    record.write_text(json.dumps(manifest))

    answer = invoke(own_app, "restore", file, "--yes")

    assert answer.exit_code == 1
    assert "user: 2 in the backup, 1 restored" in answer.output


def test_a_backup_never_overwrites_a_file(own_app, tmp_path):
    file = tmp_path / "academy.backup"
    file.write_text("keep me")

    answer = invoke(own_app, "backup", file)

    assert answer.exit_code == 1 and "already exists" in answer.output
    assert file.read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".academy")]
    assert not backup.manifest_path(file).exists()


def test_a_backup_on_a_full_disk_says_so_and_leaves_nothing(own_app, tmp_path):
    with tiny_filesystem(tmp_path / "full", size="16k") as folder:
        answer = invoke(own_app, "backup", folder / "academy.backup")
        left = list(folder.iterdir())

    assert answer.exit_code == 1
    assert "The backup failed, no file was written" in answer.output
    assert "Traceback" not in answer.output
    assert left == []


def test_missing_postgresql_programs_are_named_with_how_to_get_them(monkeypatch):
    monkeypatch.setattr(backup, "pg_tool", lambda name: None)

    with pytest.raises(backup.BackupError, match="pg_dump was not found.*client"):
        backup._pg_tool("pg_dump")
