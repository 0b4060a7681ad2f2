"""List reconciliation: a ledger against a bank statement with planted discrepancies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from faker import Faker

from tools.keying_content.common import (
    CENT,
    RECONCILIATION_BANDS,
    fake_surname,
    faker_for,
    fmt_amount,
    fmt_date,
    pick_locale,
    random_date,
    rng_for,
)
from tools.keying_content.reference import (
    MONTHS,
    VENDOR_TRADES,
)
from tools.keying_content.writers import (
    HEADER,
    TomlDoc,
    write_common_keys,
)

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
        d = random_date(rng, start, end)
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
            client = (
                f"{fake_surname(fake, pick_locale(rng))} {rng.choice(VENDOR_TRADES)}"
            )
            desc = (
                f"Receipt from {client} against INV-{year}-{rng.randint(1, 19999):06d}"
            )
            amount = _money(rng, 8_000, 450_000)
        elif kind == "neft":
            ref = f"NEFT-{rng.randint(100000, 999999)}"
            vendor = f"{fake_surname(fake)} {rng.choice(VENDOR_TRADES)}"
            desc = f"NEFT to {vendor}, {rng.choice(PAYMENT_PURPOSES)}"
            amount = -_money(rng, 2_500, 250_000)
        elif kind == "cheque":
            cheque += rng.randint(1, 3)
            ref = f"CHQ-{cheque:06d}"
            vendor = f"{fake_surname(fake)} {rng.choice(VENDOR_TRADES)}"
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
    company = f"{fake_surname(fake)} {rng.choice(VENDOR_TRADES)} Pvt Ltd"
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


def reconciliation_sets(seed: int) -> list[dict[str, object]]:
    rng = rng_for(seed, "ledger-vs-bank-reconciliation")
    fake = faker_for(seed, "ledger-vs-bank-reconciliation")
    return [
        _reconciliation_set(rng, fake, i, year, month)
        for i, (year, month) in enumerate(RECON_MONTHS, start=1)
    ]


def reconciliation_toml(seed: int) -> str:
    doc = TomlDoc(HEADER.format(seed=seed))
    write_common_keys(
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
