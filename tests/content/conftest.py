"""Fixture content trees for the loader, importer and CLI tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def good_tree(tmp_path) -> Path:
    """A writable copy of the good tree: tmp/courses and tmp/quizzes."""
    root = tmp_path / "content"
    shutil.copytree(GOOD, root)
    return root
