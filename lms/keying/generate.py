"""Seeded generator for the bundled keying tests in ``quizzes/``.

Everything here is deterministic: the same seed always produces
byte-identical files, so the generated content can be committed and checked
in CI against a fresh generation. No Flask, no database.

Regenerate with::

    python -m lms.keying.generate quizzes

Each output file gets its own random stream derived from the seed and the
file's slug, so changing one generator does not reshuffle the others.
Person names and some street names come from Faker (mostly ``en_IN``, some
``en_US`` and ``en_GB``); everything else comes from ``random.Random``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from random import Random

from faker import Faker

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

# --------------------------------------------------------------------------
# Reference tables (public place names, GST state codes, PIN ranges)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    state_code: str  # GST state code
    pin_low: int
    pin_high: int
    std_code: str  # landline trunk code
    localities: tuple[str, ...]


# fmt: off
CITIES: tuple[City, ...] = (
    City("Bengaluru", "29", 560001, 560103, "080",
         ("Indiranagar", "Koramangala", "Jayanagar", "Whitefield", "HSR Layout",
          "Malleshwaram", "Electronic City", "Banashankari")),
    City("Mumbai", "27", 400001, 400104, "022",
         ("Andheri East", "Powai", "Dadar West", "Borivali West", "Chembur",
          "Bandra West", "Goregaon East", "Mulund West")),
    City("Chennai", "33", 600001, 600119, "044",
         ("T Nagar", "Adyar", "Velachery", "Anna Nagar", "Mylapore", "Tambaram",
          "Porur")),
    City("Hyderabad", "36", 500001, 500097, "040",
         ("Madhapur", "Kondapur", "Banjara Hills", "Kukatpally", "Begumpet",
          "Gachibowli", "Ameerpet")),
    City("Pune", "27", 411001, 411062, "020",
         ("Kothrud", "Baner", "Hadapsar", "Viman Nagar", "Aundh", "Wakad")),
    City("Kolkata", "19", 700001, 700160, "033",
         ("Salt Lake", "Ballygunge", "Behala", "New Town", "Gariahat", "Dum Dum")),
    City("New Delhi", "07", 110001, 110096, "011",
         ("Lajpat Nagar", "Dwarka", "Rohini", "Karol Bagh", "Saket", "Janakpuri")),
    City("Ahmedabad", "24", 380001, 380061, "079",
         ("Navrangpura", "Satellite", "Bopal", "Maninagar", "Vastrapur")),
    City("Jaipur", "08", 302001, 302039, "0141",
         ("Malviya Nagar", "Vaishali Nagar", "Mansarovar", "Raja Park", "Bani Park")),
    City("Kochi", "32", 682001, 682041, "0484",
         ("Kakkanad", "Edappally", "Panampilly Nagar", "Vyttila", "Kaloor")),
    City("Coimbatore", "33", 641001, 641050, "0422",
         ("RS Puram", "Peelamedu", "Saibaba Colony", "Gandhipuram")),
    City("Lucknow", "09", 226001, 226031, "0522",
         ("Gomti Nagar", "Hazratganj", "Aliganj", "Indira Nagar")),
    City("Chandigarh", "04", 160001, 160036, "0172",
         ("Sector 17", "Sector 22", "Sector 35", "Sector 44")),
    City("Indore", "23", 452001, 452020, "0731",
         ("Vijay Nagar", "Palasia", "Rajendra Nagar", "Sudama Nagar")),
    City("Nagpur", "27", 440001, 440037, "0712",
         ("Dharampeth", "Sitabuldi", "Manish Nagar", "Sadar")),
    City("Bhubaneswar", "21", 751001, 751031, "0674",
         ("Saheed Nagar", "Patia", "Nayapalli", "Jayadev Vihar")),
    City("Noida", "09", 201301, 201318, "0120",
         ("Sector 18", "Sector 62", "Sector 137", "Sector 50")),
    City("Gurugram", "06", 122001, 122018, "0124",
         ("DLF Phase 3", "Sector 56", "Sushant Lok", "Palam Vihar")),
    City("Visakhapatnam", "37", 530001, 530053, "0891",
         ("MVP Colony", "Dwaraka Nagar", "Seethammadhara", "Gajuwaka")),
    City("Mysuru", "29", 570001, 570030, "0821",
         ("Vijayanagar", "Kuvempunagar", "Saraswathipuram", "Gokulam")),
)
# fmt: on
# Bigger cities appear more often, as they do in real customer files.
CITY_WEIGHTS = (14, 14, 10, 10, 8, 7, 9, 5, 4, 3, 3, 3, 2, 2, 2, 2, 3, 3, 2, 2)

SOCIETIES = (
    "Shanti",
    "Lotus",
    "Sai Krupa",
    "Green Park",
    "Sunrise",
    "Gokul",
    "Silver Oak",
    "Royal Palms",
    "Kaveri",
    "Ganga",
    "Brindavan",
    "Sapphire",
    "Orchid",
    "Nandanvan",
    "Shree Ganesh",
    "Sagar",
    "Vrindavan",
    "Anmol",
    "Palm Grove",
    "Emerald",
    "Navratna",
    "Sheetal",
)
BUILDING_TYPES = ("Apartments", "Residency", "Heights", "Enclave", "Towers")
LANDMARK_ROADS = (
    "MG Road",
    "Station Road",
    "Link Road",
    "Temple Street",
    "Church Street",
    "Nehru Marg",
    "Tilak Road",
    "Market Road",
    "Lake View Road",
    "Ring Road",
)
EMAIL_DOMAINS = (
    ("gmail.com", 10),
    ("yahoo.co.in", 3),
    ("outlook.com", 3),
    ("rediffmail.com", 2),
    ("hotmail.com", 1),
    ("icloud.com", 1),
)
EMAIL_DOMAINS_GB = (("gmail.com", 4), ("yahoo.co.uk", 2), ("btinternet.com", 1))
EMAIL_DOMAINS_US = (("gmail.com", 4), ("yahoo.com", 2), ("outlook.com", 1))

VENDOR_TRADES = (
    "Logistics",
    "Packaging",
    "Office Supplies",
    "Facility Services",
    "IT Solutions",
    "Printing Works",
    "Stationery",
    "Engineering",
    "Textiles",
    "Cold Chain",
    "Electricals",
    "Catering Services",
    "Security Services",
    "Travel Services",
    "Software",
    "Pharma Distributors",
    "Courier Services",
    "Housekeeping",
    "Networks",
    "Furniture",
)
# suffix -> PAN entity-type letter (4th character of a PAN)
INDIAN_VENDOR_SUFFIXES = (
    ("Pvt Ltd", "C"),
    ("Private Limited", "C"),
    ("LLP", "F"),
    ("Enterprises", "P"),
    ("Traders", "P"),
    ("& Sons", "F"),
    ("& Co", "F"),
    ("Industries", "C"),
)
GST_RATES = (5, 12, 18, 28)
GST_RATE_WEIGHTS = (3, 3, 10, 2)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _rng(seed: int, part: str) -> Random:
    # str seeds are hashed with SHA-512 by random.seed: stable across runs.
    return Random(f"{seed}:{part}")


def _faker(seed: int, part: str) -> Faker:
    fake = Faker(LOCALES)
    fake.seed_instance(f"{seed}:{part}")
    return fake


def _pick(rng: Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _locale(rng: Random) -> str:
    return rng.choices(LOCALES, weights=LOCALE_WEIGHTS)[0]


_NAME_OK = re.compile(r"^[A-Za-z][A-Za-z' -]*$")


def _person_name(fake: Faker, locale: str) -> tuple[str, str]:
    gen = fake[locale]
    while True:
        first, last = gen.first_name(), gen.last_name()
        if _NAME_OK.match(first) and _NAME_OK.match(last):
            return first, last


def _surname(fake: Faker, locale: str = "en_IN") -> str:
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


def _random_date(rng: Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _mobile(rng: Random) -> str:
    digits = str(rng.randint(6, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return f"+91 {digits[:5]} {digits[5:]}"


def _landline(rng: Random, city: City) -> str:
    local_len = 10 - (len(city.std_code) - 1)
    local = str(rng.randint(2, 7)) + "".join(
        str(rng.randint(0, 9)) for _ in range(local_len - 1)
    )
    half = len(local) // 2
    return f"{city.std_code} {local[:half]} {local[half:]}"


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _pin(rng: Random, city: City) -> str:
    return str(rng.randint(city.pin_low, city.pin_high))


def _city(rng: Random) -> City:
    return rng.choices(CITIES, weights=CITY_WEIGHTS)[0]


def _address_line(rng: Random, fake: Faker, city: City) -> str:
    """A street address without the city (the city is its own field)."""
    locality = rng.choice(city.localities)
    society = f"{rng.choice(SOCIETIES)} {rng.choice(BUILDING_TYPES)}"
    road = rng.choice(
        [
            f"{_surname(fake)} Road",
            f"{_surname(fake)} Marg",
            f"{_ordinal(rng.randint(1, 18))} Cross Road",
            f"{_ordinal(rng.randint(1, 12))} Main Road",
            rng.choice(LANDMARK_ROADS),
            f"{_surname(fake)} Lane",
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


def _email(rng: Random, first: str, last: str, locale: str) -> str:
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


def _gstin(rng: Random, state_code: str, entity_type: str, initial: str) -> str:
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


# --------------------------------------------------------------------------
# TOML / CSV / JSON writers (deterministic, no third-party writer)
# --------------------------------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_multiline(text: str) -> str:
    if "'''" in text:
        raise ValueError("text must not contain ''' for a TOML literal string")
    return "'''\n" + text + "'''"


class _Toml:
    """Tiny ordered TOML emitter for the shapes used by keying tests."""

    def __init__(self, header_comment: str) -> None:
        self.lines: list[str] = [
            f"# {line}" if line else "#" for line in header_comment.splitlines()
        ]
        self.lines.append("")

    def key(self, name: str, value: object) -> None:
        self.lines.append(f"{name} = {_toml_value(value)}")

    def text(self, name: str, value: str) -> None:
        self.lines.append(f"{name} = {_toml_multiline(value)}")

    def blank(self) -> None:
        self.lines.append("")

    def table(self, name: str, values: dict[str, object]) -> None:
        self.blank()
        self.lines.append(f"[{name}]")
        for k, v in values.items():
            self.key(k, v)

    def array_table(
        self, name: str, values: dict[str, object], multiline: Sequence[str] = ()
    ) -> None:
        self.blank()
        self.lines.append(f"[[{name}]]")
        for k, v in values.items():
            if k in multiline:
                self.text(k, str(v))
            else:
                self.key(k, v)

    def render(self) -> str:
        out = "\n".join(self.lines).rstrip("\n") + "\n"
        tomllib.loads(out)  # fail loudly if the emitter ever writes bad TOML
        return out


HEADER = (
    "Generated by lms/keying/generate.py (seed {seed}). Do not edit by hand:\n"
    "change the generator and run `python -m lms.keying.generate quizzes`."
)


def _common(
    doc: _Toml, kind: str, title: str, description: str, skills: list[str], minutes: int
) -> None:
    doc.key("kind", kind)
    doc.key("title", title)
    doc.text("description", description)
    doc.key("skills", skills)
    doc.key("time_limit_minutes", minutes)
    doc.key("attempts_allowed", 0)
    doc.key("correction_policy", "allowed")
    doc.key("published", True)


def _csv(header: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------
# 1. Customer record entry
# --------------------------------------------------------------------------

CUSTOMER_FIELDS: tuple[dict[str, object], ...] = (
    {
        "name": "customer_id",
        "label": "Customer ID",
        "profile": "identifier",
        "critical": True,
    },
    {
        "name": "full_name",
        "label": "Full name",
        "profile": "normalized",
        "critical": False,
    },
    {"name": "phone", "label": "Phone", "profile": "identifier", "critical": False},
    {"name": "email", "label": "Email", "profile": "normalized", "critical": False},
    {
        "name": "address_line",
        "label": "Address",
        "profile": "normalized",
        "critical": False,
    },
    {"name": "city", "label": "City", "profile": "normalized", "critical": False},
    {"name": "pin_code", "label": "PIN code", "profile": "exact", "critical": True},
    {
        "name": "date_of_birth",
        "label": "Date of birth",
        "profile": "date",
        "critical": True,
        "format": "%d/%m/%Y",
    },
    {
        "name": "account_opened",
        "label": "Account opened",
        "profile": "date",
        "critical": False,
        "format": "%d/%m/%Y",
    },
    {
        "name": "credit_limit",
        "label": "Credit limit (INR)",
        "profile": "amount",
        "critical": True,
    },
)

CUSTOMER_DESCRIPTION = """\
Key customer records from the source panel into the entry form, as quickly
and as accurately as you can. Each attempt gives you **6 records** drawn from
a pool of 60, and you have **5 minutes**.

