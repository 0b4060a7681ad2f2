"""Demo people and teams: the named accounts, the teams and their managers, and the
generated learners, the same names, emails and job titles every run.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker import Faker
from faker.providers.person.en_US import Provider as UsNames

from lms.extensions import db
from lms.seed import SEED
from lms.users.models import Role, Team, User

DOMAIN = "demo.test"


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: Role
    job_title: str


ADMIN = Account("admin@demo.test", "Kavitha Raman", Role.ADMIN, "LMS administrator")
TRAINER = Account(
    "trainer@demo.test", "Rahul Deshpande", Role.TRAINER, "Process trainer"
)
MANAGER = Account(
    "manager@demo.test", "Sunita Menon", Role.MANAGER, "Operations manager"
)
MANAGER2 = Account("manager2@demo.test", "Vikram Sethi", Role.MANAGER, "Team leader")
LEARNER = Account(
    "learner@demo.test", "Priya Nair", Role.LEARNER, "Back-office executive"
)
NEWHIRE = Account(
    "newhire@demo.test", "Aditya Kulkarni", Role.LEARNER, "Trainee executive"
)
NAMED_ACCOUNTS = (ADMIN, TRAINER, MANAGER, MANAGER2, LEARNER, NEWHIRE)

# (team name, its manager, a named learner in it, how many more learners)
TEAMS = (
    ("Invoice Processing — Team A", MANAGER, LEARNER, 11),
    ("Customer Records — Team B", MANAGER, None, 11),
    ("Claims Onboarding — Team C", MANAGER2, NEWHIRE, 6),
)
JOB_TITLES = (
    ("Trainee executive", 0.35),
    ("Back-office executive", 0.45),
    ("Senior executive", 0.20),
)


# Faker's en_IN list mixes in some US first names ("Wyatt Bhargava"); skip those.
US_FIRST_NAMES = frozenset(UsNames.first_names_male) | frozenset(
    UsNames.first_names_female
)


def demo_user(account: Account, password_hash: str, team: Team | None = None) -> User:
    user = User(
        email=account.email,
        name=account.name,
        role=account.role,
        job_title=account.job_title,
        team_id=team.id if team else None,
        password_hash=password_hash,
    )
    db.session.add(user)
    db.session.flush()
    return user


def demo_roster() -> dict[str, list[Account]]:
    """The generated learners of each team: the same names, emails and titles every run."""
    rng = random.Random(SEED)
    fake = Faker("en_IN")
    fake.seed_instance(SEED)
    taken = {a.email for a in NAMED_ACCOUNTS}
    titles, weights = zip(*JOB_TITLES, strict=True)
    roster: dict[str, list[Account]] = {}
    for team_name, _manager, _named, extra in TEAMS:
        members = roster.setdefault(team_name, [])
        for _ in range(extra):
            while True:
                first, last = fake.first_name(), fake.last_name()
                if first not in US_FIRST_NAMES and _ascii(first) and _ascii(last):
                    break
            local = f"{_ascii(first)}.{_ascii(last)}"
            email, n = f"{local}@{DOMAIN}", 2
            while email in taken:
                email, n = f"{local}{n}@{DOMAIN}", n + 1
            taken.add(email)
            job_title = rng.choices(titles, weights)[0]
            members.append(Account(email, f"{first} {last}", Role.LEARNER, job_title))
    return roster


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())
