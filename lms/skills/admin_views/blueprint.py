"""The skills_admin blueprint and what its pages share."""

from __future__ import annotations

from flask import Blueprint, request

from lms.skills.catalog_specs import LEVEL_NAMES

bp = Blueprint("skills_admin", __name__, url_prefix="/manage/skills")

MANAGE = "skills.manage"  # trainers and admins
SETTINGS = "skills.settings"  # admins only


def form_status() -> int:
    """200 for a page shown, 400 for a form posted back with problems."""
    return 400 if request.method == "POST" else 200


@bp.context_processor
def _level_names() -> dict:
    return {"level_names": LEVEL_NAMES}
