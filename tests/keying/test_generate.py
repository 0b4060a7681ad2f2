"""The seeded keying-test generator and the files it produced in quizzes/."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import tools.keying_content as gen

QUIZZES = Path(__file__).resolve().parents[2] / "quizzes"

EXPECTED_FILES = {
    "customer-record-entry.toml",
    "customer-record-entry.csv",
    "invoice-entry.toml",
    "invoice-entry.csv",
    "ten-key-amounts.toml",
    "ten-key-amounts.csv",
    "ten-key-account-numbers.toml",
    "ten-key-account-numbers.csv",
    "email-transcription.toml",
    "ledger-vs-bank-reconciliation.toml",
    "ledger-vs-bank-reconciliation.json",
    "address-pair-check.toml",
    "address-pair-check.json",
}
SKILLS = {
    "data-entry",
    "ten-key",
    "attention-to-detail",
    "reconciliation",
    "accounting-basics",
    "written-communication",
}
GST_STATE_CODES = {f"{n:02d}" for n in range(1, 39)}
AMOUNT_RE = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, bytes]:
    paths = gen.generate_all(tmp_path_factory.mktemp("fresh"))
    return {p.name: p.read_bytes() for p in paths}


@pytest.fixture(scope="module")
def toml_docs(fresh) -> dict[str, dict]:
    return {
        name: tomllib.loads(data.decode("utf-8"))
        for name, data in fresh.items()
        if name.endswith(".toml")
    }


def _csv_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _amount(text: str) -> Decimal:
    assert AMOUNT_RE.match(text), text
    return Decimal(text.replace(",", ""))


def _date(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y")


# --------------------------------------------------------------------------
# Determinism and the committed copies
# --------------------------------------------------------------------------


def test_generation_is_deterministic(tmp_path):
    first = gen.generate_all(tmp_path / "a")
    second = gen.generate_all(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_writes_every_expected_file(fresh):
    assert set(fresh) == EXPECTED_FILES


def test_another_seed_gives_other_content(fresh):
    other = gen.build_all(seed=gen.DEFAULT_SEED + 1)
    assert (
        other["customer-record-entry.csv"].encode()
        != fresh["customer-record-entry.csv"]
    )
    assert other["address-pair-check.json"].encode() != fresh["address-pair-check.json"]


@pytest.mark.parametrize("name", sorted(EXPECTED_FILES))
def test_committed_file_equals_fresh_generation(fresh, name):
    committed = QUIZZES / name
    assert committed.exists(), (
        f"{name} missing: run python -m tools.keying_content quizzes"
    )
    assert committed.read_bytes() == fresh[name], (
        f"quizzes/{name} differs from the generator output. Do not edit generated "
        "files by hand: change tools/keying_content and run "
        "`python -m tools.keying_content quizzes`."
    )


# --------------------------------------------------------------------------
# Common TOML keys
# --------------------------------------------------------------------------


def test_every_toml_has_the_common_keys(toml_docs):
    metric = {
        "record_entry": "net_kph",
        "ten_key": "net_kph",
        "transcription": "net_wpm",
        "reconciliation": "f1",
    }
    for name, doc in toml_docs.items():
        assert doc["kind"] in metric, name
        assert doc["title"].strip(), name
        assert len(doc["description"]) > 200, name
        assert doc["skills"] and set(doc["skills"]) <= SKILLS, name
        assert (
            isinstance(doc["time_limit_minutes"], int) and doc["time_limit_minutes"] > 0
        )
        assert doc["attempts_allowed"] == 0
        assert doc["correction_policy"] == "allowed"
        assert doc["published"] is True
        bands = doc["bands"]
        assert list(bands) == ["foundation", "job_ready", "proficient"], name
        values = [bands[b][metric[doc["kind"]]] for b in bands]
        assert values == sorted(values), name
        if doc["kind"] != "reconciliation":
            accuracies = [bands[b]["accuracy"] for b in bands]
            assert accuracies == sorted(accuracies), name


def test_declared_data_files_exist_beside_the_toml(toml_docs):
    for name, doc in toml_docs.items():
        for key in ("records_file", "entries_file", "sets_file"):
            if key in doc:
                assert doc[key] in toml_docs or (QUIZZES / doc[key]).exists(), name
                assert doc[key] in EXPECTED_FILES, name


def test_bands_match_the_agreed_defaults(toml_docs):
    assert toml_docs["customer-record-entry.toml"]["bands"] == gen.RECORD_BANDS
    assert toml_docs["invoice-entry.toml"]["bands"] == gen.RECORD_BANDS
    assert toml_docs["ten-key-amounts.toml"]["bands"]["job_ready"] == {
        "net_kph": 8000,
        "accuracy": 0.98,
    }
    assert toml_docs["email-transcription.toml"]["bands"]["proficient"] == {
        "net_wpm": 45,
        "accuracy": 0.98,
    }
    assert toml_docs["ledger-vs-bank-reconciliation.toml"]["bands"]["job_ready"] == {
        "f1": 0.85
    }


# --------------------------------------------------------------------------
# Record entry
# --------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["customer-record-entry", "invoice-entry"])
def test_record_csv_header_matches_declared_fields(fresh, toml_docs, stem):
    doc = toml_docs[f"{stem}.toml"]
    assert doc["records_file"] == f"{stem}.csv"
    header, rows = _csv_rows(fresh[f"{stem}.csv"])
    assert header == [f["name"] for f in doc["fields"]]
    assert len(rows) == 60
    assert doc["records_per_attempt"] < len(rows) // 2
    for row in rows:
        assert all(value.strip() == value and value for value in row.values()), row
        assert all(value.isascii() for value in row.values()), row
    for field in doc["fields"]:
        assert field["profile"] in {
            "exact",
            "normalized",
            "amount",
            "date",
            "identifier",
        }
        assert field["label"]
        if field["profile"] == "date":
            for row in rows:
                datetime.strptime(row[field["name"]], field["format"])
        else:
            assert "format" not in field
        if field["profile"] == "amount":
            for row in rows:
                _amount(row[field["name"]])


def test_customer_record_entry(fresh, toml_docs):
    doc = toml_docs["customer-record-entry.toml"]
    assert doc["records_per_attempt"] == 6 and doc["time_limit_minutes"] == 5
    profiles = {f["name"]: (f["profile"], f["critical"]) for f in doc["fields"]}
    assert profiles["customer_id"] == ("identifier", True)
    assert profiles["full_name"] == ("normalized", False)
    assert profiles["phone"][0] == "identifier"
    assert profiles["pin_code"] == ("exact", True)
    assert profiles["date_of_birth"] == ("date", True)
    assert profiles["credit_limit"] == ("amount", True)

    _, rows = _csv_rows(fresh["customer-record-entry.csv"])
    ids = [r["customer_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for r in rows:
        assert re.fullmatch(r"CUS-\d{6}", r["customer_id"])
        assert re.fullmatch(r"\+91 [6-9]\d{4} \d{5}", r["phone"])
        assert re.fullmatch(r"[a-z0-9._]+@[a-z0-9.]+\.[a-z]{2,}", r["email"])
        assert re.fullmatch(r"[1-8]\d{5}", r["pin_code"])
        assert re.fullmatch(r"[A-Za-z][A-Za-z' -]+ [A-Za-z' -]+", r["full_name"])
        born, opened = _date(r["date_of_birth"]), _date(r["account_opened"])
        assert (opened - born).days >= 18 * 365
        assert _amount(r["credit_limit"]) > 0
    # Mostly Indian customers, with some international names too.
    assert any(r["email"].endswith((".co.uk", "btinternet.com")) for r in rows) or any(
        r["email"].endswith("yahoo.com") for r in rows
    )
    assert len({r["city"] for r in rows}) >= 10


# --------------------------------------------------------------------------
# Invoices
# --------------------------------------------------------------------------


def test_gstin_check_character_matches_the_published_example():
    # The sample GSTIN used in GST documentation.
    assert gen.gstin_check_char("27AAPFU0939F1Z") == "V"


def test_invoice_gstins_are_well_formed(fresh):
    _, rows = _csv_rows(fresh["invoice-entry.csv"])
    for r in rows:
        gstin = r["gstin"]
        assert gen.GSTIN_RE.match(gstin), gstin
        assert gstin[:2] in GST_STATE_CODES
        assert gstin[14] == gen.gstin_check_char(gstin[:14]), gstin
        assert gstin[6] == r["vendor_name"][0].upper()  # PAN: initial of the name
        assert gstin[13] == "Z"
    # One GSTIN per vendor and one vendor per GSTIN.
    pairs = {(r["vendor_name"], r["gstin"]) for r in rows}
    assert len({v for v, _ in pairs}) == len(pairs) == len({g for _, g in pairs})


def test_invoice_arithmetic_is_consistent(fresh, toml_docs):
    doc = toml_docs["invoice-entry.toml"]
    assert doc["records_per_attempt"] == 5 and doc["time_limit_minutes"] == 6
    critical = {f["name"] for f in doc["fields"] if f["critical"]}
    assert critical == {"invoice_no", "gstin", "invoice_total", "gst_amount"}

    _, rows = _csv_rows(fresh["invoice-entry.csv"])
    numbers = [r["invoice_no"] for r in rows]
    assert len(set(numbers)) == len(numbers)
    rates = set()
    for r in rows:
        m = re.fullmatch(r"INV-(\d{4})-\d{6}", r["invoice_no"])
        assert m and int(m.group(1)) == _date(r["invoice_date"]).year
        assert re.fullmatch(r"PO-\d{6}", r["po_number"])
        rate = int(r["gst_rate"])
        rates.add(rate)
        assert rate in {5, 12, 18, 28}
        taxable = _amount(r["taxable_value"])
        gst = _amount(r["gst_amount"])
        total = _amount(r["invoice_total"])
        expected_gst = (taxable * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert gst == expected_gst, r
        assert total == taxable + gst, r
        assert _date(r["due_date"]) > _date(r["invoice_date"])
    assert rates == {5, 12, 18, 28}


# --------------------------------------------------------------------------
# Ten-key
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "label"),
    [("ten-key-amounts", "Amount"), ("ten-key-account-numbers", "Account number")],
)
def test_ten_key_definition(fresh, toml_docs, stem, label):
    doc = toml_docs[f"{stem}.toml"]
    assert doc["kind"] == "ten_key"
    assert doc["entries_file"] == f"{stem}.csv"
    assert doc["entries_per_attempt"] == 40
    assert doc["compare"] == "string"
    assert doc["entry_label"] == label
    assert doc["time_limit_minutes"] == 5
    assert doc["bands"] == gen.TEN_KEY_BANDS
    header, rows = _csv_rows(fresh[f"{stem}.csv"])
    assert header == ["value"]
    values = [r["value"] for r in rows]
    assert len(values) == 300 == len(set(values))


def test_ten_key_amounts_mix(fresh):
    _, rows = _csv_rows(fresh["ten-key-amounts.csv"])
    values = [r["value"] for r in rows]
    assert all(re.fullmatch(r"-?\d+\.\d{2}", v) for v in values)
    assert all(not re.match(r"-?0\d", v) for v in values)
    negatives = [v for v in values if v.startswith("-")]
    assert 10 <= len(negatives) <= 60
    magnitudes = {len(v.lstrip("-").split(".")[0]) for v in values}
    assert magnitudes >= {1, 2, 3, 4, 5, 6}
    assert any(v.endswith(".00") for v in values)


def test_ten_key_account_numbers_mix(fresh):
    _, rows = _csv_rows(fresh["ten-key-account-numbers.csv"])
    values = [r["value"] for r in rows]
    assert all(re.fullmatch(r"\d{9,14}", v) for v in values)
    assert {len(v) for v in values} == set(range(9, 15))
    leading_zero = [v for v in values if v.startswith("0")]
    assert 10 <= len(leading_zero) <= 60


# --------------------------------------------------------------------------
# Transcription
# --------------------------------------------------------------------------


def test_transcription_passages(toml_docs):
    doc = toml_docs["email-transcription.toml"]
    assert doc["kind"] == "transcription"
    assert doc["passages_per_attempt"] == 1
    assert doc["time_limit_minutes"] == 5
    passages = doc["passages"]
    assert len(passages) == 8
    assert len({p["title"] for p in passages}) == 8
    for p in passages:
        text = p["text"]
        assert 90 <= len(text.split()) <= 160, p["title"]
        assert text.isascii() and "\n" not in text and text == text.strip()
        assert "  " not in text
        assert re.search(r"\d", text), p["title"]


# --------------------------------------------------------------------------
# Ledger vs bank statement
# --------------------------------------------------------------------------


def _actual_differences(data: dict) -> set[tuple[str, str, str | None]]:
    key = data["key"]
    ledger = {row[key]: row for row in data["ledger"]}
    statement = {row[key]: row for row in data["statement"]}
    found: set[tuple[str, str, str | None]] = set()
    for ref in ledger.keys() - statement.keys():
        found.add((ref, "missing_in_statement", None))
    for ref in statement.keys() - ledger.keys():
        found.add((ref, "extra_in_statement", None))
    for ref in ledger.keys() & statement.keys():
        for column in data["columns"]:
            if column != key and ledger[ref][column] != statement[ref][column]:
                found.add((ref, "field_mismatch", column))
    return found


def test_reconciliation_definition(toml_docs):
    doc = toml_docs["ledger-vs-bank-reconciliation.toml"]
    assert doc["kind"] == "reconciliation"
    assert doc["mode"] == "list"
    assert doc["sets_file"] == "ledger-vs-bank-reconciliation.json"
    assert doc["sets_per_attempt"] == 1
    assert doc["time_limit_minutes"] == 8
    assert doc["bands"] == gen.RECONCILIATION_BANDS


def test_reconciliation_answer_key_lists_exactly_the_real_differences(fresh):
    sets = json.loads(fresh["ledger-vs-bank-reconciliation.json"])
    assert len(sets) == 6
    assert len({s["title"] for s in sets}) == 6
    for data in sets:
        assert data["columns"] == ["ref", "date", "description", "amount"]
        assert data["key"] == "ref"
        assert 18 <= len(data["ledger"]) <= 25
        for side in ("ledger", "statement"):
            refs = [row["ref"] for row in data[side]]
            assert len(refs) == len(set(refs)), (data["title"], side)
            for row in data[side]:
                assert list(row) == data["columns"]
                _date(row["date"])
                _amount(row["amount"])
        listed = [(d["ref"], d["type"], d["field"]) for d in data["discrepancies"]]
        assert len(listed) == len(set(listed))
        assert set(listed) == _actual_differences(data), data["title"]
        assert 4 <= len(listed) <= 6
        types = {t for _, t, _ in listed}
        assert types == {"missing_in_statement", "extra_in_statement", "field_mismatch"}
        assert {f for _, t, f in listed if t == "field_mismatch"} <= {"amount", "date"}


def test_reconciliation_mismatches_use_realistic_errors(fresh):
    sets = json.loads(fresh["ledger-vs-bank-reconciliation.json"])
    kinds = set()
    for data in sets:
        ledger = {row["ref"]: row for row in data["ledger"]}
        statement = {row["ref"]: row for row in data["statement"]}
        for d in data["discrepancies"]:
            if d["type"] != "field_mismatch":
                continue
            if d["field"] == "date":
                lag = (
                    _date(statement[d["ref"]]["date"]) - _date(ledger[d["ref"]]["date"])
                ).days
                assert 1 <= lag <= 3
                kinds.add("date")
                continue
            a = _amount(ledger[d["ref"]]["amount"])
            b = _amount(statement[d["ref"]]["amount"])
            assert (a < 0) == (b < 0)
            da, db = f"{abs(a):.2f}".replace(".", ""), f"{abs(b):.2f}".replace(".", "")
            if b in (a * 10, a / 10):
                kinds.add("decimal_shift")
            elif len(da) == len(db) and sorted(da) == sorted(db):
                diff = [i for i in range(len(da)) if da[i] != db[i]]
                assert len(diff) == 2 and diff[1] == diff[0] + 1
                kinds.add("transposition")
            else:
                assert len(db) == len(da) - 1
                assert any(da[:i] + da[i + 1 :] == db for i in range(len(da)))
                kinds.add("dropped_digit")
    assert kinds == {"date", "decimal_shift", "transposition", "dropped_digit"}


# --------------------------------------------------------------------------
# Address pair check
# --------------------------------------------------------------------------


def test_pair_definition(toml_docs):
    doc = toml_docs["address-pair-check.toml"]
    assert doc["kind"] == "reconciliation"
    assert doc["mode"] == "pair"
    assert doc["sets_file"] == "address-pair-check.json"
    assert doc["sets_per_attempt"] == 1
    assert doc["time_limit_minutes"] == 6
    assert "Capitalisation is not a difference" in doc["description"]
    assert "Punctuation is a difference" in doc["description"]


def test_pair_differs_matches_the_real_field_differences(fresh):
    sets = json.loads(fresh["address-pair-check.json"])
    assert len(sets) == 5
    total = differing = case_only = 0
    for data in sets:
        fields = data["fields"]
        assert fields == ["name", "address", "pin_code", "phone"]
        assert len(data["pairs"]) == 20
        assert len({p["id"] for p in data["pairs"]}) == 20
        for pair in data["pairs"]:
            assert set(pair) == {"id", "left", "right", "differs"}
            assert list(pair["left"]) == fields and list(pair["right"]) == fields
            actual = [
                f
                for f in fields
                if pair["left"][f].casefold() != pair["right"][f].casefold()
            ]
            assert pair["differs"] == actual, (data["title"], pair["id"])
            if any(
                pair["left"][f] != pair["right"][f] and f not in actual for f in fields
            ):
                case_only += 1
            total += 1
            differing += bool(actual)
    assert 0.3 <= differing / total <= 0.5
    assert case_only >= 5  # capitalisation-only distractors are present


def test_pair_differences_cover_the_error_list(fresh):
    sets = json.loads(fresh["address-pair-check.json"])
    seen = set()
    for data in sets:
        for pair in data["pairs"]:
            for field in pair["differs"]:
                a, b = pair["left"][field], pair["right"][field]
                words_a = set(re.findall(r"[A-Za-z]+", a))
                words_b = set(re.findall(r"[A-Za-z]+", b))
                if {"Road", "Lane"} <= words_a ^ words_b:
                    seen.add("street_type")
                if {"Flat", "Flt"} <= words_a ^ words_b:
                    seen.add("flat_abbreviation")
                if a.replace(",", "").replace(".", "") == b.replace(",", "").replace(
                    ".", ""
                ):
                    seen.add("punctuation")
                if field in ("pin_code", "phone"):
                    if len(a) == len(b) and sorted(a) == sorted(b):
                        seen.add("digit_switch")
                    elif len(a) == len(b):
                        seen.add("digit_change")
                    else:
                        seen.add("digit_added_or_omitted")
                if field == "name":
                    seen.add("misspelling")
    assert seen >= {
        "street_type",
        "flat_abbreviation",
        "punctuation",
        "digit_switch",
        "digit_change",
        "digit_added_or_omitted",
        "misspelling",
    }
