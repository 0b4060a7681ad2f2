"""The team pages: list, create, change manager and name, add and remove members."""

from __future__ import annotations

import sqlalchemy as sa

from lms.extensions import db
from lms.users.models import Role, Team, User
from tests import factories


def _team(app, name: str) -> Team | None:
    with app.app_context():
        team = db.session.scalar(sa.select(Team).where(Team.name == name))
        if team is not None:
            db.session.expunge(team)
        return team


def _team_id_of(app, user_id: int) -> int | None:
    with app.app_context():
        return db.session.get(User, user_id).team_id


def test_team_list_shows_manager_and_member_counts(app, admin_client):
    with app.app_context():
        manager = factories.user(Role.MANAGER, name="Maya Manager")
        claims = factories.team("Claims", manager=manager)
        factories.team("Payments")
        factories.user(team=claims)
        factories.user(team=claims)
        factories.user(team=claims, active=False)
        db.session.commit()

    html = admin_client.get("/admin/teams").get_data(as_text=True)

    assert "Claims" in html and "Maya Manager" in html
    assert "(+1 deactivated)" in html
    assert "No manager" in html
    assert 'href="/admin/teams/new"' in html


def test_team_list_empty_state_and_pagination(app, admin_client):
    assert "No teams yet" in admin_client.get("/admin/teams").get_data(as_text=True)
    with app.app_context():
        for i in range(27):
            factories.team(f"Team {i:02d}")
        db.session.commit()

    second = admin_client.get("/admin/teams?page=2").get_data(as_text=True)

    assert "Team 26" in second and "Team 00" not in second
    assert "page 2 of 2" in second


def test_create_team_with_a_manager(app, admin_client):
    with app.app_context():
        manager_id = factories.user(Role.MANAGER, name="Maya").id
        factories.user(Role.LEARNER, name="Not Offered")
        db.session.commit()

    form = admin_client.get("/admin/teams/new").get_data(as_text=True)
    response = admin_client.post(
        "/admin/teams/new", data={"name": "Claims", "manager_id": manager_id}
    )

    assert "Maya" in form and "Not Offered" not in form
    team = _team(app, "Claims")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/teams/{team.id}")
    assert team.manager_id == manager_id


def test_create_team_refuses_a_learner_as_manager(app, admin_client):
    with app.app_context():
        learner_id = factories.user(name="Lena").id
        db.session.commit()

    response = admin_client.post(
        "/admin/teams/new", data={"name": "Typed Team", "manager_id": learner_id}
    )

    assert response.status_code == 400  # not one of the offered managers
    assert 'value="Typed Team"' in response.get_data(as_text=True)
    assert _team(app, "Typed Team") is None


