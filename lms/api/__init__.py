"""JSON API v1 at /api/v1: thin views over the same services the pages use.

Auth is the session cookie plus an X-CSRFToken header (our own JavaScript) or
`Authorization: Bearer <personal API token>` (scripts; no CSRF needed, since a
browser never adds that header by itself). Errors are always JSON:
`{"error": code, "message": text}`. docs/api.md is the contract; the OpenAPI
document is served at /api/v1/openapi.json (lms/api/openapi.py).
"""

from lms.api import reports_api, skills_api  # noqa: E402,F401  (their calls join the api blueprint)
