"""People and team services: rules, flushing without committing, the CSV write."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.auth.passwords import verify_password
from lms.errors import ValidationError
from lms.extensions import db
from lms.users import services
from lms.users.models import Role, Team, User
from tests import factories

pytestmark = pytest.mark.usefixtures("app_ctx")


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_generated_passwords_are_long_random_and_unambiguous():
    passwords = {services.generate_password() for _ in range(50)}

    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 14 and password.count("-") == 2
        assert not set(password) & set("0O1lI")


def test_list_users_searches_name_and_email_and_filters():
    claims = factories.team("Claims")
    asha = factories.user(name="Asha Rao", email="asha@example.test", team=claims)
    factories.user(Role.MANAGER, name="Ravi Kumar", email="ravi@corp.test")
    gone = factories.user(name="Old Timer", email="old@example.test", active=False)
    factories.user(name="100% Literal", email="pct@example.test")

    def names(**kw):
        page = services.list_users(services.UserFilters(**kw), page=1, per_page=25)
        return [u.name for u in page.items]

    assert names(q="RAO") == ["Asha Rao"]
    assert names(q="corp.test") == ["Ravi Kumar"]
    assert names(q="%") == ["100% Literal"]  # LIKE wildcards are escaped
    assert names(role=Role.MANAGER) == ["Ravi Kumar"]
    assert names(team=claims.id) == [asha.name]
    assert "Asha Rao" not in names(team=services.NO_TEAM)
    assert names(active=False) == [gone.name]
    assert gone.name not in names(active=True)


def test_list_users_pages_in_name_order():
    for name in ["Cara", "anil", "Bela"]:
        factories.user(name=name)

    page = services.list_users(services.UserFilters(), page=2, per_page=2)

    assert page.total == 3
    assert [u.name for u in page.items] == ["Cara"]


def test_update_user_changes_details_and_flushes():
    admin = factories.user(Role.ADMIN)
    team = factories.team()
    user = factories.user()

    services.update_user(
        user,
        email=" New@Example.TEST ",
        name=" New Name ",
        role="trainer",
        team=team,
        job_title="  ",
        by=admin,
    )

    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert (stored.email, stored.name, stored.role, stored.team_id) == (
        "new@example.test",
        "New Name",
        Role.TRAINER,
        team.id,
    )
    assert stored.job_title is None


def test_update_user_refuses_an_email_that_belongs_to_someone_else():
    admin = factories.user(Role.ADMIN)
    factories.user(email="taken@example.test")
    user = factories.user(name="Keep Me")

    with pytest.raises(ValidationError, match="already exists"):
        services.update_user(
            user,
            email="TAKEN@example.test",
            name="Changed",
            role="learner",
            team=None,
            job_title=None,
            by=admin,
        )
    assert user.name == "Keep Me"


def test_an_admin_cannot_remove_their_own_admin_role():
    admin = factories.user(Role.ADMIN)

    with pytest.raises(ValidationError, match="own admin role"):
        services.update_user(
            admin,
            email=admin.email,
            name=admin.name,
            role="manager",
            team=None,
            job_title=None,
            by=admin,
        )


def test_a_team_manager_keeps_a_managing_role_while_they_manage():
    admin = factories.user(Role.ADMIN)
    manager = factories.user(Role.MANAGER)
    factories.team("Claims", manager=manager)

    with pytest.raises(ValidationError, match="manages Claims"):
        services.update_user(
            manager,
            email=manager.email,
            name=manager.name,
            role="learner",
            team=None,
            job_title=None,
            by=admin,
        )
    services.update_user(
        manager,
        email=manager.email,
        name=manager.name,
        role="admin",
        team=None,
        job_title=None,
        by=admin,
    )
    assert manager.role == Role.ADMIN


def test_deactivate_revokes_sessions_and_reactivate_restores_sign_in():
    admin = factories.user(Role.ADMIN)
    user = factories.user()
    version = user.session_version

    services.deactivate(user, by=admin)
    assert not user.is_active and user.session_version == version + 1
    services.reactivate(user)
    assert user.is_active


def test_admin_cannot_deactivate_themself():
    admin = factories.user(Role.ADMIN)

    with pytest.raises(ValidationError, match="your own account"):
        services.deactivate(admin, by=admin)


def test_create_team_requires_a_manager_or_admin():
    learner = factories.user(name="Lena Learner")

    with pytest.raises(ValidationError, match="not a manager"):
        services.create_team("Claims", learner)
    assert count(Team) == 0
    assert services.create_team("Claims", factories.user(Role.ADMIN)).id


def test_update_team_renames_and_changes_manager_with_unique_names():
    manager = factories.user(Role.MANAGER)
    factories.team("Payments")
    team = factories.team("Claims")

    with pytest.raises(ValidationError, match="already exists"):
        services.update_team(team, name="payments", manager=None)
    with pytest.raises(ValidationError, match="not a manager"):
        services.update_team(team, name="Claims", manager=factories.user())
    services.update_team(team, name="  Claims   North ", manager=manager)

    assert (team.name, team.manager_id) == ("Claims North", manager.id)


def test_list_teams_counts_active_and_deactivated_members():
    manager = factories.user(Role.MANAGER, name="Maya Manager")
    claims = factories.team("Claims", manager=manager)
    factories.team("Archive")
    factories.user(team=claims)
    factories.user(team=claims)
    factories.user(team=claims, active=False)

    page = services.list_teams(page=1, per_page=25)

    rows = [
        (t.name, t.manager.name if t.manager else None, a, i) for t, a, i in page.items
    ]
    assert rows == [("Archive", None, 0, 0), ("Claims", "Maya Manager", 2, 1)]
    assert page.total == 2


def test_add_and_remove_members():
    claims, payments = factories.team("Claims"), factories.team("Payments")
    mover = factories.user(team=payments)
    newcomer = factories.user()

    added = services.add_members(claims, [mover.id, newcomer.id, mover.id])

    assert {u.id for u in added} == {mover.id, newcomer.id}
    assert mover.team_id == newcomer.team_id == claims.id
    services.remove_member(claims, mover)
    assert mover.team_id is None
    with pytest.raises(ValidationError, match="not a member"):
        services.remove_member(claims, mover)


def test_add_members_refuses_unknown_or_deactivated_people():
    team = factories.team()
    gone = factories.user(name="Gone Person", active=False)

    with pytest.raises(ValidationError, match="no longer exist"):
        services.add_members(team, [999_999])
    with pytest.raises(ValidationError, match="Gone Person"):
        services.add_members(team, [gone.id])
    with pytest.raises(ValidationError, match="at least one"):
        services.add_members(team, [])


def test_member_candidates_leave_out_members_and_deactivated_people():
    team, other = factories.team("Claims"), factories.team("Payments")
    factories.user(name="Already In", team=team)
    factories.user(name="Switched Off", active=False)
    factories.user(name="Pia Payments", email="pia@example.test", team=other)
    factories.user(name="Nomad", email="nomad@example.test")

    labels = [label for _, label in services.member_candidates(team)]

    assert labels == [
        "Nomad (nomad@example.test)",
        "Pia Payments (pia@example.test) · now in Payments",
    ]
    assert [label for _, label in services.member_candidates(team, "PIA")] == [
        labels[1]
    ]


def test_import_users_writes_people_and_new_teams_and_returns_generated_passwords():
    factories.team("Claims")
    data = (
        b"email,name,role,team,job_title,password\n"
        b"asha@example.test,Asha Rao,manager,claims,Lead,given-password\n"
        b"ben@example.test,Ben Shah,,Payments,,\n"
    )

    outcome = services.import_users(data, create_missing_teams=True)

    assert [t.name for t in outcome.teams_created] == ["Payments"]
    asha = services.get_user_by_email("asha@example.test")
    ben = services.get_user_by_email("ben@example.test")
    teams = dict(db.session.execute(sa.select(Team.name, Team.id)).all())
    assert (asha.role, asha.team_id, asha.job_title) == (
        Role.MANAGER,
        teams["Claims"],
        "Lead",
    )
    assert (ben.role, ben.team_id) == (Role.LEARNER, teams["Payments"])
    assert verify_password(asha.password_hash, "given-password")
    [(email, generated)] = outcome.generated_passwords
    assert email == "ben@example.test"
    assert verify_password(ben.password_hash, generated)


def test_import_users_writes_nothing_when_one_line_is_bad():
    factories.user(email="taken@example.test")
    users_before = count(User)
    data = (
        "email,name,role,team\n"
        "one@example.test,One,,New Team\n"
        "two@example.test,Two,,\n"
        "taken@example.test,Taken,,\n"
    )

    with pytest.raises(services.ImportRejectedError) as caught:
        services.import_users(data, create_missing_teams=True)

    assert [(p.line, p.field) for p in caught.value.validation.errors] == [(4, "email")]
    assert "nobody was imported" in str(caught.value)
    assert count(User) == users_before
    assert count(Team) == 0


def test_import_hashes_many_passwords_in_parallel_correctly():
    data = "email,name,password\n" + "".join(
        f"p{i}@example.test,P {i},a long passphrase {i}\n" for i in range(6)
    )

    services.import_users(data)

    for i in range(6):
        user = services.get_user_by_email(f"p{i}@example.test")
        assert verify_password(user.password_hash, f"a long passphrase {i}")
