"""An editable copy of a keying test from the files, and what its owner may then
change in the browser.

The copy (lms.copies has the rules every copy shares) takes the test's content
(records, passages, sets and their keys), settings (bands, comparison rules)
and columns as they are: a draft owned by the trainer. Its owner (or an admin)
changes its details here — title, description, time limit, attempts allowed,
published — and a change gives a new version (live attempts keep the snapshot
they started with). The content itself stays as copied: keying content is
written in the files' formats (docs/content-format.md).
Tests from the files stay read-only: they change in the files.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.attempts.models import Assessment
from lms.auth.permissions import has_permission, is_admin
from lms.copies import editable_copy
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.keying.kinds import KEYING_KIND_NAMES
from lms.markdown import render_markdown
from lms.origins import ORIGIN_FILE
from lms.users.models import User

AUTHOR_CAPABILITY = "assessment.author"
FILE_TEST_MESSAGE = (
    "This keying test comes from the files; change it there, or make an editable copy."
)


@dataclass(frozen=True)
class TestDetails:
    title: str
    description_md: str
    time_limit_seconds: int | None
    attempts_allowed: int
    is_published: bool


def is_keying_test(assessment: Assessment) -> bool:
    return assessment.kind in KEYING_KIND_NAMES


def can_copy_test(user, assessment: Assessment) -> bool:
    """Authors copy keying tests from the files."""
    return (
        has_permission(user, AUTHOR_CAPABILITY)
        and is_keying_test(assessment)
        and assessment.origin == ORIGIN_FILE
    )


def can_edit_test(user, assessment: Assessment) -> bool:
    """The owner of a browser keying test, or an admin; never a file test."""
    if not has_permission(user, AUTHOR_CAPABILITY) or not is_keying_test(assessment):
        return False
    if assessment.origin == ORIGIN_FILE:
        return False
    return is_admin(user) or assessment.owner_id == user.id


def copy_keying_test(test: Assessment, owner: User) -> Assessment:
    """A draft copy of a file keying test owned by `owner`. Flushes."""
    if not is_keying_test(test) or test.origin != ORIGIN_FILE:
        raise ValidationError(
            "Only keying tests from the files are copied this way; a test of the "
            "browser is edited directly."
        )
    copy = editable_copy(test, owner)
    db.session.add(copy)
    db.session.flush()
    return copy


def details_of(test: Assessment) -> TestDetails:
    return TestDetails(
        title=test.title,
        description_md=test.description_md or "",
        time_limit_seconds=test.time_limit_seconds,
        attempts_allowed=test.attempts_allowed or 0,
        is_published=test.is_published,
    )


def update_details(test: Assessment, details: TestDetails) -> bool:
    """Save the details of a browser keying test; True when anything changed."""
    if test.origin == ORIGIN_FILE:
        raise PermissionDeniedError(FILE_TEST_MESSAGE)
    if details == details_of(test):
        return False
    test.title = details.title.strip()
    test.description_md = details.description_md
    test.description_html = render_markdown(details.description_md)
    test.time_limit_seconds = details.time_limit_seconds
    test.attempts_allowed = details.attempts_allowed
    test.is_published = details.is_published
    test.version = (test.version or 1) + 1
    db.session.flush()
    return True
