"""Files under the content root: reading one (text, TOML, JSON, CSV) with its errors
collected, relative names, which files count, and the content hash.

Content hash: SHA-256 over the given files with their names relative to a root
and a format version, so a change in what the loader produces is an update too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lms.content.locator import Locator, toml_error
from lms.content.specs import ContentError

FORMAT_VERSION = "content-format-1"


class File:
    """One file being read: its errors and a way to find line numbers in it."""

    def __init__(self, path: Path, base: Path, errors: list[ContentError]) -> None:
        self.path = path
        self.base = base
        self.errors = errors
        self.rel = relative_name(path, base)
        self.text: str | None = None
        self.loc = Locator("")
        self.failed = False

    def error(self, field: str, message: str, *, line: int | None = None) -> None:
        self.failed = True
        self.errors.append(ContentError(self.rel, line or 1, field, message))

    def read_text(self) -> str | None:
        try:
            self.text = self.path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            self.error("file", f"cannot be read: {exc.strerror or exc}")
            return None
        except UnicodeDecodeError as exc:
            line = self.path.read_bytes()[: exc.start].count(b"\n") + 1
            self.error("file", "is not UTF-8 text", line=line)
            return None
        self.loc = Locator(self.text)
        return self.text

    def set_text(self, text: str, *, offset: int) -> None:
        self.text = text
        self.loc = Locator(text, offset)

    def read_toml(self) -> dict[str, Any] | None:
        if self.read_text() is None:
            return None
        return self.parse_toml()

    def parse_toml(self) -> dict[str, Any] | None:
        try:
            return tomllib.loads(self.text or "")
        except tomllib.TOMLDecodeError as exc:
            message, line = toml_error(exc, self.text or "")
            self.error("syntax", message, line=line + self.loc.offset)
            return None

    def read_json(self) -> Any:
        if self.read_text() is None:
            return None
        try:
            return json.loads(self.text or "")
        except json.JSONDecodeError as exc:
            self.error("syntax", exc.msg, line=exc.lineno)
            return None


def read_csv(data: File) -> tuple[list[str], list[tuple[int, dict[str, str]]]] | None:
    """Header and (line, row) pairs; None (with errors reported) when unusable."""
    text = data.read_text()
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            data.error("header", "the first line must name the columns", line=1)
            return None
        header = [h.strip() for h in header]
        for name in header:
            if not name:
                data.error("header", "a column has no name", line=1)
            elif header.count(name) > 1:
                data.error("header", f"column {name!r} appears more than once", line=1)
        rows = []
        for cells in reader:
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                data.error(
                    "row",
                    f"{len(cells)} values, but the header names {len(header)} columns",
                    line=reader.line_num,
                )
                continue
            rows.append((reader.line_num, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        data.error("csv", str(exc), line=reader.line_num)
        return None
    if not rows:
        data.error("rows", "the file has a header but no rows", line=1)
    return header, rows


def skipped(name: str) -> bool:
    """Names starting with _ or . are not content (drafts, catalogs, dotfiles)."""
    return name.startswith(("_", "."))


def relative_name(path: Path, base: Path) -> str:
    """`path` below `base` with forward slashes (as given when outside it)."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder`, hidden ones (a dot anywhere in the path) left out."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def hash_files(root: Path, files: Iterable[Path]) -> str:
    """The content hash of `files`, named relative to `root`."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for path in sorted(set(files)):
        digest.update(b"\0" + relative_name(path, root).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
