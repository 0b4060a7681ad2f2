"""Signing in and out, passwords, and who may do what."""
