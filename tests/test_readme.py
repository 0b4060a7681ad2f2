"""Every command the README shows exists as written: each `.venv/bin/flask …`
command answers --help, and each `make` target is in the Makefile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
FLASK_COMMANDS = sorted(
    {
        tuple(words)
        for match in re.finditer(r"\.venv/bin/flask ((?:[a-z][a-z-]* ?){1,2})", README)
        if (words := match.group(1).split()) and words[0] not in ("db",)
    }
)
MAKE_TARGETS = sorted(set(re.findall(r"`make ([a-z-]+)", README)))


def test_the_readme_shows_commands():
    assert len(FLASK_COMMANDS) >= 8 and {"run", "test"} <= set(MAKE_TARGETS)


@pytest.mark.parametrize("words", FLASK_COMMANDS, ids=" ".join)
def test_each_flask_command_exists(runner, words):
    result = runner.invoke(args=[*words, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("target", MAKE_TARGETS)
def test_each_make_target_exists(target):
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target