How each field is checked:

| Field | What counts as correct |
|---|---|
| Customer ID | Every character; spaces and hyphens are ignored. **Critical.** |
| Full name, email, address, city | Capital letters and extra spaces are ignored; every other character counts, including commas and full stops. |
| Phone | Every digit; spaces and hyphens are ignored. |
| PIN code | All six digits, exactly. **Critical.** |
| Date of birth, account opened | Type the date as DD/MM/YYYY, for example 07/03/1991. Date of birth is **critical**. |
| Credit limit | The value must be right. Thousands commas are optional (125000.00 and 125,000.00 are equal), but a misplaced decimal point or a missing minus sign is an error. **Critical.** |

Critical fields must be 100 % correct to pass, whatever your speed. Speed is
measured in keystrokes per hour on correctly keyed fields only, so rushing and
then correcting later costs you more than keying carefully the first time.
Backspace works: fix a mistake as soon as you notice it.
"""


def _customers(seed: int) -> list[dict[str, str]]:
    rng = _rng(seed, "customer-record-entry")
    fake = _faker(seed, "customer-record-entry")
    rows: list[dict[str, str]] = []
    seen_ids: set[str] = set()
    while len(rows) < 60:
        cid = f"CUS-{rng.randint(100000, 999999)}"
        if cid in seen_ids:
            continue
        seen_ids.add(cid)
        locale = _locale(rng)
        first, last = _person_name(fake, locale)
        city = _city(rng)
        dob = _random_date(rng, date(1962, 1, 1), date(2005, 12, 31))
        adult = date(dob.year + 18, dob.month, min(dob.day, 28))
        opened = _random_date(rng, max(adult, date(2009, 4, 1)), date(2026, 10, 31))
        limit_kind = rng.random()
        if limit_kind < 0.6:
            limit = Decimal(rng.randrange(25_000, 500_001, 5_000))
        elif limit_kind < 0.8:
            limit = Decimal(rng.randrange(500_000, 2_500_001, 25_000))
        else:
            limit = Decimal(rng.randrange(1_000_000, 60_000_001, 50)) / 100
        rows.append(
            {
                "customer_id": cid,
                "full_name": f"{first} {last}",
                "phone": _mobile(rng),
                "email": _email(rng, first, last, locale),
                "address_line": _address_line(rng, fake, city),
                "city": city.name,
                "pin_code": _pin(rng, city),
                "date_of_birth": fmt_date(dob),
                "account_opened": fmt_date(opened),
                "credit_limit": fmt_amount(limit),
            }
        )
    return rows


def _record_entry_toml(
    seed: int,
    *,
    title: str,
    description: str,
    skills: list[str],
    minutes: int,
    records_file: str,
    per_attempt: int,
    fields: Sequence[dict[str, object]],
) -> str:
    doc = _Toml(HEADER.format(seed=seed))
    _common(doc, "record_entry", title, description, skills, minutes)
    doc.key("records_file", records_file)
    doc.key("records_per_attempt", per_attempt)
    doc.table("bands", RECORD_BANDS)
    for field in fields:
        doc.array_table("fields", dict(field))
    return doc.render()


# --------------------------------------------------------------------------
# 2. Invoice entry
# --------------------------------------------------------------------------

INVOICE_FIELDS: tuple[dict[str, object], ...] = (
    {
        "name": "invoice_no",
        "label": "Invoice number",
        "profile": "identifier",
        "critical": True,
    },
    {
        "name": "invoice_date",
        "label": "Invoice date",
        "profile": "date",
        "critical": False,
        "format": "%d/%m/%Y",
    },
    {
        "name": "vendor_name",
        "label": "Vendor name",
        "profile": "normalized",
        "critical": False,
    },
    {
        "name": "gstin",
        "label": "Vendor GSTIN",
        "profile": "identifier",
        "critical": True,
    },
    {
        "name": "po_number",
        "label": "PO number",
        "profile": "identifier",
        "critical": False,
    },
    {
        "name": "taxable_value",
        "label": "Taxable value (INR)",
        "profile": "amount",
        "critical": False,
    },
    {
        "name": "gst_rate",
        "label": "GST rate (%)",
        "profile": "exact",
        "critical": False,
    },
    {
        "name": "gst_amount",
        "label": "GST amount (INR)",
        "profile": "amount",
        "critical": True,
    },
    {
        "name": "invoice_total",
        "label": "Invoice total (INR)",
        "profile": "amount",
        "critical": True,
    },
    {
        "name": "due_date",
        "label": "Due date",
        "profile": "date",
        "critical": False,
        "format": "%d/%m/%Y",
    },
)

INVOICE_DESCRIPTION = """\
Key vendor invoices into the accounts-payable entry form. Each attempt gives
you **5 invoices** drawn from a pool of 60, and you have **6 minutes**.

