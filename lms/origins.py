"""Where a course, an assessment or a question comes from, which decides who may
change it: "file" rows come from the content folders (courses/, quizzes/) and
are refreshed only by `flask content import`; "ui" rows are authored in the
browser, owned by their author and never touched by an import."""

ORIGIN_FILE = "file"
ORIGIN_UI = "ui"
ORIGINS = (ORIGIN_FILE, ORIGIN_UI)
