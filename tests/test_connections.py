"""How pooled PostgreSQL connections are used (lms/connections.py): reads run
without a transaction, the first write begins one and keeps its atomicity, and a
connection the server has closed is replaced before a request uses it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.connections import needs_transaction
from lms.extensions import db
from lms.users.models import User
from tests import factories
from tests.conftest import USE_POSTGRES

on_postgresql = pytest.mark.skipif(not USE_POSTGRES, reason="PostgreSQL connections")


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT 1",
        '  select "user".id FROM "user" WHERE "user".id = %(id)s',
        "WITH recent AS (SELECT id FROM attempt) SELECT count(*) FROM recent",
        "SELECT updated_at, for_team FROM t",  # words that only contain keywords
    ],
)
def test_plain_reads_need_no_transaction(statement):
    assert not needs_transaction(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO response (item_id) VALUES (%(v)s)",
        "UPDATE attempt SET state = 'submitted'",
        "DELETE FROM response",
        "SAVEPOINT sa_savepoint_1",
        "SET LOCAL statement_timeout = 1000",
        "SELECT id FROM attempt WHERE id = 1 FOR UPDATE",
        "SELECT id FROM attempt FOR NO KEY UPDATE",
        "SELECT id FROM attempt FOR SHARE",
        "WITH gone AS (DELETE FROM response RETURNING id) SELECT count(*) FROM gone",
        "LOCK TABLE attempt",
        "VACUUM",
    ],
)
def test_writes_locks_and_anything_unrecognised_need_one(statement):
    assert needs_transaction(statement)


def _status(connection) -> str:
    return connection.connection.dbapi_connection.info.transaction_status.name


@on_postgresql
def test_a_read_leaves_no_transaction_open_and_a_write_begins_one(app):
    with app.app_context():
        factories.user(email="reader@example.test")
        db.session.commit()
        connection = db.session.connection()
        db.session.scalar(sa.select(User.id))
        assert _status(connection) == "IDLE"  # no BEGIN before it, none left open
        db.session.execute(sa.update(User).values(job_title="Analyst"))
        assert _status(connection) == "INTRANS"
        db.session.rollback()


@on_postgresql
def test_writes_stay_atomic_a_rollback_undoes_all_of_them(app):
    with app.app_context():
        first = factories.user(email="first@example.test").id
        db.session.commit()
        db.session.execute(
            sa.update(User).where(User.id == first).values(job_title="One")
        )
        db.session.scalar(sa.select(User.id))  # a read between the writes
        factories.user(email="second@example.test")
        db.session.flush()
        db.session.rollback()
        titles = db.session.scalars(sa.select(User.job_title)).all()
        emails = db.session.scalars(sa.select(User.email)).all()
    assert titles != ["One"]
    assert emails == ["first@example.test"]


@on_postgresql
def test_a_connection_the_server_closed_is_replaced_before_use(app):
    with app.app_context():
        factories.user(email="someone@example.test")
        db.session.commit()
        pooled_pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.commit()  # back to the pool
        admin = sa.create_engine(
            db.engine.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )
        with admin.connect() as other:
            killed = other.scalar(
                sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled_pid}
            )
            assert killed
            _wait_until_gone(other, pooled_pid)
        admin.dispose()
        # The next request gets a working connection, not an error.
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
        assert db.session.scalar(sa.text("SELECT pg_backend_pid()")) != pooled_pid
        db.session.rollback()


def _wait_until_gone(connection, pid: int) -> None:
    for _ in range(200):
        alive = connection.scalar(
            sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
            {"pid": pid},
        )
        if not alive:
            return
        connection.execute(sa.text("SELECT pg_sleep(0.01)"))
    raise AssertionError("the terminated connection did not go away")
