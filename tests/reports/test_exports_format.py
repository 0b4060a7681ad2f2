"""CSV and XLSX files for spreadsheets: formula-looking text neutralised (one
function for both formats), the XLSX header frozen and bold, and rows read as
the file is sent."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from lms.reports.exports import Table, csv_chunks, neutralise, write_xlsx


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+91 98450", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd",
     '=HYPERLINK("http://x","y")'],
)  # fmt: skip
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Asha Rao", "", "a=b", "1-2", None, 5, -5, 2.5])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


def _table(rows):
    return Table("People", ["Name", "Score", "When"], rows)


def test_the_csv_is_neutralised_and_has_a_bom(app_ctx):
    rows = [["=cmd|' /C calc'!A0", -3, datetime(2026, 3, 2, 14, 30)]]
    text = "".join(csv_chunks(_table(rows)))
    assert text.startswith("\ufeffName,Score,When\r\n")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[1] == ["'=cmd|' /C calc'!A0", "-3", "2026-03-02 14:30"]


def test_the_csv_is_sent_a_chunk_at_a_time_as_rows_are_read(app_ctx):
    read = []

    def rows():
        for n in range(1200):
            read.append(n)
            yield [f"Person {n}", n, None]

    chunks = csv_chunks(_table(rows()))
    first = next(chunks)
    assert first.count("\r\n") == 501  # the header and 500 rows
    assert len(read) == 500  # no further than the first chunk
    rest = list(chunks)
    assert len(rest) == 2 and len(read) == 1200


def test_the_xlsx_header_is_bold_frozen_and_cells_neutralised(tmp_path):
    path = str(tmp_path / "out.xlsx")
    write_xlsx(
        _table([["@evil", 7, datetime(2026, 3, 2, 14, 30)], ["Asha", None, None]]), path
    )
    book = load_workbook(path)
    sheet = book["People"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Name", "Score", "When"]
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "'@evil"
    assert sheet["B2"].value == 7
    assert sheet["C2"].value == datetime(2026, 3, 2, 14, 30)
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm"


def test_an_xlsx_stops_at_what_a_worksheet_holds_and_says_so(tmp_path, monkeypatch):
    from lms.reports import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    path = str(tmp_path / "cut.xlsx")
    write_xlsx(_table([[f"P{n}", n, None] for n in range(10)]), path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["Name", "P0", "P1", exports.XLSX_CUT_NOTE]
