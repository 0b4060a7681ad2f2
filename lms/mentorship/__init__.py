"""Mentorship: pairings, sessions and action items."""
