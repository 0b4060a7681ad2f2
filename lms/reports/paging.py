"""One page of a report's rows, shaped like Flask-SQLAlchemy's pagination so the
shared pagination macro (templates/_macros/ui.html) draws it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

PER_PAGE = 50


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def first(self) -> int:
        """The position of the page's first row, counting from 1 (0: no rows)."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.offset + self.per_page, self.total)

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link, None where a run of them is left out."""
        gap = False
        for number in range(1, self.pages + 1):
            near = abs(number - self.page) <= around
            if number <= edge or number > self.pages - edge or near:
                gap = False
                yield number
            elif not gap:
                gap = True
                yield None


def pager(page: int | None, total: int, per_page: int = PER_PAGE) -> Pager:
    """Page `page` (1 when absent; the last one when past the end) of `total` rows."""
    pages = max(1, -(-total // per_page))
    return Pager(page=min(max(page or 1, 1), pages), per_page=per_page, total=total)
