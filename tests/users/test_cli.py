"""`flask users import FILE`: all or nothing, per-line errors, exit 1 on problems."""

from __future__ import annotations

import sqlalchemy as sa

from lms.auth.passwords import verify_password
from lms.extensions import db
from lms.users import services
from lms.users.models import Team, User
from tests import factories


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_import_creates_everyone_and_prints_generated_passwords(app, runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "email,name,role,team,job_title,password\n"
        "asha@example.test,Asha Rao,manager,Claims,,given-password\n"
        "ben@example.test,Ben Shah,,Claims,,\n"
    )

    result = runner.invoke(
        args=["users", "import", str(path), "--create-missing-teams"]
    )

    assert result.exit_code == 0, result.output
    assert "Imported 2 people." in result.output
    assert "New teams: Claims" in result.output
    [line] = [ln for ln in result.output.splitlines() if ln.startswith("ben@")]
    generated = line.split(",", 1)[1]
    with app.app_context():
        ben = services.get_user_by_email("ben@example.test")
        assert verify_password(ben.password_hash, generated)
        assert "asha@example.test," not in result.output


def test_import_with_problems_prints_each_line_and_writes_nothing(
    app, runner, tmp_path
):
    with app.app_context():
        factories.user(email="taken@example.test")
        db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text(
        "email,name,role,team\n"
        "new@example.test,New,,Missing Team\n"
        "taken@example.test,Taken,,\n"
        "bad-email,,boss,\n"
    )

    result = runner.invoke(args=["users", "import", str(path)])

    assert result.exit_code == 1
    assert "line 2: team: There is no team called “Missing Team”" in result.output
    assert (
        "line 3: email: An account with the email taken@example.test" in result.output
    )
    assert "line 4: email:" in result.output
    assert "line 4: name:" in result.output
    assert "line 4: role:" in result.output
    assert "nobody was imported" in result.output
    assert _count(app, User) == 1
    assert _count(app, Team) == 0


def test_dry_run_checks_without_writing(app, runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email,name\na@example.test,A\nb@example.test,B\n")

    result = runner.invoke(args=["users", "import", str(path), "--dry-run"])

    assert result.exit_code == 0
    assert "2 people would be imported." in result.output
    assert _count(app, User) == 0


def test_file_level_problem_exits_1(app, runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"email,name\nj@example.test,Jos\xe9\n")

    result = runner.invoke(args=["users", "import", str(path)])

    assert result.exit_code == 1
    assert "line 2: The file is not UTF-8 text." in result.output
