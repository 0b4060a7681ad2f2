"""Notifications: telling people once, counting and marking read, and the sweep
that reminds of due dates and attempts about to end (with a patched clock)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.errors import NotFoundError
from lms.extensions import db
from lms.notifications import services
from lms.notifications.models import Notification
from tests import factories


@pytest.fixture(autouse=True)
def _context(app_ctx, clock):
    return clock


def _messages(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_a_dedupe_key_tells_a_person_only_once():
    person, other = factories.user(), factories.user()

    assert services.notify(person.id, "note", "Hello", "/learning", dedupe_key="k1")
    assert not services.notify(person.id, "note", "Hello again", "/x", dedupe_key="k1")
    assert services.notify(other.id, "note", "Hello", "/learning", dedupe_key="k1")
    assert services.notify(person.id, "note", "Without a key")
    assert services.notify(person.id, "note", "Without a key")

    assert _messages(person) == ["Hello", "Without a key", "Without a key"]
    assert services.unread_count(person.id) == 3


def test_notify_many_counts_only_the_people_told_for_the_first_time():
    a, b, c = factories.user(), factories.user(), factories.user()
    services.notify(a.id, "assignment", "New", dedupe_key="same")

    assert (
        services.notify_many([a.id, b.id, c.id, b.id], "assignment", "New", "/", "same")
        == 2
    )
    assert services.notify_many([], "assignment", "Nobody") == 0


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("/feedback/3", "/feedback/3"),
        ("https://evil.test/x", ""),
        ("//evil.test/x", ""),
        ("javascript:alert(1)", ""),
        ("/\\evil.test", ""),
        (None, ""),
    ],
)
def test_links_stay_inside_the_application(link, kept):
    person = factories.user()
    services.notify(person.id, "note", "Look", link)
    assert db.session.scalar(sa.select(Notification.link)) == kept


def test_long_messages_are_shortened_to_fit():
    person = factories.user()
    services.notify(person.id, "note", "word " * 100)
    (message,) = _messages(person)
    assert len(message) == services.MESSAGE_LENGTH and message.endswith("…")


def test_marking_read_is_only_for_ones_own(clock):
    person, other = factories.user(), factories.user()
    services.notify(person.id, "note", "One")
    services.notify(person.id, "note", "Two")
    first = db.session.scalar(sa.select(Notification).order_by(Notification.id))

    with pytest.raises(NotFoundError):
        services.mark_read(other, first.id)
    services.mark_read(person, first.id)
    assert first.read_at == clock.current
    assert services.unread_count(person.id) == 1
    assert services.mark_all_read(person) == 1
    assert services.unread_count(person.id) == 0
    assert services.mark_all_read(person) == 0


def test_the_newest_come_first(clock):
    person = factories.user()
    services.notify(person.id, "note", "Older")
    clock.advance(minutes=5)
    services.notify(person.id, "note", "Newer")
    listed = db.session.scalars(services.notifications_query(person.id)).all()
    assert [n.message for n in listed] == ["Newer", "Older"]