| Field | What counts as correct |
|---|---|
| Invoice number, GSTIN | Every character; spaces and hyphens are ignored, capitals are not required. **Critical.** |
| PO number | Every character; spaces and hyphens are ignored. |
| Vendor name | Capital letters and extra spaces are ignored; everything else counts. |
| Invoice date, due date | DD/MM/YYYY, for example 09/02/2026. |
| GST rate | The number only, without the % sign (5, 12, 18 or 28). |
| Taxable value, GST amount, invoice total | The value must be right; thousands commas are optional, a misplaced decimal point is an error. GST amount and invoice total are **critical**. |

Key what the source shows, even if you think the vendor made a mistake:
your job here is to copy the document, not to correct it. A GSTIN is
15 characters (two-digit state code, a ten-character PAN, an entity number, the
letter Z and a check character), so a wrong letter is easy to miss: read it in
groups of three or four.

Critical fields must be 100 % correct to pass. Speed is measured in
keystrokes per hour on correctly keyed fields only.
"""


@dataclass(frozen=True)
class Vendor:
    name: str
    gstin: str
    payment_days: int


def _vendors(rng: Random, fake: Faker, count: int) -> list[Vendor]:
    vendors: list[Vendor] = []
    names: set[str] = set()
    gstins: set[str] = set()
    while len(vendors) < count:
        trade = rng.choice(VENDOR_TRADES)
        if rng.random() < 0.72:
            surname = _surname(fake, "en_IN")
            suffix, entity = rng.choice(INDIAN_VENDOR_SUFFIXES)
            name = f"{surname} {trade} {suffix}"
        else:
            locale = rng.choice(["en_US", "en_GB"])
            surname = _surname(fake, locale)
            if rng.random() < 0.5:
                name = f"{surname} {trade} India Pvt Ltd"
            else:
                other = _surname(fake, locale)
                if other == surname:
                    continue
                name = f"{surname} & {other} {trade} Pvt Ltd"
            entity = "C"
        if name in names:
            continue
        city = _city(rng)
        gstin = _gstin(rng, city.state_code, entity, name[0])
        if gstin in gstins:
            continue
        names.add(name)
        gstins.add(gstin)
        vendors.append(Vendor(name, gstin, rng.choice((15, 30, 30, 45, 60))))
    return vendors


def _invoices(seed: int) -> list[dict[str, str]]:
    rng = _rng(seed, "invoice-entry")
    fake = _faker(seed, "invoice-entry")
    vendors = _vendors(rng, fake, 28)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    while len(rows) < 60:
        inv_date = _random_date(rng, date(2025, 10, 1), date(2026, 10, 31))
        inv_no = f"INV-{inv_date.year}-{rng.randint(1, 19999):06d}"
        if inv_no in seen:
            continue
        seen.add(inv_no)
        vendor = rng.choice(vendors)
        taxable = (
            Decimal(10) ** Decimal(str(round(rng.uniform(3.3, 6.1), 4)))
        ).quantize(CENT)
        if rng.random() < 0.3:
            taxable = taxable.quantize(Decimal(1))
        rate = rng.choices(GST_RATES, weights=GST_RATE_WEIGHTS)[0]
        gst = (taxable * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(
            {
                "invoice_no": inv_no,
                "invoice_date": fmt_date(inv_date),
                "vendor_name": vendor.name,
                "gstin": vendor.gstin,
                "po_number": f"PO-{rng.randint(100000, 999999)}",
                "taxable_value": fmt_amount(taxable),
                "gst_rate": str(rate),
                "gst_amount": fmt_amount(gst),
                "invoice_total": fmt_amount(taxable + gst),
                "due_date": fmt_date(inv_date + timedelta(days=vendor.payment_days)),
            }
        )
    return rows


# --------------------------------------------------------------------------
# 3 and 4. Ten-key
# --------------------------------------------------------------------------

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


def _ten_key_amounts(seed: int) -> list[str]:
    rng = _rng(seed, "ten-key-amounts")
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


def _ten_key_accounts(seed: int) -> list[str]:
    rng = _rng(seed, "ten-key-account-numbers")
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


def _ten_key_toml(
    seed: int, *, title: str, description: str, entries_file: str, label: str
) -> str:
    doc = _Toml(HEADER.format(seed=seed))
    _common(doc, "ten_key", title, description, ["ten-key", "data-entry"], 5)
    doc.key("entries_file", entries_file)
    doc.key("entries_per_attempt", 40)
    doc.key("entry_label", label)
    doc.key("compare", "string")
    doc.table("bands", TEN_KEY_BANDS)
    return doc.render()


# --------------------------------------------------------------------------
# 5. Transcription (passages written for this course, not generated)
# --------------------------------------------------------------------------

TRANSCRIPTION_DESCRIPTION = """\
Retype the passage shown above the typing box. You get **one passage** per
attempt and **5 minutes**. The passages are the kind of email and case note a
back-office executive writes every day: payment queries, address changes,
escalations and handover notes.

