"""Registers the `flask` command groups."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.attempts.cli import attempts_cli
    from lms.content.cli import content_cli
    from lms.keying.cli import keying_cli
    from lms.notifications.cli import notifications_cli
    from lms.ops.cli import backup_command, restore_command
    from lms.quizzes.cli import quizzes_cli
    from lms.seed.cli import seed_cli
    from lms.skills.cli import skills_cli
    from lms.users.cli import users_cli

    for group in (content_cli, seed_cli, users_cli, quizzes_cli, attempts_cli):
        app.cli.add_command(group)
    app.cli.add_command(keying_cli)
    app.cli.add_command(skills_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
