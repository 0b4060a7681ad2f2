"""Who may reach every endpoint, and how to fill its URL with the asker's own
object and with somebody else's.

The route matrix (test_route_matrix.py) walks `app.url_map` and looks every
endpoint up here; an endpoint with no entry fails the suite, naming it. So a new
route cannot ship without someone deciding who may open it.

How to read an entry:

* `allowed` — the roles that reach the endpoint with their own object
  (2xx/3xx). Every other signed-in role is refused (403 or 404); anonymous
  visitors are sent to sign in (pages) or get 401 JSON (the API), unless the
  entry is `PUBLIC`.
* `own` — URL arguments (and `query`, the query string) as keys of the world
  in route_world.py; `{role}` stands for the asker ("attempt:{role}" is the
  asker's own finished quiz attempt). `own_for` overrides them per role, where a
  role's own object is someone else's row (a manager's own person is a member
  of their team). A value starting with "=" is taken as written.
* `foreign` — the same arguments filled with an object of the foreign side
  (another trainer's, another learner's, another team's, another mentor's
  mentee's). Every allowed role except admins is refused it; `owner_only`
  refuses admins too (only the owner saves, submits or reads their own
  notifications and tokens).

Only GET is asked of allowed roles with their own object; every other method is
asked only in the refused cases, where nothing may be stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.security.route_world import SIGNED_IN

EVERYONE = frozenset(SIGNED_IN)
TRAINERS = frozenset({"trainer", "admin"})
MANAGERS = frozenset({"manager", "admin"})
STAFF = frozenset({"trainer", "manager", "admin"})
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class Route:
    allowed: frozenset[str]
    own: dict[str, str] = field(default_factory=dict)
    foreign: dict[str, str] | None = None
    query: str = ""
    foreign_query: str = ""
    own_for: dict[str, dict[str, str]] = field(default_factory=dict)
    owner_only: bool = False
    public: bool = False
    body: dict = field(default_factory=dict)  # the JSON sent to API writes

    def refused_foreign(self) -> frozenset[str]:
        if self.foreign is None and not self.foreign_query:
            return frozenset()
        return self.allowed if self.owner_only else self.allowed - ADMINS


def R(allowed, own=None, foreign=None, **options) -> Route:
    return Route(frozenset(allowed), own or {}, foreign, **options)


PUBLIC = Route(EVERYONE, public=True)

COURSE = {"slug": "course"}
COURSE2 = {"slug": "course2"}
MODULE = {"slug": "course", "module_id": "module"}
MODULE2 = {"slug": "course2", "module_id": "module2"}
QUIZ = {"quiz_id": "quiz"}
QUIZ2 = {"quiz_id": "quiz2"}
SLOT = {"quiz_id": "quiz", "index": "=0"}
SLOT2 = {"quiz_id": "quiz2", "index": "=0"}
REVIEW = {"quiz_id": "quiz", "attempt_id": "attempt:learner"}
REVIEW2 = {"quiz_id": "quiz2", "attempt_id": "attempt2"}
GRADE = REVIEW | {"item_id": "=q1"}
GRADE2 = REVIEW2 | {"item_id": "=q1"}
TEAM_MEMBER = {"team_id": "team", "user_id": "learner"}
TEAM_MEMBER2 = {"team_id": "team2", "user_id": "learner2"}
OWN_TEAM = "team={team}"
OTHER_TEAM = "team={team2}"
LEARNER_AS_OWN = {"manager": {"user_id": "learner"}, "mentor": {"user_id": "learner"}}

ROUTES: dict[str, Route] = {
    # signing in, the landing page and one's own account
    "static": R(EVERYONE, {"filename": "=css/app.css"}, public=True),
    "bootstrap.static": R(
        EVERYONE, {"filename": "=css/bootstrap.min.css"}, public=True
    ),
    "auth.login": PUBLIC,
    "auth.logout": R(EVERYONE),
    "dashboard.index": R(EVERYONE),
    "account.settings": R(EVERYONE),
    "auth.change_password": R(EVERYONE),
    "auth.tokens": R(EVERYONE),
    "auth.create_token": R(EVERYONE),
    "auth.revoke_token": R(
        EVERYONE, {"token_id": "token:{role}"}, {"token_id": "token:learner2"},
        owner_only=True,
    ),
    "notifications.index": R(EVERYONE),
    "notifications.read_all": R(EVERYONE),
    "notifications.open_one": R(
        EVERYONE, {"notification_id": "notification:{role}"},
        {"notification_id": "notification:learner2"}, owner_only=True,
    ),
    "notifications.read_one": R(
        EVERYONE, {"notification_id": "notification:{role}"},
        {"notification_id": "notification:learner2"}, owner_only=True,
    ),
    # administration
    "audit.audit_list": R(ADMINS),
    "audit.audit_export": R(ADMINS),
    "users.admin_list": R(ADMINS),
    "users.user_create": R(ADMINS),
    "users.user_edit": R(ADMINS, {"user_id": "learner"}),
    "users.user_deactivate": R(ADMINS, {"user_id": "learner"}),
    "users.user_reactivate": R(ADMINS, {"user_id": "learner"}),
    "users.user_reset_password": R(ADMINS, {"user_id": "learner"}),
    "users.user_import": R(ADMINS),
    "users.user_import_preview": R(ADMINS),
    "users.user_import_confirm": R(ADMINS),
    "users.import_sample": R(ADMINS),
    "users.team_list": R(ADMINS),
    "users.team_create": R(ADMINS),
    "users.team_detail": R(ADMINS, {"team_id": "team"}),
    "users.team_update": R(ADMINS, {"team_id": "team"}),
    "users.team_add_members": R(ADMINS, {"team_id": "team"}),
    "users.team_remove_member": R(ADMINS, TEAM_MEMBER),
    # the JSON API
    "api.live": PUBLIC,
    "api.health": PUBLIC,
    "api.openapi": PUBLIC,
    "api.my_skills": R(EVERYONE),
    "api.my_career": R(EVERYONE),
    "api.start_attempt": R(EVERYONE, {"slug": "quiz_slug"}, {"slug": "quiz2_slug"}),
    "api.get_attempt": R(
        EVERYONE, {"attempt_id": "attempt:{role}"}, {"attempt_id": "attempt2"}
    ),
    "api.save_responses": R(
        EVERYONE, {"attempt_id": "live:{role}"}, {"attempt_id": "live2"},
        owner_only=True, body={"seq": 1, "responses": {}},
    ),
    "api.submit_attempt": R(
        EVERYONE, {"attempt_id": "live:{role}"}, {"attempt_id": "live2"},
        owner_only=True,
    ),
    "api.team_skill_matrix": R(MANAGERS, {"team_id": "team"}, {"team_id": "team2"}),
    # taking assessments
    "attempts.catalogue": R(EVERYONE),
    "attempts.intro": R(EVERYONE, {"slug": "quiz_slug"}, {"slug": "quiz2_slug"}),
    "attempts.history": R(EVERYONE, {"slug": "quiz_slug"}, {"slug": "quiz2_slug"}),
    "attempts.start": R(EVERYONE, {"slug": "quiz_slug"}, {"slug": "quiz2_slug"}),
    "quiz_attempts.take": R(
        EVERYONE, {"attempt_id": "live:{role}"}, {"attempt_id": "live2"},
        owner_only=True,
    ),
    "quiz_attempts.submit_form": R(
        EVERYONE, {"attempt_id": "live:{role}"}, {"attempt_id": "live2"},
        owner_only=True,
    ),
    "quiz_attempts.result": R(
        EVERYONE, {"attempt_id": "attempt:{role}"}, {"attempt_id": "attempt2"}
    ),
    "keying.tests": R(TRAINERS),
    "keying.attempts": R(TRAINERS, {"slug": "test_slug"}, {"slug": "test2_slug"}),
    "keying.copy_test": R(TRAINERS, {"slug": "test_slug"}, {"slug": "test2_slug"}),
    "keying.edit_test": R(TRAINERS, {"slug": "test_slug"}, {"slug": "test2_slug"}),
    "keying.preview": R(TRAINERS, {"slug": "test_slug"}, {"slug": "test2_slug"}),
    "keying.take": R(
        EVERYONE, {"attempt_id": "keying_live:{role}"},
        {"attempt_id": "keying_live2"}, owner_only=True,
    ),
    "keying.result": R(
        EVERYONE, {"attempt_id": "keyed:{role}"}, {"attempt_id": "keyed2"}
    ),
    "keying.review": R(
        STAFF, {"attempt_id": "keyed:learner"}, {"attempt_id": "keyed2"}
    ),
    "keying.accept": R(TRAINERS, {"attempt_id": "keyed:learner"}, {"attempt_id": "keyed2"}),
    # assigning
    "assignments.assign": R(STAFF, {"slug": "quiz_slug"}, {"slug": "quiz2_slug"}),
    "assignments.status": R(STAFF),
    # courses
    "courses.my_learning": R(EVERYONE),
    "courses.course_detail": R(EVERYONE, COURSE, COURSE2),
    "courses.enrol": R(EVERYONE, COURSE, COURSE2),
    "courses.module_view": R(EVERYONE, MODULE, MODULE2),
    "courses.complete_module": R(EVERYONE, MODULE, MODULE2),
    "courses.module_end_reached": R(EVERYONE, MODULE, MODULE2),
    "courses.manage_list": R(TRAINERS),
    "courses.new_course": R(TRAINERS),
    "courses.preview_markdown": R(TRAINERS),
    "courses.edit_course": R(TRAINERS, COURSE, COURSE2),
    "courses.copy_course": R(TRAINERS, COURSE, COURSE2),
    "courses.publish_course": R(TRAINERS, COURSE, COURSE2),
    "courses.unpublish_course": R(TRAINERS, COURSE, COURSE2),
    "courses.new_module": R(TRAINERS, COURSE, COURSE2),
    "courses.edit_module": R(TRAINERS, MODULE, MODULE2),
    "courses.move_module": R(TRAINERS, MODULE, MODULE2),
    "courses.retire_module": R(TRAINERS, MODULE, MODULE2),
    "courses.restore_module": R(TRAINERS, MODULE, MODULE2),
    "courses.assign_course": R(STAFF, COURSE, COURSE2),
    # the question bank and the quiz builder
    "quizzes.bank": R(TRAINERS),
    "quizzes.question_new": R(TRAINERS),
    "quizzes.bank_import": R(TRAINERS),
    "quizzes.question_edit": R(
        TRAINERS, {"question_id": "question"}, {"question_id": "question2"}
    ),
    "quizzes.question_archive": R(
        TRAINERS, {"question_id": "question"}, {"question_id": "question2"}
    ),
    "quizzes.question_restore": R(
        TRAINERS, {"question_id": "question"}, {"question_id": "question2"}
    ),
    # the bank is shared: any trainer may copy any question
    "quizzes.question_duplicate": R(TRAINERS, {"question_id": "question2"}),
    "quizzes.quiz_list": R(TRAINERS),
    "quizzes.quiz_new": R(TRAINERS),
    "quizzes.quiz_detail": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_settings": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_pick": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_question_new": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_copy": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_preview": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_preview_check": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_publish": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.quiz_unpublish": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.slot_add_draw": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.slot_add_questions": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.slot_move": R(TRAINERS, SLOT, SLOT2),
    "quizzes.slot_remove": R(TRAINERS, SLOT, SLOT2),
    "quizzes.attempt_list": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.attempt_review": R(TRAINERS, REVIEW, REVIEW2),
    "quizzes.item_grade": R(TRAINERS, GRADE, GRADE2),
    "quizzes.overrides": R(TRAINERS, QUIZ, QUIZ2),
    "quizzes.statistics": R(TRAINERS, QUIZ, QUIZ2),
    # the skills framework
    "skills_admin.skill_list": R(TRAINERS),
    "skills_admin.skill_new": R(TRAINERS),
    "skills_admin.skill_edit": R(TRAINERS, {"skill_id": "skill"}),
    "skills_admin.skill_deactivate": R(TRAINERS, {"skill_id": "skill"}),
    "skills_admin.skill_reactivate": R(TRAINERS, {"skill_id": "skill"}),
    "skills_admin.category_list": R(TRAINERS),
    "skills_admin.category_new": R(TRAINERS),
    "skills_admin.category_edit": R(TRAINERS, {"category_id": "category"}),
    "skills_admin.framework_export": R(TRAINERS),
    "skills_admin.framework_import": R(TRAINERS),
    "skills_admin.framework_import_preview": R(TRAINERS),
    "skills_admin.framework_import_confirm": R(TRAINERS),
    "skills_admin.path_list": R(TRAINERS),
    "skills_admin.path_new": R(TRAINERS),
    "skills_admin.path_edit": R(TRAINERS, {"path_id": "path"}),
    "skills_admin.role_new": R(TRAINERS, {"path_id": "path"}),
    "skills_admin.role_edit": R(TRAINERS, {"role_id": "career_role"}),
    "skills_admin.role_move": R(TRAINERS, {"role_id": "career_role"}),
    "skills_admin.role_requirements": R(TRAINERS, {"role_id": "career_role"}),
    "skills_admin.settings": R(ADMINS),
    "skill_mappings.assessment_mappings": R(
        TRAINERS, {"assessment_id": "quiz"}, {"assessment_id": "quiz2"}
    ),
    "skill_mappings.course_mappings": R(TRAINERS, COURSE, COURSE2),
    "skill_mappings.edit_mapping": R(
        TRAINERS, {"mapping_id": "mapping"}, {"mapping_id": "mapping2"}
    ),
    "skill_mappings.remove_mapping": R(
        TRAINERS, {"mapping_id": "mapping"}, {"mapping_id": "mapping2"}
    ),
    # one's own skills and career
    "skills.my_skills": R(EVERYONE),
    "skills.my_career": R(EVERYONE),
    "skills.set_goal": R(EVERYONE),
    "skills.drop_goal": R(EVERYONE),
    "skills.skill_trail": R(EVERYONE, {"slug": "skill_slug"}),
    "skills.own_view": R(EVERYONE, {"slug": "skill_slug"}),
    # mentoring
    "mentorship.index": R(EVERYONE),
    "mentorship.my_mentees": R(EVERYONE),
    "mentorship.my_mentor": R(EVERYONE),
    "mentorship.profile": R(EVERYONE),
    "mentorship.people": R(MANAGERS),
    "mentorship.pair": R(MANAGERS, {"mentee_id": "learner"}, {"mentee_id": "learner2"}),
    "mentorship.pair_create": R(
        MANAGERS, {"mentee_id": "learner"}, {"mentee_id": "learner2"}
    ),
    "mentorship.pairing": R(
        {"learner", "mentor", "manager", "admin"},
        {"pairing_id": "pairing"}, {"pairing_id": "pairing2"},
    ),
    "mentorship.pairing_end": R(
        MANAGERS, {"pairing_id": "pairing"}, {"pairing_id": "pairing2"}
    ),
    "mentorship.session_create": R(
        {"mentor"}, {"pairing_id": "pairing"}, {"pairing_id": "pairing2"}
    ),
    "mentorship.session_acknowledge": R(
        {"learner"}, {"session_id": "session"}, {"session_id": "session2"}
    ),
    "mentorship.item_done": R(
        {"learner", "mentor"}, {"item_id": "item"}, {"item_id": "item2"}
    ),
    # people, feedback and team reports
    "people.person": R(
        EVERYONE, {"user_id": "{role}"}, {"user_id": "learner2"},
        own_for=LEARNER_AS_OWN,
    ),
    "people.rate": R(
        {"manager", "mentor", "admin"}, {"user_id": "learner"},
        {"user_id": "learner2"},
    ),
    "feedback.mine": R(EVERYONE),
    "feedback.given": R(EVERYONE),
    "feedback.team": R(MANAGERS),
    "feedback.detail": R(
        {"learner", "manager", "mentor", "admin"}, {"feedback_id": "feedback"},
        {"feedback_id": "feedback2"},
    ),
    "feedback.reply": R(
        {"learner"}, {"feedback_id": "feedback"}, {"feedback_id": "feedback2"}
    ),
    "feedback.acknowledge": R(
        {"learner"}, {"feedback_id": "feedback"}, {"feedback_id": "feedback2"}
    ),
    "feedback.about_person": R(
        {"learner", "manager", "mentor", "admin"}, {"user_id": "learner"},
        {"user_id": "learner2"},
    ),
    "feedback.give_on_person": R(
        {"manager", "mentor", "admin"}, {"user_id": "learner"},
        {"user_id": "learner2"},
    ),
    "feedback.give_on_attempt": R(
        STAFF, {"attempt_id": "attempt:learner"}, {"attempt_id": "attempt2"}
    ),
    "reports.team": R(MANAGERS, query=OWN_TEAM, foreign_query=OTHER_TEAM),
    "reports.team_results": R(MANAGERS, query=OWN_TEAM, foreign_query=OTHER_TEAM),
    "reports.coverage_page": R(MANAGERS),
    "exports.index": R(MANAGERS),
    "exports.download": R(
        MANAGERS, {"kind": "=matrix", "fmt": "=csv"},
        {"kind": "=matrix", "fmt": "=csv"}, query=OWN_TEAM, foreign_query=OTHER_TEAM,
    ),
}  # fmt: skip
