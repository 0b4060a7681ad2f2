"""Seeded generator for the bundled keying tests in ``quizzes/``.

A content build tool, not part of the running application. Everything here
is deterministic: the same seed always produces byte-identical files, so the
generated content is committed and checked by the tests against a fresh
generation. No Flask, no database.

Regenerate from the repository root with::

    python -m tools.keying_content quizzes

Each output file gets its own random stream derived from the seed and the
file's slug, so changing one generator does not reshuffle the others.
Person names and some street names come from Faker (mostly ``en_IN``, some
``en_US`` and ``en_GB``); everything else comes from ``random.Random``.

Modules: ``reference`` (place names, GST codes, trades), ``common`` (seeds,
bands, small helpers), ``writers`` (TOML/CSV/JSON), and one per test family:
``records`` (customer and invoice entry), ``ten_key``, ``transcription``,
``reconciliation`` (ledger vs bank) and ``pairs`` (address pair check).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tools.keying_content.common import (
    DEFAULT_SEED,
    GSTIN_RE,
    RECONCILIATION_BANDS,
    RECORD_BANDS,
    TEN_KEY_BANDS,
    TRANSCRIPTION_BANDS,
    gstin_check_char,
)
from tools.keying_content.pairs import pair_sets, pair_toml
from tools.keying_content.reconciliation import (
    reconciliation_sets,
    reconciliation_toml,
)
from tools.keying_content.records import (
    CUSTOMER_DESCRIPTION,
    CUSTOMER_FIELDS,
    INVOICE_DESCRIPTION,
    INVOICE_FIELDS,
    customer_rows,
    invoice_rows,
    record_entry_toml,
)
from tools.keying_content.ten_key import (
    TEN_KEY_ACCOUNTS_DESCRIPTION,
    TEN_KEY_AMOUNTS_DESCRIPTION,
    ten_key_accounts,
    ten_key_amounts,
    ten_key_toml,
)
from tools.keying_content.transcription import transcription_toml
from tools.keying_content.writers import csv_text, json_text

__all__ = [
    "DEFAULT_SEED",
    "GSTIN_RE",
    "RECONCILIATION_BANDS",
    "RECORD_BANDS",
    "TEN_KEY_BANDS",
    "TRANSCRIPTION_BANDS",
    "build_all",
    "generate_all",
    "gstin_check_char",
    "main",
]


def build_all(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Return ``{file name: text}`` for every generated file, in write order."""
    customers = customer_rows(seed)
    invoices = invoice_rows(seed)
    return {
        "customer-record-entry.toml": record_entry_toml(
            seed,
            title="Customer record entry",
            description=CUSTOMER_DESCRIPTION,
            skills=["data-entry", "attention-to-detail"],
            minutes=5,
            records_file="customer-record-entry.csv",
            per_attempt=6,
            fields=CUSTOMER_FIELDS,
        ),
        "customer-record-entry.csv": csv_text(
            [str(f["name"]) for f in CUSTOMER_FIELDS], customers
        ),
        "invoice-entry.toml": record_entry_toml(
            seed,
            title="Invoice entry (GST invoices)",
            description=INVOICE_DESCRIPTION,
            skills=["data-entry", "accounting-basics", "attention-to-detail"],
            minutes=6,
            records_file="invoice-entry.csv",
            per_attempt=5,
            fields=INVOICE_FIELDS,
        ),
        "invoice-entry.csv": csv_text(
            [str(f["name"]) for f in INVOICE_FIELDS], invoices
        ),
        "ten-key-amounts.toml": ten_key_toml(
            seed,
            title="10-key: amounts",
            description=TEN_KEY_AMOUNTS_DESCRIPTION,
            entries_file="ten-key-amounts.csv",
            label="Amount",
        ),
        "ten-key-amounts.csv": csv_text(
            ["value"], [{"value": v} for v in ten_key_amounts(seed)]
        ),
        "ten-key-account-numbers.toml": ten_key_toml(
            seed,
            title="10-key: account numbers",
            description=TEN_KEY_ACCOUNTS_DESCRIPTION,
            entries_file="ten-key-account-numbers.csv",
            label="Account number",
        ),
        "ten-key-account-numbers.csv": csv_text(
            ["value"], [{"value": v} for v in ten_key_accounts(seed)]
        ),
        "email-transcription.toml": transcription_toml(seed),
        "ledger-vs-bank-reconciliation.toml": reconciliation_toml(seed),
        "ledger-vs-bank-reconciliation.json": json_text(reconciliation_sets(seed)),
        "address-pair-check.toml": pair_toml(seed),
        "address-pair-check.json": json_text(pair_sets(seed)),
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
        prog="python -m tools.keying_content",
        description="Regenerate the bundled keying tests.",
    )
    parser.add_argument("out_dir", nargs="?", default="quizzes", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate_all(args.out_dir, args.seed):
        print(path)
    return 0
