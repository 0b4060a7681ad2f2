"""Question-bank import from GIFT and Aiken text files (pure: no Flask, no database).

`parse_gift` and `parse_aiken` turn a file's text into question dicts in the
shape of docs/content-format.md (ids "gift-001", "aiken-001", … numbered by
position in the file) and list every error with its line number. A file with
any error must not be imported at all: callers check `result.ok` and write
nothing otherwise, so a trainer fixes the whole file in one pass.

gift.py reads GIFT as Moodle does (its answer blocks in gift_answers.py, its
escapes and text formats in gift_text.py); aiken.py reads Aiken; common.py holds
the result and error types both return.
"""

from lms.quizzes.bank_formats.aiken import parse_aiken
from lms.quizzes.bank_formats.common import ParseError, ParseResult
from lms.quizzes.bank_formats.gift import parse_gift

__all__ = ["ParseError", "ParseResult", "parse_aiken", "parse_gift"]
