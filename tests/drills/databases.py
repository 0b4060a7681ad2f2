"""A fresh database beside the one under test, for restores: a new file on
SQLite, a new database on the same server on PostgreSQL."""

from __future__ import annotations

from contextlib import contextmanager

from lms import create_app
from lms.extensions import db
from tests import factories, pgcluster
from tests.conftest import USE_POSTGRES, WORKER, make_config


@contextmanager
def fresh_database(app, tmp_path):
    """A new database beside the app's (on its PostgreSQL server, or a new file)."""
    if USE_POSTGRES:
        url = str(app.config["SQLALCHEMY_DATABASE_URI"])
        name = f"lms_restore_drill_{WORKER or 'main'}"
        with pgcluster.database_beside(url, name) as own:
            yield own
        return
    yield f"sqlite:///{tmp_path / 'restored.sqlite'}"


def app_on(url, tmp_path):
    """An app on `url` whose database already holds other data (a restore must
    replace it, not add to it)."""
    app = create_app(make_config(url, tmp_path, SERVER_NAME=None))
    with app.app_context():
        db.create_all()
        factories.user(name="Only in the fresh database")
        db.session.commit()
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
