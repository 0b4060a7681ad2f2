"""Record-entry tests: customer records and GST invoices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from faker import Faker

from tools.keying_content.common import (
    CENT,
    RECORD_BANDS,
    email_for,
    fake_address_line,
    fake_person_name,
    fake_surname,
    faker_for,
    fmt_amount,
    fmt_date,
    mobile_number,
    new_gstin,
    pick_city,
    pick_locale,
    pin_in,
    random_date,
    rng_for,
)
from tools.keying_content.reference import (
    GST_RATE_WEIGHTS,
    GST_RATES,
    INDIAN_VENDOR_SUFFIXES,
    VENDOR_TRADES,
)
from tools.keying_content.writers import (
    HEADER,
    TomlDoc,
    write_common_keys,
)

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


def customer_rows(seed: int) -> list[dict[str, str]]:
    rng = rng_for(seed, "customer-record-entry")
    fake = faker_for(seed, "customer-record-entry")
    rows: list[dict[str, str]] = []
    seen_ids: set[str] = set()
    while len(rows) < 60:
        cid = f"CUS-{rng.randint(100000, 999999)}"
        if cid in seen_ids:
            continue
        seen_ids.add(cid)
        locale = pick_locale(rng)
        first, last = fake_person_name(fake, locale)
        city = pick_city(rng)
        dob = random_date(rng, date(1962, 1, 1), date(2005, 12, 31))
        adult = date(dob.year + 18, dob.month, min(dob.day, 28))
        opened = random_date(rng, max(adult, date(2009, 4, 1)), date(2026, 10, 31))
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
                "phone": mobile_number(rng),
                "email": email_for(rng, first, last, locale),
                "address_line": fake_address_line(rng, fake, city),
                "city": city.name,
                "pin_code": pin_in(rng, city),
                "date_of_birth": fmt_date(dob),
                "account_opened": fmt_date(opened),
                "credit_limit": fmt_amount(limit),
            }
        )
    return rows


def record_entry_toml(
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
    doc = TomlDoc(HEADER.format(seed=seed))
    write_common_keys(doc, "record_entry", title, description, skills, minutes)
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
            surname = fake_surname(fake, "en_IN")
            suffix, entity = rng.choice(INDIAN_VENDOR_SUFFIXES)
            name = f"{surname} {trade} {suffix}"
        else:
            locale = rng.choice(["en_US", "en_GB"])
            surname = fake_surname(fake, locale)
            if rng.random() < 0.5:
                name = f"{surname} {trade} India Pvt Ltd"
            else:
                other = fake_surname(fake, locale)
                if other == surname:
                    continue
                name = f"{surname} & {other} {trade} Pvt Ltd"
            entity = "C"
        if name in names:
            continue
        city = pick_city(rng)
        gstin = new_gstin(rng, city.state_code, entity, name[0])
        if gstin in gstins:
            continue
        names.add(name)
        gstins.add(gstin)
        vendors.append(Vendor(name, gstin, rng.choice((15, 30, 30, 45, 60))))
    return vendors


def invoice_rows(seed: int) -> list[dict[str, str]]:
    rng = rng_for(seed, "invoice-entry")
    fake = faker_for(seed, "invoice-entry")
    vendors = _vendors(rng, fake, 28)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    while len(rows) < 60:
        inv_date = random_date(rng, date(2025, 10, 1), date(2026, 10, 31))
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
