"""The skills framework and career-path pages for admins and trainers: one
blueprint `bp` ("skills_admin", under /manage/skills), endpoints
`skills_admin.<view>`.

- skill_views.py — skills (list, new, edit, deactivate), categories and the
  level method (admins only);
- path_views.py — career paths, their roles in order, each role's required
  levels;
- csv_views.py — the framework as CSV: export, and import with a preview;
- blueprint.py — the blueprint and what its pages share.

Who: capability "skills.manage" (trainers and admins); the level method needs
"skills.settings" (admins). Rows from the content files (courses/_catalog/)
are shown read-only with a note; changing one answers 403 with where to
change it. The services are lms.skills.framework, .paths and .framework_csv.
"""

# Importing the page modules registers their routes on `bp`.
from lms.skills.admin_views import csv_views, path_views, skill_views  # noqa: F401
from lms.skills.admin_views.blueprint import bp

__all__ = ["bp"]