def test_create_team_with_a_taken_name_flashes_and_keeps_the_name(app, admin_client):
    with app.app_context():
        factories.team("Claims")
        db.session.commit()

    response = admin_client.post(
        "/admin/teams/new", data={"name": "claims", "manager_id": 0}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A team called “claims” already exists." in html
    assert 'value="claims"' in html


def test_team_page_changes_name_and_manager(app, admin_client):
    with app.app_context():
        old, new = factories.user(Role.MANAGER), factories.user(Role.ADMIN)
        team_id = factories.team("Claims", manager=old).id
        db.session.commit()
        new_id = new.id

    response = admin_client.post(
        f"/admin/teams/{team_id}", data={"name": "Claims North", "manager_id": new_id}
    )

    assert response.status_code == 302
    team = _team(app, "Claims North")
    assert (team.id, team.manager_id) == (team_id, new_id)


def test_team_page_rule_failure_keeps_typed_name(app, admin_client):
    with app.app_context():
        factories.team("Payments")
        team_id = factories.team("Claims").id
        db.session.commit()

    response = admin_client.post(
        f"/admin/teams/{team_id}", data={"name": "Payments", "manager_id": 0}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already exists" in html
    assert 'value="Payments"' in html
    assert _team(app, "Claims") is not None


def test_team_page_keeps_a_deactivated_manager_selectable(app, admin_client):
    with app.app_context():
        gone = factories.user(Role.MANAGER, name="Gone Manager", active=False)
        team_id = factories.team("Claims", manager=gone).id
        db.session.commit()

    html = admin_client.get(f"/admin/teams/{team_id}").get_data(as_text=True)

    assert "Gone Manager (" in html and "· deactivated" in html


def test_add_members_from_a_list_of_checkboxes(app, admin_client):
    with app.app_context():
        team = factories.team("Claims")
        other = factories.team("Payments")
        a = factories.user(name="Anil")
        b = factories.user(name="Bela", team=other)
        factories.user(name="Switched Off", active=False)
        db.session.commit()
        team_id, a_id, b_id = team.id, a.id, b.id

    page = admin_client.get(f"/admin/teams/{team_id}").get_data(as_text=True)
    response = admin_client.post(
        f"/admin/teams/{team_id}/members",
        data={"user_ids": [a_id, b_id]},
        follow_redirects=True,
    )

    assert "now in Payments" in page and "Switched Off" not in page
    assert f'type="checkbox" name="user_ids" value="{a_id}"' in page
    assert "<select" not in page.split('id="add-heading"')[1].split("</section>")[0]
    assert "Added 2 people to Claims." in response.get_data(as_text=True)
    assert _team_id_of(app, a_id) == _team_id_of(app, b_id) == team_id


def test_add_members_with_nobody_chosen_is_a_form_error(app, admin_client):
    with app.app_context():
        team_id = factories.team("Claims").id
        factories.user(name="Candidate")
        db.session.commit()

    response = admin_client.post(f"/admin/teams/{team_id}/members", data={})

    assert response.status_code == 400
    assert "Choose at least one person to add." in response.get_data(as_text=True)


def test_add_members_refuses_a_deactivated_person(app, admin_client):
    with app.app_context():
        team_id = factories.team("Claims").id
        gone_id = factories.user(name="Gone", active=False).id
        db.session.commit()

    response = admin_client.post(
        f"/admin/teams/{team_id}/members", data={"user_ids": [gone_id]}
    )

    assert response.status_code == 400
    assert "deactivated accounts cannot join" in response.get_data(as_text=True)
    assert _team_id_of(app, gone_id) is None


def test_candidate_search_narrows_the_list(app, admin_client):
    with app.app_context():
        team_id = factories.team("Claims").id
        factories.user(name="Findable Person")
        factories.user(name="Someone Else")
        db.session.commit()

    html = admin_client.get(f"/admin/teams/{team_id}?q=findable").get_data(as_text=True)

    assert "Findable Person" in html and "Someone Else" not in html


def test_remove_member_with_a_confirmed_button(app, admin_client):
    with app.app_context():
        team = factories.team("Claims")
        member_id = factories.user(name="Mo Member", team=team).id
        db.session.commit()
        team_id = team.id

    page = admin_client.get(f"/admin/teams/{team_id}").get_data(as_text=True)
    response = admin_client.post(
        f"/admin/teams/{team_id}/members/{member_id}/remove", follow_redirects=True
    )

    assert 'data-confirm="Remove Mo Member from Claims?"' in page
    assert "Mo Member is no longer in Claims." in response.get_data(as_text=True)
    assert _team_id_of(app, member_id) is None


def test_removing_someone_not_in_the_team_says_so(app, admin_client):
    with app.app_context():
        team_id = factories.team("Claims").id
        outsider_id = factories.user(name="Outsider").id
        db.session.commit()

    response = admin_client.post(
        f"/admin/teams/{team_id}/members/{outsider_id}/remove", follow_redirects=True
    )

    assert "Outsider is not a member of Claims." in response.get_data(as_text=True)


def test_team_member_list_paginates(app, admin_client):
    with app.app_context():
        team = factories.team("Big")
        for i in range(30):
            factories.user(name=f"Member {i:02d}", team=team)
        db.session.commit()
        team_id = team.id

    first = admin_client.get(f"/admin/teams/{team_id}").get_data(as_text=True)
    second = admin_client.get(f"/admin/teams/{team_id}?page=2").get_data(as_text=True)

    assert "30 members" in first
    assert "Member 29" not in first.split("members-heading")[-1]
    assert "Member 29" in second.split("members-heading")[-1]


def test_unknown_team_is_404(admin_client):
    assert admin_client.get("/admin/teams/999999").status_code == 404
