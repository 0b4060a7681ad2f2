"""Back Office Academy: the LMS application package. create_app() is its entry point."""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from lms.config import PROJECT_ROOT

# Each domain with pages or API calls exposes `bp` in this module.
BLUEPRINT_MODULES = (
    "lms.dashboard.views",
    "lms.auth.views",
    "lms.users.views",
    "lms.users.account_views",
    "lms.reports.export_views",
    "lms.audit.views",
    "lms.courses.views",
    "lms.attempts.views",
    "lms.api.views",
    "lms.quizzes.views",
    "lms.quizzes.attempt_views",
    "lms.keying.views",
    "lms.skills.mapping_views",
    "lms.skills.views",
    "lms.skills.admin_views",
    "lms.mentorship.views",
    "lms.people.views",
    "lms.reports.views",
    "lms.notifications.views",
    "lms.assignments.views",
    "lms.feedback.views",
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build a configured application; tests pass overrides instead of the environment."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "LMS_INSTANCE_PATH"
    )
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_relative_config=True,
        instance_path=instance_path,
    )
    app.config.from_object("lms.config.Config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)  # instance/config.py
        app.config.from_prefixed_env("LMS")  # LMS_SECRET_KEY -> SECRET_KEY
        if app.config.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    from lms import cli, connections, errors, models, security, templating  # noqa: F401
    from lms.extensions import csrf, db, limiter, login_manager, migrate
    from lms.skills import hooks as skills_hooks

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from flask_bootstrap import Bootstrap5

    Bootstrap5(app)

    security.register_url_converters(app)
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(module_name).bp)

    register_assessment_kinds()
    skills_hooks.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    return app


def register_assessment_kinds() -> None:
    """Every kind the attempt engine runs: a new kind is one line here."""
    from lms.attempts import kinds
    from lms.keying.kinds import KEYING_KINDS
    from lms.quizzes.kind import QuizKind

    kinds.register(QuizKind())
    for kind in KEYING_KINDS:
        kinds.register(kind())


def _instance_secret_key(instance: Path) -> str:
    """Read instance/secret_key, creating it with a random key on first run."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
