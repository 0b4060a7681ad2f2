"""The learner's skills and career pages: one blueprint `bp`, endpoints `skills.<view>`.

- learner.py — "My skills": the profile as a chart and tables, and each
  skill's evidence trail.
- career.py — "My career": the paths and their roles, a career goal, the gaps,
  readiness and recommended next steps.
- blueprint.py — the blueprint and what its pages share.

Every page shows the signed-in person's own data only; other people's skills
are shown on the person page (lms.people) with the same services.
"""

# Importing the page modules registers their routes on `bp`.
from lms.skills.views import career, learner  # noqa: F401
from lms.skills.views.blueprint import bp

__all__ = ["bp"]
