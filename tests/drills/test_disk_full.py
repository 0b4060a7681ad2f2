"""The disk filling during an export: the XLSX export writes its workbook to a
temporary folder that is a tiny filesystem (tmpfs of 64 KiB, mounted for the
test; root only, skipped elsewhere). The request answers 507 with a message
saying what happened (no 500, no stack trace), leaves no partial file behind,
and the database is untouched and still serving; once there is room again the
same export works without a restart."""

from __future__ import annotations

import errno
import io
import tempfile

import pytest
from openpyxl import load_workbook

from lms import create_app
from lms.extensions import db
from lms.ops import backup
from lms.users.models import Role
from tests import factories
from tests.conftest import make_config
from tests.drills.filesystems import grow, tiny_filesystem

PEOPLE = 300


@pytest.fixture
def tiny_temp_dir(tmp_path, monkeypatch):
    with tiny_filesystem(tmp_path / "tiny") as folder:
        monkeypatch.setattr(tempfile, "tempdir", str(folder))
        yield folder


@pytest.fixture
def admin_client(app, login):
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        team = factories.team("Invoices")
        for n in range(PEOPLE):
            factories.user(name=f"Learner {n:03d}", team=team)
        db.session.commit()
    return login(admin)


def counts(app) -> dict[str, int]:
    with app.app_context():
        found = backup.row_counts(db.session.connection())
        db.session.remove()
        return found


def test_an_export_on_a_full_disk_fails_cleanly_and_the_app_keeps_serving(
    app, admin_client, tiny_temp_dir, caplog
):
    before = counts(app)

    full = admin_client.get("/reports/exports/matrix.xlsx")

    assert full.status_code == 507
    page = full.get_data(as_text=True)
    assert "run out of storage space" in page and "Nothing was changed" in page
    assert "Traceback" not in page
    assert not [r for r in caplog.records if r.exc_info], "a stack trace was logged"
    assert [r.levelname for r in caplog.records if "Storage full" in r.message] == [
        "ERROR"
    ]
    assert list(tiny_temp_dir.iterdir()) == []  # no partial file left behind

    assert counts(app) == before
    assert admin_client.get("/api/v1/health").status_code == 200
    csv = admin_client.get("/reports/exports/matrix.csv")  # streamed, needs no disk
    assert (
        csv.status_code == 200
        and csv.get_data(as_text=True).count("Learner ") == PEOPLE
    )

    grow(tiny_temp_dir)
    again = admin_client.get("/reports/exports/matrix.xlsx")

    assert again.status_code == 200
    sheet = load_workbook(io.BytesIO(again.get_data())).active
    assert (
        sum(1 for row in sheet.iter_rows() if "Learner" in str(row[0].value)) == PEOPLE
    )
    assert list(tiny_temp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "status"),
    [(errno.ENOSPC, 507), (errno.EDQUOT, 507), (errno.EFBIG, 507), (errno.EACCES, 500)],
    ids=errno.errorcode.get,
)
def test_storage_full_is_507_and_other_system_errors_stay_500(
    database_url, tmp_path, code, status
):
    probe = create_app(
        make_config(
            database_url, tmp_path, SERVER_NAME=None, PROPAGATE_EXCEPTIONS=False
        )
    )

    @probe.get("/api/v1/_storage_probe")
    def _storage_probe():
        raise OSError(code, "disk trouble")

    answer = probe.test_client().get("/api/v1/_storage_probe")

    assert answer.status_code == status
    expected = "storage_full" if status == 507 else "server_error"
    assert answer.get_json()["error"] == expected