* Type it as one paragraph: line breaks are not needed.
* Copy it exactly, including capitals, punctuation, amounts, dates and
  reference numbers. `INV-2026-004811` keyed as `INV-2026-004181` is an
  error even though the sentence still reads well.
* Backspace works. Errors you fix cost you time; errors you leave in reduce
  your net words per minute.

Your result shows net words per minute (a word is five keystrokes, and each
error left in the text is deducted) and character accuracy.
"""

PASSAGES: tuple[tuple[str, str], ...] = (
    (
        "Email to a vendor about a delayed payment",
        "Dear Mr Kulkarni, thank you for your email of 14 October about invoice "
        "INV-2026-004811 for INR 148,650.00. I have checked with our accounts "
        "payable team, and the payment was held because the purchase order number "
        "on the invoice, PO-318204, did not match the goods receipt note. The "
        "stores team has now corrected the receipt, and the invoice has been "
        "released for the payment run on 22 October. The amount should reach your "
        "account ending 4471 within two working days of that date. If it has not "
        "arrived by 25 October, please reply to this email quoting ticket AP-77215 "
        "and I will take it up with our treasury team myself. We are sorry for the "
        "delay. Regards, Ananya Iyer, Accounts Payable",
    ),
    (
        "Confirmation of a change of address",
        "Dear Ms Fernandes, this is to confirm that we have updated the "
        "correspondence address on your account CUS-583920, as requested in your "
        "letter dated 3 November 2026. Your new address is Flat 702, Silver Oak "
        "Residency, 14th Cross Road, HSR Layout, Bengaluru 560102. All statements, "
        "cheque books and notices issued after 10 November will be sent to this "
        "address. Your registered mobile number, +91 98450 31276, and your email "
        "address have not been changed. If you did not ask for this change, or if "
        "any part of the address above is wrong, please call our helpline on 1800 "
        "425 0192 within seven days and quote service request SR-2026-118734. Kind "
        "regards, Rohan Mehta, Customer Records Team",
    ),
    (
        "Escalation summary for a duplicate refund",
        "Escalation summary, case ESC-40917, raised on 18 September 2026. The "
        "customer, Mr Daniel Hughes, reported that a refund of USD 312.40 for order "
        "88-5512-0934 was credited to his card twice, on 9 and 12 September. Our "
        "records show two credits with different batch numbers, B7712 and B7790, "
        "which suggests the refund file was processed again after a system "
        "timeout. The customer agrees that the second credit can be reversed, "
        "provided he receives written notice at least three days before the debit. "
        "Action taken: reversal request sent to the payments team with both batch "
        "references; customer informed by email at 4:35 pm. Open point: payments "
        "must confirm whether any other refunds in batch B7790 were duplicated. "
        "Next review: 22 September. Owner: Priya Nair, Team Leader, Refunds.",
    ),
    (
        "Shift handover note",
        "Shift handover, evening to night shift, Tuesday 24 November 2026. "
        "Volumes: 412 invoices received, 376 keyed and verified, 36 pending. Of the "
        "pending items, 21 are waiting for purchase order numbers from the client, "
        "9 are unreadable scans that have gone back to the mailroom, and 6 are "
        "invoices above INR 500,000.00 that need second-level approval from Suresh "
        "before posting. The vendor master upload failed at 7:10 pm with error "
        "VM-203. The service desk ticket is INC-0094417 and they expect a fix by 11 "
        "pm, so please do not post invoices for new vendors until the upload is "
        "confirmed. Reminder: the daily accuracy report for the client is due at 9 "
        "am. Handed over by Kavya Reddy, received by Imran Sheikh.",
    ),
    (
        "Reminder to a customer about a returned EMI",
        "Dear Mr Sharma, we are writing about the EMI of INR 18,450.00 on loan "
        "account 004512398871. It was due on 5 November 2026 and your bank returned "
        "it unpaid because of insufficient funds. A return charge of INR 590.00, "
        "including GST, has been added to your loan account as set out in your "
        "agreement. To avoid further charges and any effect on your credit score, "
        "please pay the overdue amount by 15 November through net banking, UPI or "
        "at any of our branches. If you have already paid, please ignore this "
        "message and send us the transaction reference so that we can update our "
        "records. You can reach us on 022 6120 4455 between 9 am and 6 pm, Monday "
        "to Saturday. Regards, Collections Support Team",
    ),
    (
        "Case note on an insurance claim waiting for documents",
        "Case note for claim CLM-2026-55873, policy HL-7730914, entered on 2 "
        "December 2026 at 11:20 am. The claimant, Mrs Lakshmi Venkatesh, has sent "
        "the hospital bill for INR 86,240.00 and the discharge summary, but the "
        "pharmacy bills listed on page 3 of the claim form are missing. I called her "
        "on the registered number at 10:55 am. She said the bills are with the "
        "hospital billing desk and she will upload them on the portal by Friday, 4 "
        "December. I have put the claim on hold with reason code DOC-02 and set a "
        "follow-up task for 5 December. No payment should be released until the "
        "pharmacy bills are checked against the amount claimed. If they have not "
        "arrived by 9 December, send the standard reminder letter, template R-14.",
    ),
    (
        "Email to a team leader about a reconciliation break",
        "Hi Meera, while reconciling the October bank statement for the Chennai "
        "collections account I found three items that do not match the ledger. "
        "First, a receipt of INR 42,180.00 from Anand Textiles is in our ledger on "
        "17 October but reached the bank only on 3 November, so it is a timing "
        "difference. Second, the bank has debited INR 1,180.00 as cash handling "
        "charges, which we have not booked yet. Third, an NEFT credit of INR "
        "75,000.00 on 28 October has no customer reference, and I could not match "
        "it to any open invoice. I have parked it in the suspense account under "
        "journal JV-10293. Could you ask the client whether they are expecting a "
        "payment of this amount? I will close the reconciliation as soon as we "
        "know. Thanks, Arjun",
    ),
    (
        "Reply to the quality team about an audit finding",
        "Dear Quality Team, here is my response to audit observation QA-2026-0418 "
        "from the sample checked on 12 November. The auditor found that the GST "
        "amount on invoice INV-2026-007342 was keyed as INR 4,518.00 instead of INR "
        "4,158.00, a transposition of two digits. I have corrected the entry and "
        "the vendor payment of INR 27,258.00 was recalculated before release, so "
        "there was no financial impact. To prevent a repeat, I now read every "
        "amount back against the source image before saving, and the team has "
        "agreed to add a check that compares the GST amount with the rate and the "
        "taxable value. I would be grateful if the observation could be closed as "
        "corrected. The screenshots are saved in the shared audit folder. Regards, "
        "Farhan Qureshi, Senior Executive, Accounts Payable",
    ),
)


def _transcription_toml(seed: int) -> str:
    doc = _Toml(HEADER.format(seed=seed))
    _common(
        doc,
        "transcription",
        "Email and case-note transcription",
        TRANSCRIPTION_DESCRIPTION,
        ["written-communication", "data-entry"],
        5,
    )
    doc.key("passages_per_attempt", 1)
    doc.table("bands", TRANSCRIPTION_BANDS)
    for title, text in PASSAGES:
        doc.array_table("passages", {"title": title, "text": text}, multiline=("text",))
    return doc.render()


# --------------------------------------------------------------------------
# 6. Ledger vs bank statement (list reconciliation)
# --------------------------------------------------------------------------

RECON_DESCRIPTION = """\
Compare your company's **bank ledger** (the cash book kept by accounts) with
the **bank statement** for the same month and flag every difference. You get
**one set** per attempt and **8 minutes**.

