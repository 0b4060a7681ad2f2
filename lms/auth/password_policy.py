"""What a new password must be, after NIST SP 800-63B (section 5.1.1.2): long
enough, not a common or breached password, and not made of the person's own email
or name. No composition rules (no "one digit, one symbol"), no expiry.

Pure: no Flask and no database. The common passwords are a bundled list
(common_passwords.txt beside this module, its source in its header), read once on
first use. Every check compares without regard to case. A password is refused
when it is, or is one of those words with digits or symbols added before or
after ("Password2024!"), or one short piece repeated ("abcabcabcabc"), or a run
of neighbouring characters ("123456789012", "abcdefghijkl").
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# Pieces of a name or an email shorter than this are too common to refuse.
MIN_PERSONAL_PIECE = 4
_EDGE_NON_LETTERS = re.compile(r"^[^a-z]+|[^a-z]+$")
_PIECES = re.compile(r"[^a-z0-9]+")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(
    password: str, *, email: str | None = None, name: str | None = None
) -> list[str]:
    """Why this new password cannot be used, as messages for its owner; [] if fine."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [f"Use at least {MIN_PASSWORD_LENGTH} characters."]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [f"Use at most {MAX_PASSWORD_LENGTH} characters."]
    problems = []
    lowered = password.casefold()
    if _is_common(lowered):
        problems.append(
            "That password is too common: it is on lists attackers try first. "
            "A few unrelated words make a strong one."
        )
    personal = _personal_piece(lowered, email, name)
    if personal:
        problems.append(f"Leave your {personal} out of your password.")
    return problems


def _is_common(lowered: str) -> bool:
    common = common_passwords()
    core = _EDGE_NON_LETTERS.sub("", lowered)
    return (
        lowered in common
        or (len(core) >= MIN_PERSONAL_PIECE and core in common)
        or _repeats_a_short_piece(lowered)
        or _is_a_run(lowered)
    )


def _repeats_a_short_piece(text: str) -> bool:
    for size in range(1, len(text) // 2 + 1):
        piece = text[:size]
        if len(text) % size == 0 and piece * (len(text) // size) == text:
            return size <= 4 or piece in common_passwords()
    return False


def _is_a_run(text: str) -> bool:
    """Each character the one after (or before) the last: abcdefghijkl, and digits
    counting on past 9 to 0 (123456789012) or down past 0 to 9."""
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    if steps in ({1}, {-1}):
        return True
    return text.isdigit() and steps in ({1, -9}, {-1, 9})


def _personal_piece(lowered: str, email: str | None, name: str | None) -> str | None:
    """ "email" or "name" when the password holds a piece of either."""
    local = (email or "").casefold().partition("@")[0]
    if _holds_a_piece(lowered, local):
        return "email address"
    if _holds_a_piece(lowered, (name or "").casefold()):
        return "name"
    return None


def _holds_a_piece(lowered: str, text: str) -> bool:
    whole = _PIECES.sub("", text)
    pieces = [p for p in _PIECES.split(text) if len(p) >= MIN_PERSONAL_PIECE]
    if len(whole) >= MIN_PERSONAL_PIECE:
        pieces.append(whole)
    squeezed = _PIECES.sub("", lowered)
    return any(piece in lowered or piece in squeezed for piece in pieces)
