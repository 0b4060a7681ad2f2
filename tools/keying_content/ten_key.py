"""10-key tests: amounts and account numbers."""

from __future__ import annotations

from tools.keying_content.common import (
    TEN_KEY_BANDS,
    rng_for,
)
from tools.keying_content.writers import (
    HEADER,
    TomlDoc,
    write_common_keys,
)

TEN_KEY_AMOUNTS_DESCRIPTION = """\
Key each amount on the numeric keypad and press **Enter** to move to the next
one. Each attempt gives you **40 amounts** from a pool of 300, and you have
**5 minutes**.

* Key the amount exactly as shown, including both decimal places and the
  minus sign on credit notes: `-412.50`, `1250.00`.
* `1250` is **not** the same as `1250.00`, and `125.00` is not `1250.00`.
* No thousands separators are used in this test.

Keep your eyes on the source, not on your hand. Speed is measured in
keystrokes per hour on correct entries only; accuracy is the share of entries
keyed exactly right. Backspace works: fix an entry before you press Enter.
"""

TEN_KEY_ACCOUNTS_DESCRIPTION = """\
Key each account number on the numeric keypad and press **Enter** to move to
the next one. Each attempt gives you **40 account numbers** from a pool of
300, and you have **5 minutes**.

* Account numbers are 9 to 14 digits long. Some start with one or two
  zeros: key them, they are part of the number (`004512398871` is not
  `4512398871`).
* A swapped pair of digits (`...4871` for `...8471`) is the most common
  error in this kind of work. Read long numbers in groups of three or four.

Speed is measured in keystrokes per hour on correct entries only; accuracy is
the share of entries keyed exactly right. Backspace works: fix an entry
before you press Enter.
"""


def ten_key_amounts(seed: int) -> list[str]:
    rng = rng_for(seed, "ten-key-amounts")
    magnitudes = (
        (0, 9, 3),
        (10, 99, 12),
        (100, 999, 32),
        (1000, 9999, 30),
        (10000, 99999, 16),
        (100000, 999999, 7),
    )
    values: list[str] = []
    seen: set[str] = set()
    while len(values) < 300:
        low, high, _ = rng.choices(magnitudes, weights=[m[2] for m in magnitudes])[0]
        whole = rng.randint(low, high)
        cents_kind = rng.random()
        if cents_kind < 0.22:
            cents = 0
        elif cents_kind < 0.32:
            cents = 50
        else:
            cents = rng.randint(1, 99)
        if whole == 0 and cents == 0:
            continue
        sign = "-" if rng.random() < 0.1 else ""
        text = f"{sign}{whole}.{cents:02d}"
        if text in seen:
            continue
        seen.add(text)
        values.append(text)
    return values


def ten_key_accounts(seed: int) -> list[str]:
    rng = rng_for(seed, "ten-key-account-numbers")
    values: list[str] = []
    seen: set[str] = set()
    while len(values) < 300:
        length = rng.choices(range(9, 15), weights=(2, 3, 4, 5, 3, 3))[0]
        if rng.random() < 0.12:
            zeros = rng.choice((1, 1, 2))
            head = "0" * zeros + str(rng.randint(1, 9))
        else:
            head = str(rng.randint(1, 9))
        text = head + "".join(str(rng.randint(0, 9)) for _ in range(length - len(head)))
        if text in seen:
            continue
        seen.add(text)
        values.append(text)
    return values


def ten_key_toml(
    seed: int, *, title: str, description: str, entries_file: str, label: str
) -> str:
    doc = TomlDoc(HEADER.format(seed=seed))
    write_common_keys(doc, "ten_key", title, description, ["ten-key", "data-entry"], 5)
    doc.key("entries_file", entries_file)
    doc.key("entries_per_attempt", 40)
    doc.key("entry_label", label)
    doc.key("compare", "string")
    doc.table("bands", TEN_KEY_BANDS)
    return doc.render()
