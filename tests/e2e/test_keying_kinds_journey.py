"""A learner takes the bundled 10-key, transcription and reconciliation tests in
Chromium, makes one deliberate mistake in each, submits, and the result page names
the mistake: a transposition, a substitution, a false alarm. The 10-key result
also says in one sentence what held its band back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lms.attempts.models import Attempt
from lms.extensions import db
from lms.users.models import Role
from tests import factories

pytestmark = pytest.mark.e2e

# Slow enough to be a person: the scorer refuses speeds beyond a human.
KEY_DELAY_MS = 140
# A score needs a minimum time (at least the whole test keyed at a human
# ceiling speed, so about 40 s for these tests): the server's clock is moved
# on this much before submitting instead of waiting for it.
WORKING_SECONDS = 60
# A band also needs a share of the drawn work attempted (half, by default).
# These journeys are about how one mistake is named, so they key a few
# entries or words; their tests ask for that much instead: 5 of 40 entries,
# and the first eight words of a passage (5 % of the shortest one).
JOURNEY_SETTINGS = {
    "ten-key-amounts": {"min_attempted_share": 0.1},
    "email-transcription": {"min_attempted_share": 0.05},
    "ledger-vs-bank-reconciliation": {},
}


@pytest.fixture
def learner(live_server):
    with live_server.app.app_context():
        person = factories.user(Role.LEARNER, name="Lata Learner")
        for slug, settings in JOURNEY_SETTINGS.items():
            factories.bundled_keying_test(slug, settings=settings)
        db.session.commit()
        return person.email


def start(page, live_server, sign_in, email: str, slug: str) -> int:
    sign_in(page, email, factories.PASSWORD)
    page.goto(live_server(f"/assessments/{slug}"))
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_url("**/keying/attempts/*")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def submit(page, server_clock, attempt_id: int) -> None:
    server_clock.advance(WORKING_SECONDS)
    page.get_by_role("button", name="Submit test").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"**/keying/attempts/{attempt_id}/result")


def metric(page, label: str) -> str:
    box = page.locator(".keying-metric").filter(has=page.get_by_text(label, exact=True))
    return box.first.locator(".value").inner_text().strip()


def percent(text: str) -> float:
    return float(text.replace("%", "").strip())


def error_counts(page) -> dict[str, str]:
    """The "Errors by type" table: label -> count."""
    rows = page.locator(".keying-error-table tbody tr")
    out = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        label = row.locator("th").evaluate("th => th.firstChild.textContent.trim()")
        out[label] = row.locator("td").inner_text().strip()
    return out


def swap_adjacent_digits(value: str) -> str:
    """`value` with its first pair of different neighbouring digits swapped."""
    for i in range(len(value) - 1):
        a, b = value[i], value[i + 1]
        if a.isdigit() and b.isdigit() and a != b:
            return value[:i] + b + a + value[i + 2 :]
    raise AssertionError(f"no two different neighbouring digits in {value!r}")


def test_ten_key_transposition_is_named_and_lowers_entry_accuracy(
    live_server, browser_page, sign_in, learner, server_clock
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    attempt_id = start(page, live_server, sign_in, learner, "ten-key-amounts")

    entries = page.locator("[data-keying-entry]")
    expect(entries).to_have_count(40)
    # The first entry box has the focus: the learner starts keying at once.
    expect(page.get_by_label("Amount 1 of 40", exact=True)).to_be_focused()
    sources = [
        entries.nth(i).locator(".keying-entry-value").inner_text().strip()
        for i in range(5)
    ]
    typed = list(sources)
    typed[1] = swap_adjacent_digits(sources[1])
    for value in typed:
        page.keyboard.type(value, delay=KEY_DELAY_MS)
        page.keyboard.press("Enter")
    expect(page.get_by_label("Amount 6 of 40", exact=True)).to_be_focused()
    expect(page.get_by_label("Amount 2 of 40", exact=True)).to_have_value(typed[1])

    submit(page, server_clock, attempt_id)

    assert page.locator("[data-validity]").count() == 0, page.locator(
        "[data-validity]"
    ).inner_text()
    assert page.get_by_text("Band reached").count() == 1
    # Beside the band, one sentence says what held it back: here the accuracy.
    explanation = page.locator("[data-band-explanation]")
    expect(explanation).to_be_visible()
    sentence = explanation.inner_text().strip()
    assert "entry accuracy 80 % is below the 97 % Foundation needs" in sentence
    assert sentence.endswith(".") and sentence.count(". ") == 0
    row = page.locator(".keying-wrong-fields tbody tr")
    expect(row).to_have_count(1)
    assert row.locator(".keying-error-name").inner_text().strip() == "Transposition"
    assert row.locator("td[data-label='You typed']").inner_text().strip() == typed[1]
    assert row.locator("td[data-label='Source']").inner_text().strip() == sources[1]
    assert error_counts(page).get("Transposition") == "1"
    accuracy = metric(page, "Entry accuracy")
    assert percent(accuracy) < 100
    assert accuracy == "80.0 %"  # 4 of the 5 entries keyed are right
    assert errors == []

    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == "submitted"
        assert attempt.result["validity"] == "valid"
        assert attempt.result["entry_accuracy"] < 1
        assert attempt.result["band_explanation"] == sentence


def test_transcription_substitution_is_named_with_wpm(
    live_server, browser_page, sign_in, learner, server_clock
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    attempt_id = start(page, live_server, sign_in, learner, "email-transcription")

    box = page.get_by_label("Type the passage here")
    expect(box).to_be_focused()
    passage = page.locator(".keying-passage").first.inner_text().strip()
    # The first eight words, with one letter of the third word keyed wrong.
    words = passage.split(" ")[:8]
    target = 2 if len(words[2]) > 1 else 3
    word = words[target]
    wrong = "x" if word[1].lower() != "x" else "z"
    words[target] = word[0] + wrong + word[2:]
    text = " ".join(words)
    page.keyboard.type(text, delay=KEY_DELAY_MS)
    expect(box).to_have_value(text)

    submit(page, server_clock, attempt_id)

    assert page.locator("[data-validity]").count() == 0, page.locator(
        "[data-validity]"
    ).inner_text()
    assert error_counts(page).get("Substitution") == "1"
    detail = page.locator("section", has=page.locator("h3.h6")).first
    assert "Substitution ×1" in detail.inner_text()
    assert "1 word left wrong" in detail.inner_text()
    net_wpm = metric(page, "Net WPM")
    assert float(net_wpm.replace(",", "")) > 0
    headline = page.get_by_label("Headline figures")
    expect(headline.get_by_text("Net WPM", exact=True)).to_be_visible()
    assert errors == []

    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.result["validity"] == "valid"
        assert attempt.result["net_wpm"] is not None


def test_reconciliation_false_alarm_lowers_precision(
    live_server, browser_page, sign_in, learner, server_clock
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    attempt_id = start(
        page, live_server, sign_in, learner, "ledger-vs-bank-reconciliation"
    )

    # The key is in the attempt's snapshot on the server, never in the page.
    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        drawn = attempt.snapshot["sets"][0]
    real = drawn["discrepancies"][0]
    differing = {d["ref"] for d in drawn["discrepancies"]}
    agreeing = next(
        row[drawn["key"]]
        for row in drawn["ledger"]
        if row[drawn["key"]] not in differing
    )

    if real["type"] == "extra_in_statement":
        page.get_by_label(f"Statement entry {real['ref']} is not in the ledger").check()
        real_text = f"{real['ref']}: extra in statement"
    elif real["type"] == "missing_in_statement":
        page.get_by_label(f"Flag for ledger entry {real['ref']}").select_option(
            "missing_in_statement"
        )
        real_text = f"{real['ref']}: missing in statement"
    else:
        page.get_by_label(f"Flag for ledger entry {real['ref']}").select_option(
            f"field_mismatch:{real['field']}"
        )
        real_text = f"{real['ref']}: {real['field'].replace('_', ' ')} differs"
    # A false alarm: a ledger entry that agrees with the statement.
    page.get_by_label(f"Flag for ledger entry {agreeing}").select_option(
        "missing_in_statement"
    )

    submit(page, server_clock, attempt_id)

    assert page.locator("[data-validity]").count() == 0, page.locator(
        "[data-validity]"
    ).inner_text()
    precision = percent(metric(page, "Precision"))
    recall = percent(metric(page, "Recall"))
    f1 = percent(metric(page, "F1 score"))
    assert precision == 50.0  # one of the two flags was a real difference
    assert 0 < recall < 100
    assert 0 < f1 < 100
    flags = page.get_by_role("heading", name="Your flags", exact=True).locator(
        "xpath=.."
    )
    correct = flags.locator("li", has_text=real_text)
    expect(correct.locator(".badge")).to_have_text("correct")
    wrong = flags.locator("li", has_text=f"{agreeing}: missing in statement")
    expect(wrong.locator(".badge")).to_have_text("false alarm")
    assert error_counts(page).get("False alarm") == "1"
    assert errors == []

    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.result["validity"] == "valid"
        assert attempt.result["precision"] < 1
