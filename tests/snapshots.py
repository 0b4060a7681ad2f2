"""The test database's contents: emptying every table between tests, and copies of
every table's rows, to put a test world back without building it again.

A role × route matrix needs the same users, courses and attempts in every case;
building them (password hashes, ORM flushes, commits) costs more than the request
under test. `capture` reads the rows a build wrote; `restore` writes them back into
emptied tables with the same ids, so the next test sees exactly what a fresh build
would have given it, and new rows get the ids they would have had.

Only tables holding rows are emptied (one query finds them): most tests write to a
few of the tables. On PostgreSQL the id sequences start again at 1 after each test,
as SQLite's do when a table is emptied.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.extensions import db


def tables_with_rows(conn, tables: list[sa.Table]) -> list[sa.Table]:
    """The tables holding a row, in one query rather than one per table."""
    probes = " UNION ALL ".join(
        f'SELECT {i} AS n WHERE EXISTS (SELECT 1 FROM "{t.name}")'
        for i, t in enumerate(tables)
    )
    found = set(conn.execute(sa.text(probes)).scalars())
    return [t for i, t in enumerate(tables) if i in found]


def is_empty(app) -> bool:
    with app.app_context(), db.engine.connect() as conn:
        return not tables_with_rows(conn, db.metadata.sorted_tables)


def empty(app) -> None:
    """Delete every row, whoever wrote it (an extra app on the same database too)."""
    with app.app_context(), db.engine.begin() as conn:
        tables = list(reversed(db.metadata.sorted_tables))
        written = tables_with_rows(conn, tables)
        if conn.dialect.name != "postgresql":
            for table in written:
                conn.execute(table.delete())
            return
        if written:
            names = ", ".join(f'"{t.name}"' for t in written)
            conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))
        _set_sequences(conn, tables, lambda table, column: "1, false")


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
    _set_sequences(
        conn, tables, lambda table, column: f'(SELECT max("{column}") FROM "{table}")'
    )


def _set_sequences(conn, tables, value) -> None:
    """setval() on the id sequence of every table, in one statement."""
    calls = [
        f"setval(pg_get_serial_sequence('\"{t.name}\"', '{c.name}'), "
        f"{value(t.name, c.name)})"
        for t in tables
        for c in t.primary_key.columns
        if c.autoincrement is True
        or (c.autoincrement == "auto" and isinstance(c.type, sa.Integer))
    ]
    if calls:
        conn.execute(sa.text("SELECT " + ", ".join(calls)))