Match the two lists on the **Ref** column, then flag:

* **Missing in statement**: a ledger entry with no matching ref on the
  statement (for example a cheque the payee has not banked yet).
* **Extra in statement**: a statement entry with no matching ref in the
  ledger (bank charges, interest, a credit nobody has identified).
* **Field mismatch**: the same ref on both sides, but the **amount** or the
  **date** differs. Say which field. Look closely: swapped digits
  (`45,120.00` against `45,210.00`), a dropped digit and a decimal point in
  the wrong place are all mismatches.

Amounts are shown from your company's point of view: money in is positive,
money out is negative. Descriptions are the same on both sides. Every flag
you raise is scored: missed differences lower your recall, false alarms lower
your precision, and your result is the F1 score of the two.
"""


@dataclass
class _Txn:
    ref: str
    day: date
    description: str
    amount: Decimal

    def row(self) -> dict[str, str]:
        return {
            "ref": self.ref,
            "date": fmt_date(self.day),
            "description": self.description,
            "amount": fmt_amount(self.amount),
        }


RECON_MONTHS = ((2026, 3), (2026, 4), (2026, 6), (2026, 7), (2026, 8), (2026, 9))

PAYMENT_PURPOSES = (
    "office supplies",
    "courier charges",
    "printer cartridges",
    "AMC for UPS",
    "housekeeping services",
    "security services",
    "transport for staff",
    "software licences",
    "cloud hosting",
    "canteen services",
    "stationery",
    "laptop repairs",
    "travel bookings",
    "professional fees",
)


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _working_day(rng: Random, start: date, end: date) -> date:
    while True:
        d = _random_date(rng, start, end)
        if d.weekday() != 6:
            return d


def _money(rng: Random, low: int, high: int, round_to: int = 0) -> Decimal:
    if round_to:
        return Decimal(rng.randrange(low, high + 1, round_to))
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _digits_of(value: Decimal) -> str:
    return f"{abs(value).quantize(CENT):.2f}".replace(".", "")


def _from_digits(digits: str, negative: bool) -> Decimal:
    value = Decimal(digits) / 100
    return -value if negative else value


def _amount_transposition(rng: Random, value: Decimal) -> Decimal | None:
    digits = _digits_of(value)
    spots = [
        i
        for i in range(len(digits) - 1)
        if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    return _from_digits(swapped, value < 0)


def _amount_dropped_digit(rng: Random, value: Decimal) -> Decimal | None:
    digits = _digits_of(value)
    whole = len(digits) - 2
    if whole < 2:
        return None
    spots = [i for i in range(whole) if not (i == 0 and digits[1] == "0")]
    if not spots:
        return None
    i = rng.choice(spots)
    return _from_digits(digits[:i] + digits[i + 1 :], value < 0)


def _amount_decimal_shift(rng: Random, value: Decimal) -> Decimal:
    if _digits_of(value).endswith("0") and rng.random() < 0.5:
        return value / 10
    return value * 10


def _ledger(rng: Random, fake: Faker, year: int, month: int) -> list[_Txn]:
    start, end = date(year, month, 1), _month_end(year, month)
    prev = MONTHS[(month - 2) % 12]
    this = MONTHS[month - 1]
    tag = f"{month:02d}{year % 100:02d}"
    txns = [
        _Txn(
            f"SAL-{tag}",
            _working_day(rng, start, start + timedelta(days=6)),
            f"Salary transfer for {prev}",
            -_money(rng, 600_000, 2_400_000, 10),
        ),
        _Txn(
            f"RENT-{tag}",
            _working_day(rng, start, start + timedelta(days=9)),
            f"Office rent for {this}",
            -_money(rng, 85_000, 240_000, 500),
        ),
        _Txn(
            f"GST-{tag}",
            _working_day(rng, date(year, month, 14), date(year, month, 20)),
            f"GST payment for {prev}",
            -_money(rng, 40_000, 380_000),
        ),
        _Txn(
            f"TDS-{tag}",
            _working_day(rng, date(year, month, 3), date(year, month, 7)),
            f"TDS deposit for {prev}",
            -_money(rng, 15_000, 160_000),
        ),
        _Txn(
            f"EB-{tag}",
            _working_day(rng, start, end),
            f"Electricity bill, consumer no. {rng.randint(10**9, 10**10 - 1)}",
            -_money(rng, 6_000, 68_000),
        ),
    ]
    cheque = rng.randint(1200, 880000)
    refs = {t.ref for t in txns}
    target = rng.randint(18, 25)
    while len(txns) < target:
        kind = rng.choices(("receipt", "neft", "cheque", "cash"), weights=(5, 4, 3, 1))[
            0
        ]
        day = _working_day(rng, start, end)
        if kind == "receipt":
            ref = f"RCPT-{rng.randint(10000, 99999)}"
            client = f"{_surname(fake, _locale(rng))} {rng.choice(VENDOR_TRADES)}"
            desc = (
                f"Receipt from {client} against INV-{year}-{rng.randint(1, 19999):06d}"
            )
            amount = _money(rng, 8_000, 450_000)
        elif kind == "neft":
            ref = f"NEFT-{rng.randint(100000, 999999)}"
            vendor = f"{_surname(fake)} {rng.choice(VENDOR_TRADES)}"
            desc = f"NEFT to {vendor}, {rng.choice(PAYMENT_PURPOSES)}"
            amount = -_money(rng, 2_500, 250_000)
        elif kind == "cheque":
            cheque += rng.randint(1, 3)
            ref = f"CHQ-{cheque:06d}"
            vendor = f"{_surname(fake)} {rng.choice(VENDOR_TRADES)}"
            desc = f"Cheque to {vendor}, {rng.choice(PAYMENT_PURPOSES)}"
            amount = -_money(rng, 1_500, 180_000)
        else:
            ref = f"CASH-{rng.randint(1000, 9999)}"
            desc = "Cash deposited at branch, counter sales"
            amount = _money(rng, 5_000, 95_000, 10)
        if ref in refs:
            continue
        refs.add(ref)
        txns.append(_Txn(ref, day, desc, amount))
    txns.sort(key=lambda t: (t.day, t.ref))
    return txns


def _reconciliation_set(
    rng: Random, fake: Faker, index: int, year: int, month: int
) -> dict[str, object]:
    company = f"{_surname(fake)} {rng.choice(VENDOR_TRADES)} Pvt Ltd"
    account = f"{rng.randint(1000, 9999)}"
    ledger = _ledger(rng, fake, year, month)
    end = _month_end(year, month)
    combos = [
        (m, e, f)
        for m in (1, 2)
        for e in (1, 2)
        for f in (1, 2, 3)
        if 4 <= m + e + f <= 6
    ]
    n_missing, n_extra, n_mismatch = rng.choice(combos)

    late = [
        t for t in ledger if t.day.day >= 18 and t.ref[:4] in ("CHQ-", "RCPT", "NEFT")
    ]
    pool = late if len(late) >= n_missing else ledger
    missing = rng.sample(pool, n_missing)
    missing_refs = {t.ref for t in missing}

    statement = {
        t.ref: _Txn(t.ref, t.day, t.description, t.amount)
        for t in ledger
        if t.ref not in missing_refs
    }
    discrepancies: list[dict[str, object]] = [
        {"ref": t.ref, "type": "missing_in_statement", "field": None} for t in missing
    ]

    kinds = ["transposition", "dropped_digit", "decimal_shift", "date"]
    chosen_kinds = rng.sample(kinds, n_mismatch)
    candidates = [t for t in ledger if t.ref not in missing_refs]
    rng.shuffle(candidates)
    for kind in chosen_kinds:
        while True:
            txn = candidates.pop()
            row = statement[txn.ref]
            if kind == "date":
                shifted = row.day + timedelta(days=rng.randint(1, 3))
                if shifted > end:
                    continue
                row.day = shifted
                field = "date"
            else:
                if kind == "transposition":
                    new = _amount_transposition(rng, row.amount)
                elif kind == "dropped_digit":
                    new = _amount_dropped_digit(rng, row.amount)
                else:
                    new = _amount_decimal_shift(rng, row.amount)
                if new is None or fmt_amount(new) == fmt_amount(row.amount):
                    continue
                row.amount = new
                field = "amount"
            discrepancies.append(
                {"ref": txn.ref, "type": "field_mismatch", "field": field}
            )
            break

    tag = f"{year % 100:02d}{month:02d}"
    extras = rng.sample(["charges", "interest", "unknown_credit", "sms"], n_extra)
    for kind in extras:
        day = _working_day(rng, date(year, month, 1), end)
        if kind == "charges":
            txn = _Txn(
                f"CHG-{tag}{rng.randint(10, 99)}",
                day,
                "Bank charges, NEFT and RTGS fees incl. GST",
                -Decimal(
                    rng.choice(("590.00", "1,180.00", "354.00", "236.00")).replace(
                        ",", ""
                    )
                ),
            )
        elif kind == "sms":
            txn = _Txn(
                f"CHG-{tag}{rng.randint(10, 99)}",
                day,
                "SMS alert charges for the quarter",
                -Decimal("17.70"),
            )
        elif kind == "interest":
            txn = _Txn(
                f"INT-{tag}",
                end,
                "Interest credited on auto-sweep deposit",
                _money(rng, 300, 4_200),
            )
        else:
            txn = _Txn(
                f"NEFT-IN-{rng.randint(100000, 999999)}",
                day,
                f"NEFT credit, sender ref N{year}{rng.randint(10**8, 10**9 - 1)}, no remarks",
                _money(rng, 5_000, 100_000, 500),
            )
        if txn.ref in statement or any(t.ref == txn.ref for t in ledger):
            raise ValueError(f"statement ref {txn.ref} clashes with an existing ref")
        statement[txn.ref] = txn
        discrepancies.append(
            {"ref": txn.ref, "type": "extra_in_statement", "field": None}
        )

    statement_rows = sorted(statement.values(), key=lambda t: (t.day, t.ref))
    discrepancies.sort(key=lambda d: (str(d["ref"]), str(d["type"])))
    return {
        "title": f"Set {index}: {company}, current account ending {account}, {MONTHS[month - 1]} {year}",
        "columns": ["ref", "date", "description", "amount"],
        "key": "ref",
        "ledger": [t.row() for t in ledger],
        "statement": [t.row() for t in statement_rows],
        "discrepancies": discrepancies,
    }


def _reconciliation_sets(seed: int) -> list[dict[str, object]]:
    rng = _rng(seed, "ledger-vs-bank-reconciliation")
    fake = _faker(seed, "ledger-vs-bank-reconciliation")
    return [
        _reconciliation_set(rng, fake, i, year, month)
        for i, (year, month) in enumerate(RECON_MONTHS, start=1)
    ]


def _reconciliation_toml(seed: int) -> str:
    doc = _Toml(HEADER.format(seed=seed))
    _common(
        doc,
        "reconciliation",
        "Ledger vs bank statement reconciliation",
        RECON_DESCRIPTION,
        ["reconciliation", "accounting-basics", "attention-to-detail"],
        8,
    )
    doc.key("mode", "list")
    doc.key("sets_file", "ledger-vs-bank-reconciliation.json")
    doc.key("sets_per_attempt", 1)
    doc.table("bands", RECONCILIATION_BANDS)
    return doc.render()


# --------------------------------------------------------------------------
# 7. Address pair check (USPS address-checking pattern)
# --------------------------------------------------------------------------

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
            f"{_surname(fake)} Road",
            f"{_surname(fake)} Lane",
            f"{_ordinal(rng.randint(1, 18))} Cross Road",
            f"{_ordinal(rng.randint(1, 12))} Main Road",
            f"{_surname(fake)} Street",
            f"{_surname(fake)} Marg",
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
        locale = _locale(rng)
        first, last = _person_name(fake, locale)
        city = _city(rng)
        record = {
            "name": f"{first} {last}",
            "address": _pair_address(rng, fake, city),
            "pin_code": _pin(rng, city),
            "phone": _mobile(rng) if rng.random() < 0.8 else _landline(rng, city),
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


def _pair_sets(seed: int) -> list[dict[str, object]]:
    rng = _rng(seed, "address-pair-check")
    fake = _faker(seed, "address-pair-check")
    return [
        _pair_set(rng, fake, f"Set {i}: {title}")
        for i, title in enumerate(PAIR_SET_TITLES, start=1)
    ]


def _pair_toml(seed: int) -> str:
    doc = _Toml(HEADER.format(seed=seed))
    _common(
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


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


def build_all(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Return ``{file name: text}`` for every generated file, in write order."""
    customers = _customers(seed)
    invoices = _invoices(seed)
    return {
        "customer-record-entry.toml": _record_entry_toml(
            seed,
            title="Customer record entry",
            description=CUSTOMER_DESCRIPTION,
            skills=["data-entry", "attention-to-detail"],
            minutes=5,
            records_file="customer-record-entry.csv",
            per_attempt=6,
            fields=CUSTOMER_FIELDS,
        ),
        "customer-record-entry.csv": _csv(
            [str(f["name"]) for f in CUSTOMER_FIELDS], customers
        ),
        "invoice-entry.toml": _record_entry_toml(
            seed,
            title="Invoice entry (GST invoices)",
            description=INVOICE_DESCRIPTION,
            skills=["data-entry", "accounting-basics", "attention-to-detail"],
            minutes=6,
            records_file="invoice-entry.csv",
            per_attempt=5,
            fields=INVOICE_FIELDS,
        ),
        "invoice-entry.csv": _csv([str(f["name"]) for f in INVOICE_FIELDS], invoices),
        "ten-key-amounts.toml": _ten_key_toml(
            seed,
            title="10-key: amounts",
            description=TEN_KEY_AMOUNTS_DESCRIPTION,
            entries_file="ten-key-amounts.csv",
            label="Amount",
        ),
        "ten-key-amounts.csv": _csv(
            ["value"], [{"value": v} for v in _ten_key_amounts(seed)]
        ),
        "ten-key-account-numbers.toml": _ten_key_toml(
            seed,
            title="10-key: account numbers",
            description=TEN_KEY_ACCOUNTS_DESCRIPTION,
            entries_file="ten-key-account-numbers.csv",
            label="Account number",
        ),
        "ten-key-account-numbers.csv": _csv(
            ["value"], [{"value": v} for v in _ten_key_accounts(seed)]
        ),
        "email-transcription.toml": _transcription_toml(seed),
        "ledger-vs-bank-reconciliation.toml": _reconciliation_toml(seed),
        "ledger-vs-bank-reconciliation.json": _json(_reconciliation_sets(seed)),
        "address-pair-check.toml": _pair_toml(seed),
        "address-pair-check.json": _json(_pair_sets(seed)),
    }


def generate_all(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every generated keying-test file into ``out_dir``; return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in build_all(seed).items():
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lms.keying.generate",
        description="Regenerate the bundled keying tests.",
    )
    parser.add_argument("out_dir", nargs="?", default="quizzes", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate_all(args.out_dir, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
