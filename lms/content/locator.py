"""Line numbers in TOML text: where a key, a [table] or the n-th [[array]] entry is.

tomllib gives values without positions, so the content readers ask a `Locator`
over the file's text where to point an error. `toml_error` turns tomllib's own
syntax errors into a message and a line.
"""

from __future__ import annotations

import re
import tomllib


def toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int]:
    """tomllib (3.11) puts the position in the message: "... (at line 3, column 7)"."""
    message = str(exc)
    lineno = getattr(exc, "lineno", None)
    match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if match:
        return message[: match.start()], lineno or int(match[1])
    match = re.search(r"\s*\(at end of document\)$", message)
    if match:
        return message[: match.start()] + " at the end of the file", max(
            1, len(text.splitlines())
        )
    return message, lineno or 1


HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*(\]\]?)\s*(?:#.*)?$")


class Locator:
    """Finds the line of a key, a [table] or the n-th [[array]] entry in TOML text.

    Best effort and forgiving: it skips the inside of multi-line strings and
    falls back to the enclosing table's header, then to line 1.
    """

    def __init__(self, text: str, offset: int = 0) -> None:
        self.offset = offset
        self.lines = text.splitlines()
        self.code: list[bool] = []
        self.headers: list[tuple[int, str]] = []  # (0-based index, dotted name)
        delimiter: str | None = None
        for i, line in enumerate(self.lines):
            if delimiter is not None:
                self.code.append(False)
                if line.count(delimiter) % 2 == 1:
                    delimiter = None
                continue
            self.code.append(True)
            match = HEADER_RE.match(line)
            if match and len(match[1]) == len(match[3]):
                name = ".".join(p.strip().strip("\"'") for p in match[2].split("."))
                self.headers.append((i, name))
                continue
            found = [(line.find(d), d) for d in ('"""', "'''") if d in line]
            if found:
                _, first = min(found)
                if line.count(first) % 2 == 1:
                    delimiter = first

    def _line(self, index: int) -> int:
        return index + 1 + self.offset

    def _section(self, name: str, index: int | None) -> tuple[int, int] | None:
        """(start, end) line indexes of [name] or the index-th [[name]], children included."""
        matches = [n for n, (_, h) in enumerate(self.headers) if h == name]
        if index is not None:
            matches = matches[index : index + 1]
        if not matches:
            return None
        position = matches[0]
        start = self.headers[position][0]
        end = len(self.lines)
        for line, header in self.headers[position + 1 :]:
            if not header.startswith(name + "."):
                end = line
                break
        return start, end

    def key(
        self, key: str, section: str | None = None, index: int | None = None
    ) -> int:
        if section is None:
            start = 0
            end = self.headers[0][0] if self.headers else len(self.lines)
        else:
            found = self._section(section, index)
            if found is None:  # e.g. inline `fields = [{...}]`: point at the array
                return self.key(section.split(".")[0])
            start, end = found
            start += 1
            own_end = next(
                (line for line, _ in self.headers if start <= line < end), end
            )
            end = own_end
        pattern = re.compile(
            rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*[=.]"
        )
        for i in range(start, end):
            if self.code[i] and pattern.match(self.lines[i]):
                return self._line(i)
        return self._line(start - 1) if section is not None else self._line(0)

    def array_line(self, name: str, index: int) -> int:
        found = self._section(name, index)
        return self._line(found[0]) if found else self.key(name)

    def sub_array_line(self, name: str, index: int, sub: str, sub_index: int) -> int:
        found = self._section(name, index)
        if found is None:
            return self.key(name)
        start, end = found
        children = [
            line
            for line, h in self.headers
            if start < line < end and h == f"{name}.{sub}"
        ]
        if sub_index < len(children):
            return self._line(children[sub_index])
        return self.key(sub, name, index)
