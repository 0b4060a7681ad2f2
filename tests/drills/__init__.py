"""Fault drills: backup and restore, a killed worker, a restarted PostgreSQL, a
stuck SQLite writer and a full disk, each ending with a reconciliation."""
