"""Tables as CSV and XLSX downloads that stay small in memory however many rows
they have (pure: no database; the callers give a header and an iterator of rows).

* **Neutralised cells.** A spreadsheet runs a cell that begins with `=`, `+`,
  `-` or `@` (or a tab or carriage return, which some programs skip before
  reading a formula) as a formula, so a name like `=HYPERLINK(...)` typed into
  a profile could run on a manager's machine. Such text gets a leading
  apostrophe (OWASP "CSV injection"); numbers stay numbers. One function,
  `neutralise`, serves both formats.
* **Streamed.** CSV is written and sent a few hundred rows at a time. XLSX is
  written by openpyxl in write-only mode (rows go straight to a temporary file,
  never held as a workbook in memory), then sent from that file in chunks and
  the file removed. The XLSX file is written before the response starts, so a
  failure while writing it (a full disk) is answered as an error of the request,
  not a download cut short; its temporary files are removed either way.
* **Readable.** The header row is bold on a grey fill and frozen, columns are
  sized to their header, and dates are real dates in XLSX and
  `YYYY-MM-DD HH:MM` in CSV. CSV starts with a byte-order mark so spreadsheet
  programs read names in any script correctly.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response, stream_with_context

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ROWS_PER_CHUNK = 500
FILE_CHUNK_BYTES = 64 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A worksheet holds 1,048,576 rows: the header, the rows, and a last one saying
# that the rest is in the CSV, which has no limit.
XLSX_MAX_ROWS = 1_048_574
XLSX_CUT_NOTE = "More rows than a spreadsheet holds: download the CSV for all of them."


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert with a leading
    apostrophe; everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Table:
    """What a download holds: a sheet title, the header and the rows (an iterator,
    read once, so it may come from the database in batches)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


# --- CSV --------------------------------------------------------------------------


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralise(value)


def csv_chunks(table: Table) -> Iterator[str]:
    """The table as CSV text, a chunk of rows at a time (BOM first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([_csv_text(h) for h in table.header])
    for count, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_text(v) for v in row])
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- XLSX -------------------------------------------------------------------------


def write_xlsx(table: Table, path: str) -> None:
    """Write the table to `path` as one sheet, row by row (openpyxl write-only)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(table.header, start=1):
        width = min(max(len(str(name)) + 2, 10), 50)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(vertical="top", wrap_text=True)
    header = []
    for name in table.header:
        cell = WriteOnlyCell(sheet, value=neutralise(str(name)))
        cell.font, cell.fill, cell.alignment = bold, grey, wrap
        header.append(cell)
    try:
        sheet.append(header)
        for count, row in enumerate(table.rows, start=1):
            if count >= XLSX_MAX_ROWS:
                sheet.append([XLSX_CUT_NOTE])
                break
            sheet.append([_xlsx_value(sheet, v, WriteOnlyCell) for v in row])
        book.save(path)
    except BaseException:
        _remove_sheet_file(sheet)
        raise


def _remove_sheet_file(sheet) -> None:
    """openpyxl keeps a write-only sheet's rows in a temporary file that it
    removes after saving, or else only when the process exits."""
    writer = getattr(sheet, "_writer", None)
    out = getattr(writer, "out", None)
    if isinstance(out, str) and os.path.exists(out):
        writer.cleanup()


def _xlsx_value(sheet, value: Any, cell_type) -> Any:
    if isinstance(value, datetime):
        cell = cell_type(sheet, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = cell_type(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralise(value)


def _sheet_title(title: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Export")[:31]


def xlsx_chunks(table: Table) -> Iterator[bytes]:
    """Write the table to a temporary file, then read it out in chunks; the file is
    removed when the download finishes or is abandoned."""
    handle, path = tempfile.mkstemp(prefix="lms-export-", suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(table, path)
        with open(path, "rb") as stream:
            while chunk := stream.read(FILE_CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)


# --- responses ----------------------------------------------------------------------


def _started(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks with the first one already made, here, in the request."""
    first = next(chunks, None)
    return itertools.chain(() if first is None else (first,), chunks)


def download(table: Table, fmt: str, filename: str) -> Response:
    """A streamed download of `table` as `filename`.csv or .xlsx. The rows are read
    while the response is sent, inside the request's app context."""
    if fmt == "xlsx":
        body, mimetype = _started(xlsx_chunks(table)), XLSX_MIME
    else:
        fmt, body, mimetype = "csv", csv_chunks(table), "text/csv; charset=utf-8"
    safe = (
        "".join(
            ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-"
            for ch in filename
        ).strip("-.")
        or "export"
    )
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
