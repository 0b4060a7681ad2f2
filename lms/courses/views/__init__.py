"""Course pages: one blueprint `bp`, whose endpoints are named `courses.<view>`.

- learner.py — learners: My learning, a course, a module, marking progress.
- manage.py — trainers (course.author): their course list, creating and editing
  courses and modules with a live Markdown preview, publishing, retiring and
  reordering modules.
- assign.py — trainers, managers and admins (course.assign): assigning a course
  with a due date.
- blueprint.py — the blueprint and the look-ups every page shares.
"""

# Importing the page modules registers their routes on `bp`.
from lms.courses.views import assign, learner, manage  # noqa: F401
from lms.courses.views.blueprint import bp

__all__ = ["bp"]
