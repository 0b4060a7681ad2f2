"""The skills blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("skills", __name__)
