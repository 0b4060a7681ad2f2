"""The CSRF-only forms of the shared attempt pages (start)."""

from lms.forms import EmptyForm

StartForm = EmptyForm
