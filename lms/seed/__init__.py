"""`flask seed demo` and `flask seed logins`: demo people, teams, enrolments and history.

What `flask seed demo` creates (after `flask content import`, whose courses it
assigns), the same every run because Faker (en_IN) and the random draws use a
fixed seed; dates are relative to lms.clock.now():

* admin@demo.test (admin), trainer@demo.test (trainer; author of one small
  unpublished course written in the browser), manager@demo.test managing
  "Invoice Processing — Team A" and "Customer Records — Team B",
  manager2@demo.test managing "Claims Onboarding — Team C".
* Teams A and B: learner@demo.test and 22 more learners; team C:
  newhire@demo.test and 6 more. Learners are trainee executives,
  back-office executives and senior executives.
* Every learner is assigned the foundation courses with due dates spread
  around today: some completed on various past dates, some part done, some
  overdue, some not started; some also chose an optional course themselves.
  learner@demo.test has one course completed, two in progress and one
  overdue; newhire@demo.test has assigned courses and no progress yet.
* Quiz history: learners who finished a course took its quiz once or twice
  over the following days (some failed first and passed on the retry),
  through the attempt engine itself (start, save, submit) with the clock set
  to those past moments (`clock_at`), so every attempt has a real snapshot,
  responses and a scored result.

Every demo account signs in with DEMO_PASSWORD (LMS_DEMO_PASSWORD; default
ledger-lantern-sunrise, which the password policy accepts). All demo accounts share one password hash, computed once, so the
seed stays fast with production hashing parameters. The seed refuses to run
when ENV_NAME is "production" unless --force, and does nothing when the demo
accounts already exist. It commits once at the end.

Modules: people.py (accounts, teams, the generated roster), courses.py
(enrolments with progress, the trainer's draft course), quiz_history.py (past
quiz attempts through the attempt engine), keying_history.py (keying attempts
with simulated keystroke logs), demo.py (the whole seed, in order) and cli.py
(the `flask seed` commands). The fixed seed and the report of what
was created live here, shared by all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

SEED = 20260302


@dataclass
class SeedReport:
    users: int = 0
    teams: int = 0
    enrolments: int = 0
    completed_enrolments: int = 0
    module_completions: int = 0
    attempts: int = 0

    def summary(self) -> str:
        return (
            f"{self.users} people, {self.teams} teams, {self.enrolments} enrolments "
            f"({self.completed_enrolments} completed, {self.module_completions} "
            f"modules done), {self.attempts} finished quiz and keying attempts"
        )
