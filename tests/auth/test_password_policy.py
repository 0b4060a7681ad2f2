"""New passwords follow NIST SP 800-63B: at least 12 characters, not a common or
breached password, not the person's own email or name; no composition rules."""

from __future__ import annotations

import pytest

from lms.auth import password_policy
from lms.auth.password_policy import password_problems
from lms.config import Config

EMAIL, NAME = "asha.rao@example.com", "Asha Rao"


def _refused(password: str) -> bool:
    return bool(password_problems(password, email=EMAIL, name=NAME))


@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "password",
        "eleven char",  # 11
        "password1234",
        "Password2024!",
        "qwerty123456",
        "1qaz2wsx3edc",
        "iloveyou2024!!",
        "passwordpassword",
        "abcabcabcabc",
        "aaaaaaaaaaaa",
        "123456789012",
        "abcdefghijkl",
        "asha.rao.2024!",
        "my name is Asha!",
        "the asha family 1999",
        "x" * 201,
    ],
)
def test_refused(password):
    assert _refused(password)


@pytest.mark.parametrize(
    "password",
    [
        "twelve chars",  # 12
        "correct horse battery",
        "all lowercase words here",  # no composition rules
        "ledger lantern sunrise",
        "кофе и чай на завтрак",
        "🔑 coffee and tea 🔑",
        "x" * 10 + "y" * 10 + "z" * 44,  # 64
        "given-password",
    ],
)
def test_accepted(password):
    assert not _refused(password)


def test_messages_never_ask_for_digits_or_symbols():
    messages = " ".join(
        message
        for password in ("short", "password1234", "asha.rao.2024!")
        for message in password_problems(password, email=EMAIL, name=NAME)
    ).lower()

    for rule in ("digit", "number", "symbol", "uppercase", "special"):
        assert rule not in messages


def test_the_bundled_list_has_ten_thousand_common_passwords_and_names_its_source():
    common = password_policy.common_passwords()
    header = password_policy.COMMON_PASSWORDS_FILE.read_text().split("\n\n")[0]

    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= common
    assert "Source:" in header and "zxcvbn" in header


def test_the_demo_password_passes_the_policy():
    assert not password_problems(Config.DEMO_PASSWORD)
