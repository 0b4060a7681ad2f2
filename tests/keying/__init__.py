"""Tests for timed keying tests."""
