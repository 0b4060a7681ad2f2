"""Address pair check (USPS address-checking pattern): record pairs that may differ."""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random

from faker import Faker

from tools.keying_content.common import (
    RECONCILIATION_BANDS,
    fake_person_name,
    fake_surname,
    faker_for,
    landline_number,
    mobile_number,
    ordinal,
    pick_city,
    pick_locale,
    pin_in,
    rng_for,
)
from tools.keying_content.reference import (
    SOCIETIES,
    City,
)
from tools.keying_content.writers import (
    HEADER,
    TomlDoc,
    write_common_keys,
)

PAIR_FIELDS = ["name", "address", "pin_code", "phone"]

PAIR_DESCRIPTION = """\
Each row shows the same customer twice: on the left as held in our records,
on the right as keyed from a form. Decide for every pair whether the two
sides are **identical** or which fields **differ** (name, address, PIN code,
phone). You get **one set of 20 pairs** per attempt and **6 minutes**.

Rules:

* **Capitalisation is not a difference.** `MG Road` and `mg road` are the
  same.
* **Punctuation is a difference.** `No. 14` and `No 14`, or a missing comma,
  count.
* Everything else counts too: two digits swapped (`560034` and `560043`), a
  digit added, left out or changed, a misspelt word, a different street type
  (`Road` and `Lane`), or an abbreviation (`Flat` and `Flt`).

Work from left to right and compare character by character rather than
reading for meaning; the eye tends to correct what the mind expects. Flags on
pairs that do not differ count against you, just like differences you miss.
"""

PAIR_SET_TITLES = (
    "Customer master vs KYC update form",
    "Order system vs courier manifest",
    "Policy records vs claim form",
    "Payroll records vs joining form",
    "Loan accounts vs address-change request",
)

STREET_SWAPS = {"Road": "Lane", "Lane": "Road", "Street": "Road", "Marg": "Road"}
ABBREVIATIONS = {
    "Flat": "Flt",
    "Apartments": "Apts",
    "Road": "Rd",
    "Street": "St",
    "Sector": "Sec",
}
VOWELS = "aeiou"


def _pair_address(rng: Random, fake: Faker, city: City) -> str:
    locality = rng.choice(city.localities)
    society = f"{rng.choice(SOCIETIES)} {rng.choice(('Apartments', 'Apartments', 'Residency', 'Heights'))}"
    road = rng.choice(
        [
            f"{fake_surname(fake)} Road",
            f"{fake_surname(fake)} Lane",
            f"{ordinal(rng.randint(1, 18))} Cross Road",
            f"{ordinal(rng.randint(1, 12))} Main Road",
            f"{fake_surname(fake)} Street",
            f"{fake_surname(fake)} Marg",
        ]
    )
    form = rng.randrange(5)
    if form in (0, 1):
        return f"Flat {rng.randint(1, 14)}0{rng.randint(1, 8)}, {society}, {road}, {locality}, {city.name}"
    if form == 2:
        return f"No. {rng.randint(1, 480)}, {road}, {locality}, {city.name}"
    if form == 3:
        return f"House {rng.randint(1, 260)}, {road}, {locality}, {city.name}"
    return f"{rng.randint(1, 60)}/{rng.randint(1, 30)}, {road}, {locality}, {city.name}"


def _digit_positions(value: str, start: int = 0) -> list[int]:
    return [i for i, ch in enumerate(value) if ch.isdigit() and i >= start]


