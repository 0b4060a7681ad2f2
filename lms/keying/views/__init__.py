"""Keying test pages, all on the one `keying` blueprint (`blueprint`).

Learners (`learner`): the take page of a live attempt (one layout per kind;
the browser saves and submits through the JSON API, static/js/keying.js) and
the result of a finished attempt. Authors (`authoring`): an editable copy of a
test from the files, and the details of the tests they own. Reviewers (`trainer`; capability
assessment.review, per lms.keying.policies): every attempt at a keying test,
one attempt with the evidence behind its integrity flags, and accepting an
unverified result. Trainers who look after a test preview it as a learner sees
it, without an attempt (`preview`). `charts` draws and tabulates what the
result page shows.
Importing this package registers every route on `bp`.

Routes:
  GET  /keying/attempts/<id>            take (the learner's own live attempt)
  GET  /keying/attempts/<id>/result     result (learner: own; reviewers; team manager)
  GET  /keying/attempts/<id>/review     integrity evidence (reviewers)
  POST /keying/attempts/<id>/accept     accept an unverified result (reviewers)
  GET  /keying/tests                    keying tests the user reviews
  GET  /keying/tests/<slug>/attempts    every attempt at one test (reviewers)
  GET  /keying/tests/<slug>/preview     the test as a learner sees it, nothing stored
  POST /keying/tests/<slug>/copy        an editable copy of a file test (authors)
  GET  /keying/tests/<slug>/edit        a browser test's details (its owner, admins)

Decisions:

* Starting is the engine's (catalogue → intro → Start, or the API);
  lms.attempts.links sends every keying attempt here, so the engine's own
  take/result URLs redirect to these pages.
* The take page renders only engine.learner_items() and the saved responses;
  the script gets the rest from data-* attributes (no JSON blocks). The
  countdown only displays: the server's remaining_ms from every save resets it.
* List reconciliation takes one flag per ledger row (a select: missing in
  statement, or one column differs) and a tick per statement row (not in the
  ledger). The bundled sets never plant two differences on one ref; a select
  keeps 20 rows at 20 tab stops instead of 80 checkboxes.
* An invalid result shows why instead of a speed, accuracy and band; an
  unverified one shows its figures, "Unverified" and why instead of a band.
  The marked review stays visible because it is what the learner learns from.
  Integrity flags are shown to the learner too ("notes for your trainer"):
  nothing is flagged behind their back.
* A valid result shows, beside its band, the one sentence saying what held
  the band back (the scorer's `band_explanation`); an accepted one says which
  trainer accepted it and why.
* Accepting is the engine's (lms.attempts.regrading.accept_result): the form
  carries the attempt's row_version its page showed, so an acceptance posted
  after someone else changed the attempt gets 409 with the reason kept.
* The field-by-field review honours the assessment's review setting
  (lms.attempts.review.review_options), as the API does.
* The result page is open to whoever may open the attempt through the API
  (the learner, the test's reviewers, the learner's team manager); the
  integrity evidence only to reviewers.
"""

from lms.keying.views import (  # noqa: F401 (each module adds its routes to bp)
    authoring,
    learner,
    preview,
    trainer,
)
from lms.keying.views.blueprint import bp

__all__ = ["bp"]
