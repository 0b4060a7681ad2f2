"""Times people read and type are in their own zone; the database keeps UTC.

The zone is the person's (User.time_zone) or the app's DEFAULT_TIME_ZONE
(Asia/Kolkata by default). Daylight saving comes from zoneinfo.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.users import time_zones
from lms.users.models import Role, User
from tests import factories

KOLKATA = ZoneInfo("Asia/Kolkata")
LONDON = ZoneInfo("Europe/London")


# --- the arithmetic ----------------------------------------------------------------


def test_a_utc_instant_reads_as_local_wall_clock_time():
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert time_zones.format_local(moment, KOLKATA) == "02 Mar 2026, 14:30 IST"
    assert time_zones.format_local(moment, LONDON) == "02 Mar 2026, 09:00 GMT"


def test_summer_time_in_london_comes_from_zoneinfo():
    july = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert time_zones.format_local(july, LONDON) == "01 Jul 2026, 13:00 BST"
    typed = datetime(2026, 7, 1, 13, 0)
    assert time_zones.from_local(typed, LONDON) == july


def test_a_typed_time_in_kolkata_is_stored_as_utc():
    typed = datetime(2026, 3, 20, 17, 30)
    assert time_zones.from_local(typed, KOLKATA) == datetime(
        2026, 3, 20, 12, 0, tzinfo=UTC
    )


def test_the_hour_the_clocks_go_back_reads_as_the_first_of_the_two():
    # 01:30 happens twice in London on 25 Oct 2026: first in BST (00:30 UTC).
    typed = datetime(2026, 10, 25, 1, 30)
    assert time_zones.from_local(typed, LONDON) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_a_time_the_clocks_skip_is_read_as_if_they_had_not_moved_yet():
    # 01:30 never happens in London on 29 Mar 2026; read in GMT it is 01:30 UTC.
    typed = datetime(2026, 3, 29, 1, 30)
    assert time_zones.from_local(typed, LONDON) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_unknown_zones_fall_back_to_the_apps(app_ctx, app):
    person = User(time_zone="Mars/Olympus_Mons")
    assert time_zones.zone_name_of(person) == "Asia/Kolkata"
    app.config["DEFAULT_TIME_ZONE"] = "Nowhere/Special"
    assert time_zones.zone_name_of(person) == "UTC"


def test_every_offered_zone_is_known_to_zoneinfo():
    names = time_zones.zone_names()
    assert "Asia/Kolkata" in names and "Europe/London" in names and "UTC" in names
    assert "localtime" not in names
    assert list(names) == sorted(names)


# --- pages -------------------------------------------------------------------------


@pytest.fixture
def people(app):
    with app.app_context():
        admin = factories.user(Role.ADMIN, name="Ada Admin")
        signed = factories.user(name="Ravi Kumar")
        signed.last_login_at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
        db.session.commit()
        return {"admin": admin.id, "signed": signed.id}


def _set_zone(user_id: int, name: str | None) -> None:
    db.session.get(User, user_id).time_zone = name
    db.session.commit()


def test_a_time_stored_in_utc_shows_in_the_viewers_zone(app, login, people):
    with app.app_context():
        client = login(db.session.get(User, people["admin"]))
    html = client.get("/admin/users").get_data(as_text=True)
    assert "01 Jul 2026, 17:30 IST" in html  # the default zone

    with app.app_context():
        _set_zone(people["admin"], "Europe/London")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "01 Jul 2026, 13:00 BST" in html
    assert "17:30 IST" not in html


def test_a_date_filter_shows_the_viewers_local_day(app, login, people):
    from lms.templating import format_date

    late = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 01:30 on 3 Mar in Kolkata
    with app.test_request_context():
        assert format_date(late) == "03 Mar 2026"


def test_a_person_sets_their_own_zone_on_their_account_page(app, login, people):
    with app.app_context():
        client = login(db.session.get(User, people["signed"]))
    page = client.get("/account").get_data(as_text=True)
    assert "Organisation default (Asia/Kolkata)" in page
    assert '<option value="Europe/London">' in page
    assert "<label" in page and 'for="time_zone"' in page

    saved = client.post("/account", data={"time_zone": "Europe/London"})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(User, people["signed"]).time_zone == "Europe/London"

    client.post("/account", data={"time_zone": ""})
    with app.app_context():
        assert db.session.get(User, people["signed"]).time_zone is None


def test_an_unknown_zone_is_refused_and_the_form_shown_again(app, login, people):
    with app.app_context():
        client = login(db.session.get(User, people["signed"]))
    answer = client.post("/account", data={"time_zone": "Mars/Olympus_Mons"})
    assert answer.status_code == 400
    assert "Choose a time zone from the list" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, people["signed"]).time_zone is None


def test_an_admin_sets_a_persons_zone_on_the_edit_page(app, login, people):
    with app.app_context():
        client = login(db.session.get(User, people["admin"]))
        person = db.session.get(User, people["signed"])
        form = {
            "email": person.email,
            "name": person.name,
            "role": "learner",
            "team_id": "0",
            "job_title": "",
            "time_zone": "America/New_York",
        }
    assert 'name="time_zone"' in client.get(
        f"/admin/users/{people['signed']}/edit"
    ).get_data(as_text=True)
    assert (
        client.post(f"/admin/users/{people['signed']}/edit", data=form).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(User, people["signed"]).time_zone == "America/New_York"
        # not a role change, so nothing audited
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


@pytest.mark.parametrize("role", ["anon", "learner", "trainer", "manager", "admin"])
def test_every_signed_in_person_has_an_account_page(app, login, client, role):
    if role == "anon":
        answer = client.get("/account")
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]
        return
    with app.app_context():
        person = factories.user(Role(role))
        db.session.commit()
        answer = login(person).get("/account")
    assert answer.status_code == 200


# --- the quiz settings form --------------------------------------------------------


QUIZ = {
    "title": "Zone check",
    "time_limit_minutes": "20",
    "on_expiry": "autosubmit",
    "grace_minutes": "5",
    "open_at": "2026-03-10T09:00",
    "close_at": "2026-03-20T17:30",
    "attempts_allowed": "0",
    "delay_minutes": "0",
    "grading_method": "highest",
    "pass_percent": "70",
    "questions_per_page": "0",
    "review": "immediately",
    "show_correct_answers": "true",
    "show_feedback": "true",
}


def test_a_typed_close_time_in_kolkata_is_stored_as_utc_and_read_back(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        db.session.commit()
        client = login(trainer)

    form = client.get("/manage/quizzes/new").get_data(as_text=True)
    assert "Closes (Asia/Kolkata)" in form

    assert client.post("/manage/quizzes/new", data=QUIZ).status_code == 302
    with app.app_context():
        quiz = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == "zone-check")
        )
        assert quiz.open_at == datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
        assert quiz.close_at == datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
        quiz_id = quiz.id

    page = client.get(f"/manage/quizzes/{quiz_id}/settings").get_data(as_text=True)
    assert 'value="2026-03-20T17:30"' in page


def test_a_trainer_in_london_types_summer_time(app, login):
    with app.app_context():
        trainer = factories.user(Role.TRAINER)
        trainer.time_zone = "Europe/London"
        db.session.commit()
        client = login(trainer)
    data = {
        **QUIZ,
        "title": "Summer check",
        "open_at": "",
        "close_at": "2026-07-01T13:00",
    }
    assert client.post("/manage/quizzes/new", data=data).status_code == 302
    with app.app_context():
        quiz = db.session.scalar(
            sa.select(Assessment).where(Assessment.slug == "summer-check")
        )
        assert quiz.close_at == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