def _digit_switch(rng: Random, value: str, start: int = 0) -> str | None:
    spots = [
        i
        for i in _digit_positions(value, start)
        if i + 1 < len(value) and value[i + 1].isdigit() and value[i] != value[i + 1]
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return value[:i] + value[i + 1] + value[i] + value[i + 2 :]


def _digit_change(rng: Random, value: str, start: int = 0) -> str | None:
    spots = _digit_positions(value, start)
    if not spots:
        return None
    i = rng.choice(spots)
    new = rng.choice([d for d in "0123456789" if d != value[i]])
    return value[:i] + new + value[i + 1 :]


def _digit_omit(rng: Random, value: str, start: int = 0) -> str | None:
    spots = _digit_positions(value, start)
    if len(spots) < 2:
        return None
    i = rng.choice(spots)
    return value[:i] + value[i + 1 :]


def _digit_add(rng: Random, value: str, start: int = 0) -> str | None:
    spots = _digit_positions(value, start)
    if not spots:
        return None
    i = rng.choice(spots)
    extra = value[i] if rng.random() < 0.5 else str(rng.randint(0, 9))
    return value[:i] + extra + value[i:]


def _misspell(rng: Random, value: str) -> str | None:
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", value)]
    if not words:
        return None
    m = rng.choice(words)
    word = m.group()
    inner = range(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:  # swap two neighbouring letters
        spots = [i for i in inner if word[i].lower() != word[i + 1].lower()]
        if not spots:
            return None
        i = rng.choice(spots)
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == 1:  # drop a letter
        i = rng.choice(list(inner))
        new = word[:i] + word[i + 1 :]
    elif op == 2:  # double a letter
        i = rng.choice(list(inner))
        new = word[:i] + word[i] + word[i:]
    else:  # wrong vowel
        spots = [i for i in inner if word[i] in VOWELS]
        if not spots:
            return None
        i = rng.choice(spots)
        new = word[:i] + rng.choice([v for v in VOWELS if v != word[i]]) + word[i + 1 :]
    return value[: m.start()] + new + value[m.end() :]


def _replace_word(rng: Random, value: str, mapping: dict[str, str]) -> str | None:
    hits = [m for m in re.finditer(r"\b[A-Za-z]+\b", value) if m.group() in mapping]
    if not hits:
        return None
    m = rng.choice(hits)
    return value[: m.start()] + mapping[m.group()] + value[m.end() :]


def _punctuation(rng: Random, value: str) -> str | None:
    spots = [i for i, ch in enumerate(value) if ch in ",."]
    if not spots:
        return None
    i = rng.choice(spots)
    return value[:i] + value[i + 1 :]


def _house_number(rng: Random, value: str) -> str | None:
    op = rng.choice((_digit_switch, _digit_change, _digit_omit, _digit_add))
    # Only touch the first number in the address (flat, house or plot number).
    m = re.search(r"\d+", value)
    if not m:
        return None
    new = op(rng, m.group())
    if not new:
        return None
    return value[: m.start()] + new + value[m.end() :]


def _mutate(rng: Random, field: str, value: str) -> str:
    if field == "name":
        ops: list[Callable[[], str | None]] = [lambda: _misspell(rng, value)]
    elif field == "address":
        ops = [
            lambda: _replace_word(rng, value, STREET_SWAPS),
            lambda: _replace_word(rng, value, ABBREVIATIONS),
            lambda: _misspell(rng, value),
            lambda: _house_number(rng, value),
            lambda: _punctuation(rng, value),
        ]
    elif field == "pin_code":
        ops = [
            lambda: _digit_switch(rng, value),
            lambda: _digit_switch(rng, value),
            lambda: _digit_change(rng, value),
            lambda: _digit_change(rng, value),
            lambda: _digit_omit(rng, value),
            lambda: _digit_add(rng, value),
        ]
    else:  # phone: leave the +91 / trunk prefix alone
        start = 4 if value.startswith("+91") else value.index(" ") + 1
        ops = [
            lambda: _digit_switch(rng, value, start),
            lambda: _digit_switch(rng, value, start),
            lambda: _digit_change(rng, value, start),
            lambda: _digit_omit(rng, value, start),
            lambda: _digit_add(rng, value, start),
        ]
    for _ in range(50):
        new = rng.choice(ops)()
        if new is not None and new.casefold() != value.casefold():
            return new
    raise ValueError(f"could not mutate {field} {value!r}")


def _case_change(rng: Random, field: str, value: str) -> str:
    """A capitalisation-only change: not a difference under the rules."""
    if field == "name":
        return value.upper() if rng.random() < 0.5 else value.lower()
    words = [m for m in re.finditer(r"[A-Za-z]{2,}", value)]
    m = rng.choice(words)
    word = m.group()
    new = word.lower() if word[0].isupper() else word.capitalize()
    if rng.random() < 0.3:
        return value.upper()
    return value[: m.start()] + new + value[m.end() :]


def _pair_set(rng: Random, fake: Faker, title: str) -> dict[str, object]:
    n_diff = rng.randint(7, 9)
    diff_ids = set(rng.sample(range(20), n_diff))
    pairs = []
    for i in range(20):
        locale = pick_locale(rng)
        first, last = fake_person_name(fake, locale)
        city = pick_city(rng)
        record = {
            "name": f"{first} {last}",
            "address": _pair_address(rng, fake, city),
            "pin_code": pin_in(rng, city),
            "phone": mobile_number(rng)
            if rng.random() < 0.8
            else landline_number(rng, city),
        }
        other = dict(record)
        differs: list[str] = []
        if i in diff_ids:
            if rng.random() < 0.2:
                chosen = rng.sample(PAIR_FIELDS, 2)
            else:
                chosen = rng.choices(PAIR_FIELDS, weights=(2, 5, 3, 3))
            differs = [f for f in PAIR_FIELDS if f in chosen]
            for field in differs:
                other[field] = _mutate(rng, field, record[field])
        # Capitalisation-only distractors, on identical and differing pairs alike.
        case_fields = [f for f in ("name", "address") if f not in differs]
        if case_fields and rng.random() < 0.3:
            field = rng.choice(case_fields)
            other[field] = _case_change(rng, field, record[field])
        left, right = (record, other) if rng.random() < 0.5 else (other, record)
        pairs.append(
            {"id": f"p{i + 1}", "left": left, "right": right, "differs": differs}
        )
    return {"title": title, "fields": list(PAIR_FIELDS), "pairs": pairs}


def pair_sets(seed: int) -> list[dict[str, object]]:
    rng = rng_for(seed, "address-pair-check")
    fake = faker_for(seed, "address-pair-check")
    return [
        _pair_set(rng, fake, f"Set {i}: {title}")
        for i, title in enumerate(PAIR_SET_TITLES, start=1)
    ]


def pair_toml(seed: int) -> str:
    doc = TomlDoc(HEADER.format(seed=seed))
    write_common_keys(
        doc,
        "reconciliation",
        "Address pair check",
        PAIR_DESCRIPTION,
        ["attention-to-detail", "reconciliation"],
        6,
    )
    doc.key("mode", "pair")
    doc.key("sets_file", "address-pair-check.json")
    doc.key("sets_per_attempt", 1)
    doc.table("bands", RECONCILIATION_BANDS)
    return doc.render()
