"""Copies of every table's rows, to put a test world back without building it again.

A role × route matrix needs the same users, courses and attempts in every case;
building them (password hashes, ORM flushes, commits) costs more than the request
under test. `capture` reads the rows a build wrote; `restore` writes them back into
emptied tables with the same ids, so the next test sees exactly what a fresh build
would have given it, and new rows get the ids they would have had.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.extensions import db


@dataclass(frozen=True)
class Snapshot:
    """Rows per table, in the order the tables can be filled in."""

    rows: tuple[tuple[sa.Table, tuple[dict, ...]], ...]


def capture(app) -> Snapshot:
    """Every committed row of every table."""
    with app.app_context(), db.engine.connect() as conn:
        rows = []
        for table in db.metadata.sorted_tables:
            found = conn.execute(table.select().order_by(*table.primary_key))
            rows.append((table, tuple(dict(r._mapping) for r in found)))
    return Snapshot(rows=tuple((t, r) for t, r in rows if r))


def restore(app, snapshot: Snapshot) -> None:
    """Write the snapshot's rows into empty tables, in one transaction."""
    with app.app_context(), db.engine.begin() as conn:
        filled: set[str] = set()
        later: list[tuple[sa.Table, str, list[dict]]] = []
        for table, rows in snapshot.rows:
            ahead = _columns_pointing_ahead(table, filled)
            if ahead:
                conn.execute(
                    table.insert(), [{**r, **dict.fromkeys(ahead)} for r in rows]
                )
                later.append((table, ahead, rows))
            else:
                conn.execute(table.insert(), list(rows))
            filled.add(table.name)
        for table, ahead, rows in later:
            _fill_in(conn, table, ahead, rows)
        if conn.dialect.name == "postgresql":
            _move_sequences_past(conn, [t for t, _ in snapshot.rows])


def _columns_pointing_ahead(table: sa.Table, filled: set[str]) -> list[str]:
    """Foreign keys to rows not written yet (cycles such as team ⇄ manager, or a
    table pointing at itself): written as NULL first, filled in at the end."""
    return [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table.name not in filled or fk.column.table is table
    ]


def _fill_in(conn, table: sa.Table, columns: list[str], rows) -> None:
    (pk,) = table.primary_key.columns
    for row in rows:
        values = {c: row[c] for c in columns if row[c] is not None}
        if values:
            conn.execute(table.update().where(pk == row[pk.name]).values(**values))


def _move_sequences_past(conn, tables) -> None:
    """PostgreSQL hands out ids from sequences that inserted ids do not move."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
            ):
                conn.execute(
                    sa.text(
                        "SELECT setval(pg_get_serial_sequence(:t, :c), "
                        f'(SELECT max("{column.name}") FROM "{table.name}"))'
                    ),
                    {"t": f'"{table.name}"', "c": column.name},
                )
