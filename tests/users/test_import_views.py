"""CSV import in the browser: upload → preview → "Import N people", all or nothing."""

from __future__ import annotations

import io
import re
from html import unescape

import sqlalchemy as sa

from lms.extensions import db
from lms.users import services
from lms.users.models import Team, User
from tests import factories

GOOD = (
    "email,name,role,team,job_title,password\n"
    "asha@example.test,Asha Rao,manager,Claims,Team Lead,given-password\n"
    "ben@example.test,Ben Shah,,,,\n"
)


def _upload(
    client, text: str | bytes, *, create_missing_teams=False, name="people.csv"
):
    data = text.encode() if isinstance(text, str) else text
    form = {"file": (io.BytesIO(data), name)}
    if create_missing_teams:
        form["create_missing_teams"] = "y"
    return client.post(
        "/admin/users/import", data=form, content_type="multipart/form-data"
    )


def _payload(html: str) -> str:
    return unescape(re.search(r'name="payload" type="hidden" value="([^"]+)"', html)[1])


def _user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_upload_page_explains_the_format_and_links_the_sample(admin_client):
    html = admin_client.get("/admin/users/import").get_data(as_text=True)

    assert "email,name,role,team,job_title,password" in html
    assert 'href="/admin/users/import/sample.csv"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label class="form-label" for="file">CSV file</label>' in html


def test_sample_csv_downloads(admin_client):
    response = admin_client.get("/admin/users/import/sample.csv")

    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith(
        "email,name,role,team,job_title,password"
    )


def test_preview_shows_every_row_and_writes_nothing(app, admin_client):
    with app.app_context():
        factories.team("Claims")
        db.session.commit()
    before = _user_count(app)

    response = _upload(admin_client, GOOD)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "2 people are ready to import" in html
    assert "asha@example.test" in html and "ben@example.test" in html
    assert "Given" in html and "Generated" in html
    assert "given-password" not in html
    assert "Import 2 people" in html
    assert _user_count(app) == before


def test_confirm_imports_everyone_and_shows_generated_passwords_once(app, admin_client):
    with app.app_context():
        factories.team("Claims")
        db.session.commit()
    payload = _payload(_upload(admin_client, GOOD).get_data(as_text=True))

    response = admin_client.post(
        "/admin/users/import/confirm", data={"payload": payload}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "2 accounts created." in html
    assert "ben@example.test" in html.split("Generated passwords")[1]
    assert "asha@example.test" not in html.split("Generated passwords")[1]
    with app.app_context():
        asha = services.get_user_by_email("asha@example.test")
        assert asha.team_id is not None and asha.job_title == "Team Lead"


def test_a_file_with_one_bad_row_shows_its_problems_and_cannot_be_imported(
    app, admin_client
):
    before = _user_count(app)
    text = GOOD.replace("Claims", "") + "carl@example.test,,boss,,,\n"

    response = _upload(admin_client, text)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2 problems found; nothing will be imported." in html
    assert re.search(r"<td>4</td><td>name</td><td>Enter the person’s name.</td>", html)
    assert re.search(r"<td>4</td><td>role</td><td>Unknown role “boss”", html)
    assert "Import 3 people" not in html and 'name="payload"' not in html
    assert _user_count(app) == before


def test_create_missing_teams_checkbox_is_carried_to_the_import(app, admin_client):
    preview = _upload(admin_client, GOOD, create_missing_teams=True).get_data(
        as_text=True
    )
    assert "These teams will be created: Claims." in preview

    done = admin_client.post(
        "/admin/users/import/confirm", data={"payload": _payload(preview)}
    ).get_data(as_text=True)

    assert "New teams: Claims." in done
    with app.app_context():
        assert db.session.scalar(sa.select(Team.name)) == "Claims"


def test_unknown_team_without_the_checkbox_is_a_problem(admin_client):
    html = _upload(admin_client, GOOD).get_data(as_text=True)

    assert "There is no team called “Claims”" in html


def test_file_level_problems_are_shown(admin_client):
    for data, message in [
        (b"", "The file is empty."),
        (b"email,name\n", "The file has a header but nobody in it."),
        (b"email,name\nj@example.test,Jos\xe9\n", "not UTF-8"),
        (b"mail,name\nj@example.test,J\n", "Wrong header"),
    ]:
        response = _upload(admin_client, data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_too_many_rows_is_refused(admin_client):
    rows = "".join(f"p{i}@example.test,P {i}\n" for i in range(2001))

    response = _upload(admin_client, "email,name\n" + rows)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file has 2,001 people; one import takes at most 2,000." in html


def test_upload_without_a_file_is_a_form_error(admin_client):
    response = admin_client.post(
        "/admin/users/import", data={}, content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.get_data(as_text=True)


def test_a_tampered_payload_is_refused_and_nothing_is_written(app, admin_client):
    with app.app_context():
        factories.team("Claims")
        db.session.commit()
    payload = _payload(_upload(admin_client, GOOD).get_data(as_text=True))
    before = _user_count(app)

    response = admin_client.post(
        "/admin/users/import/confirm", data={"payload": payload[:-3] + "AAA"}
    )

    assert response.status_code == 400
    assert "expired or was altered" in response.get_data(as_text=True)
    assert _user_count(app) == before


def test_an_expired_payload_is_refused(app, admin_client, monkeypatch):
    with app.app_context():
        factories.team("Claims")
        db.session.commit()
    payload = _payload(_upload(admin_client, GOOD).get_data(as_text=True))
    monkeypatch.setattr("lms.users.views.IMPORT_MAX_AGE", -1)

    response = admin_client.post(
        "/admin/users/import/confirm", data={"payload": payload}
    )

    assert response.status_code == 400
    assert "expired or was altered" in response.get_data(as_text=True)


def test_if_the_database_changed_since_the_preview_nothing_is_written(
    app, admin_client
):
    with app.app_context():
        factories.team("Claims")
        db.session.commit()
    payload = _payload(_upload(admin_client, GOOD).get_data(as_text=True))
    with app.app_context():
        factories.user(email="ben@example.test")  # someone added Ben meanwhile
        db.session.commit()
    before = _user_count(app)

    response = admin_client.post(
        "/admin/users/import/confirm", data={"payload": payload}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nobody was imported. Something changed since the preview." in html
    assert "An account with the email ben@example.test already exists." in html
    assert _user_count(app) == before
    with app.app_context():
        assert services.get_user_by_email("asha@example.test") is None
