"""Seeds, bands and small helpers shared by every generated keying test.

Each output file gets its own random stream derived from the seed and the
file's slug, so changing one generator does not reshuffle the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from faker import Faker

from tools.keying_content.reference import (
    BUILDING_TYPES,
    CITIES,
    CITY_WEIGHTS,
    EMAIL_DOMAINS,
    EMAIL_DOMAINS_GB,
    EMAIL_DOMAINS_US,
    LANDMARK_ROADS,
    SOCIETIES,
    City,
)

DEFAULT_SEED = 20261123
LOCALES = ["en_IN", "en_US", "en_GB"]
LOCALE_WEIGHTS = [0.76, 0.12, 0.12]

CENT = Decimal("0.01")

RECORD_BANDS = {
    "foundation": {"net_kph": 5000, "accuracy": 0.97},
    "job_ready": {"net_kph": 7000, "accuracy": 0.98},
    "proficient": {"net_kph": 9000, "accuracy": 0.99},
}
TEN_KEY_BANDS = {
    "foundation": {"net_kph": 6000, "accuracy": 0.97},
    "job_ready": {"net_kph": 8000, "accuracy": 0.98},
    "proficient": {"net_kph": 10000, "accuracy": 0.99},
}
TRANSCRIPTION_BANDS = {
    "foundation": {"net_wpm": 25, "accuracy": 0.95},
    "job_ready": {"net_wpm": 30, "accuracy": 0.97},
    "proficient": {"net_wpm": 45, "accuracy": 0.98},
}
RECONCILIATION_BANDS = {
    "foundation": {"f1": 0.7},
    "job_ready": {"f1": 0.85},
    "proficient": {"f1": 0.95},
}


def rng_for(seed: int, part: str) -> Random:
    # str seeds are hashed with SHA-512 by random.seed: stable across runs.
    return Random(f"{seed}:{part}")


def faker_for(seed: int, part: str) -> Faker:
    fake = Faker(LOCALES)
    fake.seed_instance(f"{seed}:{part}")
    return fake


def _pick(rng: Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def pick_locale(rng: Random) -> str:
    return rng.choices(LOCALES, weights=LOCALE_WEIGHTS)[0]


_NAME_OK = re.compile(r"^[A-Za-z][A-Za-z' -]*$")


def fake_person_name(fake: Faker, locale: str) -> tuple[str, str]:
    gen = fake[locale]
    while True:
        first, last = gen.first_name(), gen.last_name()
        if _NAME_OK.match(first) and _NAME_OK.match(last):
            return first, last


def fake_surname(fake: Faker, locale: str = "en_IN") -> str:
    gen = fake[locale]
    while True:
        last = gen.last_name()
        if re.fullmatch(r"[A-Za-z]+", last):
            return last


def fmt_amount(value: Decimal) -> str:
    """International grouping, two decimals: ``-125,000.00``."""
    return f"{value.quantize(CENT):,.2f}"


def fmt_plain(value: Decimal) -> str:
    """No grouping, two decimals: ``-125000.00`` (10-key style)."""
    return f"{value.quantize(CENT):.2f}"


def parse_amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def fmt_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def random_date(rng: Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def mobile_number(rng: Random) -> str:
    digits = str(rng.randint(6, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return f"+91 {digits[:5]} {digits[5:]}"


def landline_number(rng: Random, city: City) -> str:
    local_len = 10 - (len(city.std_code) - 1)
    local = str(rng.randint(2, 7)) + "".join(
        str(rng.randint(0, 9)) for _ in range(local_len - 1)
    )
    half = len(local) // 2
    return f"{city.std_code} {local[:half]} {local[half:]}"


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def pin_in(rng: Random, city: City) -> str:
    return str(rng.randint(city.pin_low, city.pin_high))


def pick_city(rng: Random) -> City:
    return rng.choices(CITIES, weights=CITY_WEIGHTS)[0]


def fake_address_line(rng: Random, fake: Faker, city: City) -> str:
    """A street address without the city (the city is its own field)."""
    locality = rng.choice(city.localities)
    society = f"{rng.choice(SOCIETIES)} {rng.choice(BUILDING_TYPES)}"
    road = rng.choice(
        [
            f"{fake_surname(fake)} Road",
            f"{fake_surname(fake)} Marg",
            f"{ordinal(rng.randint(1, 18))} Cross Road",
            f"{ordinal(rng.randint(1, 12))} Main Road",
            rng.choice(LANDMARK_ROADS),
            f"{fake_surname(fake)} Lane",
        ]
    )
    flat = f"{rng.randint(1, 14)}{rng.choice(['0', '0', ''])}{rng.randint(1, 8)}"
    form = rng.randrange(6)
    if form == 0:
        return f"Flat {flat}, {society}, {road}, {locality}"
    if form == 1:
        return f"{rng.choice('ABCDE')}-{flat}, {society}, {locality}"
    if form == 2:
        return f"No. {rng.randint(1, 480)}, {road}, {locality}"
    if form == 3:
        return f"House {rng.randint(1, 260)}, {road}, {locality}"
    if form == 4:
        return f"Plot {rng.randint(1, 140)}, {road}, {locality}"
    return f"{rng.randint(1, 60)}/{rng.randint(1, 30)}, {road}, {locality}"


def email_for(rng: Random, first: str, last: str, locale: str) -> str:
    domains = {"en_GB": EMAIL_DOMAINS_GB, "en_US": EMAIL_DOMAINS_US}.get(
        locale, EMAIL_DOMAINS
    )
    f = re.sub(r"[^a-z]", "", first.lower())
    la = re.sub(r"[^a-z]", "", last.lower())
    style = rng.randrange(5)
    if style == 0:
        local = f"{f}.{la}"
    elif style == 1:
        local = f"{f}{la}{rng.randint(1, 99)}"
    elif style == 2:
        local = f"{f[0]}{la}"
    elif style == 3:
        local = f"{f}.{la}{rng.randint(1970, 2005)}"
    else:
        local = f"{f}_{la}"
    return f"{local}@{_pick(rng, domains)}"


# --------------------------------------------------------------------------
# GSTIN
# --------------------------------------------------------------------------

_GST_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GSTIN_RE = re.compile(
    r"^[0-3][0-9][A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$"
)


def gstin_check_char(first14: str) -> str:
    """Check character of a GSTIN (Luhn mod 36 over the first 14 characters)."""
    total = 0
    for i, ch in enumerate(first14):
        product = _GST_CHARS.index(ch) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return _GST_CHARS[(36 - total % 36) % 36]


def new_gstin(rng: Random, state_code: str, entity_type: str, initial: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    pan = (
        "".join(rng.choice(letters) for _ in range(3))
        + entity_type
        + initial.upper()
        + f"{rng.randint(1, 9999):04d}"
        + rng.choice(letters)
    )
    entity_no = rng.choices("123", weights=(8, 2, 1))[0]
    first14 = f"{state_code}{pan}{entity_no}Z"
    return first14 + gstin_check_char(first14)
