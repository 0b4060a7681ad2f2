"""Timed keying tests: record entry, 10-key, transcription and reconciliation."""
