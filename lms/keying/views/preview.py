"""Previewing a keying test as a learner sees it, without an attempt.

Route:
  GET /keying/tests/<slug>/preview?draw=N   the test page of draw N (1 by default)

Who: trainers who look after the test (the engine's rule,
lms.attempts.policies.looks_after: any trainer for a test from the files, the
owner of a test made in the browser) and admins; learners and managers get 403.

Decisions:

* The draw is deterministic and numbered: draw N is the kind's own snapshot
  (records, entries, passages or sets drawn and ordered as for an attempt)
  built with ``random.Random(N)``; "another draw" moves to N + 1.
* The page is the learner's test page — the same source documents and inputs
  (templates/keying/_inputs.html) — under a "Preview — nothing is saved"
  banner. It loads no script that saves or records keystrokes, and its Submit
  button is disabled: a keying result is earned by a keystroke log of an
  attempt, so no score is made and nothing is stored (no attempt, answer,
  keystroke, notification or evidence row).
"""

from __future__ import annotations

import random

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user

from lms.attempts import kinds
from lms.attempts.models import Assessment
from lms.attempts.policies import looks_after
from lms.auth.permissions import has_permission, permission_required
from lms.extensions import db
from lms.forms import int_arg
from lms.keying.kinds import KEYING_KIND_NAMES, KIND_LABELS
from lms.keying.views.blueprint import bp

AUTHOR_CAPABILITY = "assessment.author"
FIRST_DRAW = 1
MAX_DRAW = 1_000_000


def can_preview(user, assessment: Assessment) -> bool:
    """Trainers who look after the test, and admins."""
    return has_permission(user, AUTHOR_CAPABILITY) and looks_after(user, assessment)


bp.add_app_template_global(can_preview, "can_preview_keying_test")


@bp.get("/tests/<slug>/preview")
@permission_required(AUTHOR_CAPABILITY)
def preview(slug: str):
    """Show the test page of one draw, as a learner sees it; nothing is stored."""
    assessment = db.one_or_404(
        sa.select(Assessment).where(
            Assessment.slug == slug, Assessment.kind.in_(KEYING_KIND_NAMES)
        )
    )
    if not can_preview(current_user, assessment):
        abort(403)
    draw = int_arg("draw", FIRST_DRAW, maximum=MAX_DRAW)
    kind = kinds.get(assessment.kind)
    snapshot = kind.build_snapshot(assessment, random.Random(draw))
    return render_template(
        "keying/preview.html",
        assessment=assessment,
        kind=assessment.kind,
        mode=snapshot.get("mode", ""),
        items=kind.learner_items(snapshot),
        responses={},
        draw=draw,
        next_draw=draw + 1 if draw < MAX_DRAW else FIRST_DRAW,
        kind_label=KIND_LABELS.get(assessment.kind, assessment.kind),
    )
