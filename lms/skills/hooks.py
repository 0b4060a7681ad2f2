"""What the skills domain hooks into at start-up: the engine's and the courses'
announcements (evidence flows by itself, lms.skills.evidence)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.skills import evidence

    evidence.register_listeners()
